import Foundation
import Zhaoren

// Coverage-guided fuzzing (libFuzzer) of the parsers that untrusted files reach: the CSV/TSV
// reader with its encoding detection, UTF-8 validation, the text-file reader, the date
// parser and the identifier parsers. Each input must be handled without a crash, a hang or
// a broken invariant. Built only with ZHAOREN_FUZZ=1 and -sanitize=fuzzer; see
// Scripts/fuzz.sh. The target is chosen by ZHAOREN_FUZZ_TARGET.

/// Which parser this process fuzzes.
let target = ProcessInfo.processInfo.environment["ZHAOREN_FUZZ_TARGET"] ?? "csv"
/// One scratch file per process, rewritten with every input for the file readers.
let scratch = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("zhaoren-fuzz-\(getpid()).csv")
let today = CivilDate(year: 2026, month: 11, day: 1)!

func check(_ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String) {
    if !condition() {
        FileHandle.standardError.write(Data("invariant broken: \(message())\n".utf8))
        abort()
    }
}

/// Reads `bytes` as a CSV or TSV file and checks that every data row is accounted for.
func readFile(_ bytes: UnsafeBufferPointer<UInt8>, encoding: InputEncoding, format: InputFormat) {
    guard FileManager.default.createFile(atPath: scratch.path, contents: Data(bytes)) else { return }
    var options = CSVReader.Options(encoding: encoding, format: format)
    options.chunkSize = 64   // small chunks: every boundary case of the scanner
    options.batchRows = 7
    options.maxRecordBytes = 4096
    guard let reader = try? CSVReader(url: scratch, options: options) else { return }   // an unreadable header is an error, fine
    var accepted = 0, rejected = 0
    do {
        while let batch = try reader.nextBatch() {
            for row in batch {
                check(row.count == reader.header.count, "row width")
                for c in 0..<row.count {
                    let field = row[c]
                    check(UTF8Validation.isValid(field), "a field handed out is not UTF-8")
                }
                accepted += 1
            }
            rejected += batch.rejects.count
        }
    } catch {
        return
    }
    let s = reader.statistics
    check(s.rowsRead == s.rowsAccepted + s.rowsRejected, "rows read \(s.rowsRead) ≠ accepted + rejected")
    check(accepted == s.rowsAccepted && rejected == s.rowsRejected, "batches and statistics disagree")
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    let text = String(decoding: bytes, as: UTF8.self)
    switch target {
    case "csv":
        readFile(bytes, encoding: .auto, format: .auto)
    case "tsv-gb18030":
        readFile(bytes, encoding: .gb18030, format: .tsv)
    case "utf8":
        // The validator agrees with the standard library's decoder.
        let ours = UTF8Validation.isValid(bytes)
        let theirs = String(validating: bytes, as: UTF8.self) != nil
        check(ours == theirs, "UTF8Validation says \(ours), the standard library \(theirs)")
    case "textfile":
        guard FileManager.default.createFile(atPath: scratch.path, contents: Data(bytes)) else { return 0 }
        _ = try? TextFile.read(scratch)
    case "date":
        let parsed = DateParser.parse(text)
        if let date = parsed.date, date.year >= 1000 {
            check(DateParser.parse(date.description).date == date, "\(date) does not parse back to itself")
        }
    case "ids":
        let id = ResidentID.parse(text, asOf: today)
        if id.isValid, let n = id.normalized {
            let again = ResidentID.parse(n, asOf: today)
            check(again.isValid && again.normalized == n, "a valid ID's normal form is not valid")
        }
        let code = CreditCode.parse(text)
        if code.isValid, let n = code.normalized { check(CreditCode.parse(n).isValid, "a valid credit code's normal form is not valid") }
        let phone = PhoneNumber.parse(text)
        if phone.isValid, let n = phone.normalized { check(PhoneNumber.parse(n).normalized == n, "a phone's normal form changes") }
    default:
        FileHandle.standardError.write(Data("unknown ZHAOREN_FUZZ_TARGET \(target)\n".utf8))
        exit(2)
    }
    return 0
}

/// libFuzzer's driver, started from the entry point SwiftPM gives an executable target.
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(_ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
                         _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> CInt) -> CInt

@_cdecl("ZhaorenFuzz_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var count = argc
    var arguments = argv
    return LLVMFuzzerRunDriver(&count, &arguments) { data, size in fuzz(data, size) }
}
