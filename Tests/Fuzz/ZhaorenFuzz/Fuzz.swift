import Foundation
import Zhaoren
import ZIPFoundation

// Coverage-guided fuzzing (libFuzzer) of the parsers that untrusted files reach: the CSV/TSV
// reader with its encoding detection, the workbook reader (its XML tokenizer, shared strings,
// cells, merges and header search), UTF-8 validation, the text-file reader, the date parser
// and the identifier parsers. Each input must be handled without a crash, a hang or
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
    drain(reader, increasingRows: false)
}

/// Reads every batch of `reader`, checking each row's width and UTF-8 (and, for a workbook,
/// that row numbers increase), then that every data row is accounted for.
func drain(_ reader: CSVReader, increasingRows: Bool) {
    var accepted = 0, rejected = 0, last = reader.statistics.headerRow
    do {
        while let batch = try reader.nextBatch() {
            for row in batch {
                check(row.count == reader.header.count, "row width")
                if increasingRows {
                    check(row.number > last, "row numbers go backwards: \(row.number) after \(last)")
                    last = row.number
                }
                for c in 0..<row.count { check(UTF8Validation.isValid(row[c]), "a field handed out is not UTF-8") }
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

/// The fixed parts of a one-sheet workbook; the fuzzer writes the sheet and the shared strings.
let workbookParts: [(String, String)] = [
    ("[Content_Types].xml", "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"><Default Extension=\"xml\" ContentType=\"application/xml\"/></Types>"),
    ("_rels/.rels", "<Relationships><Relationship Id=\"rId1\" Type=\"x/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>"),
    ("xl/workbook.xml", "<workbook><workbookPr/><sheets><sheet name=\"S\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>"),
    ("xl/_rels/workbook.xml.rels", "<Relationships><Relationship Id=\"rId1\" Type=\"x/worksheet\" Target=\"worksheets/sheet1.xml\"/><Relationship Id=\"rId2\" Type=\"x/sharedStrings\" Target=\"sharedStrings.xml\"/><Relationship Id=\"rId3\" Type=\"x/styles\" Target=\"styles.xml\"/></Relationships>"),
    ("xl/styles.xml", "<styleSheet><numFmts><numFmt numFmtId=\"164\" formatCode=\"yyyy&quot;年&quot;m&quot;月&quot;\"/></numFmts><cellXfs><xf numFmtId=\"0\"/><xf numFmtId=\"14\"/><xf numFmtId=\"164\"/></cellXfs></styleSheet>"),
]
let workbookScratch = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("zhaoren-fuzz-\(getpid()).xlsx")

/// Reads `bytes` as a workbook whose shared strings are the bytes before the first NUL and
/// whose sheet is the rest, and checks that every row is accounted for.
func readWorkbook(_ bytes: UnsafeBufferPointer<UInt8>) {
    let cut = bytes.firstIndex(of: 0) ?? -1
    let shared = cut >= 0 ? Data(bytes[..<cut]) : Data()
    let sheet = Data(cut >= 0 ? bytes[(cut + 1)...] : bytes[...])
    guard let archive = try? Archive(data: Data(), accessMode: .create) else { return }
    let parts = workbookParts.map { ($0.0, Data($0.1.utf8)) } + [("xl/sharedStrings.xml", shared), ("xl/worksheets/sheet1.xml", sheet)]
    for (path, data) in parts {
        guard (try? archive.addEntry(with: path, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate,
                                     provider: { p, n in data.subdata(in: Int(p)..<Int(p) + n) })) != nil else { return }
    }
    guard let zip = archive.data, FileManager.default.createFile(atPath: workbookScratch.path, contents: zip) else { return }
    var options = CSVReader.Options()
    options.headerNames = ["姓名", "身份证号"]
    guard let reader = try? CSVReader(url: workbookScratch, options: options) else { return }   // a damaged part is an error, fine
    check(reader.format == .xlsx, "a workbook read as \(reader.format)")
    drain(reader, increasingRows: true)
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
    case "sheet":
        readWorkbook(bytes)
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
