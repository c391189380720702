import ArgumentParser
import Foundation
import Zhaoren
import ZhaorenKeyed

/// `zhaoren encode`: a department's file as keyed tokens.
struct EncodeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "encode",
        abstract: "Encode a file for linking without raw values: keyed tokens (HMAC-SHA-256) of every compared value and its typo variants.",
        discussion: """
            Run on the department's own machine. Reads FILE as dedupe and link do (--columns,
            any encoding, CSV/TSV/xlsx), and writes --out: per row its row number, flags and
            tokens, with no raw or unkeyed value. Rows the reader rejects go to --rejects
            (default: beside --out, OUT.rejects.csv), which holds raw values and stays here.
            Link the result with zhaoren link A.enc.csv B.enc.csv --encoded --out DIR.

            Exit status: 0 done, 1 bad input or key (file:line:column: message on stderr), 64 bad usage.
            """
    )

    @Argument(help: "The input file.")
    var file: String

    @Option(help: ArgumentHelp("Column roles: ROLE=HEADER[,ROLE=HEADER…] (e.g. name=姓名,id=身份证号,birth=出生日期).", valueName: "roles"))
    var columns: String

    @Option(help: ArgumentHelp("The key file (zhaoren keygen).", valueName: "file"))
    var keyFile: String

    @Option(help: ArgumentHelp("The encoded file to write.", valueName: "file"))
    var out: String

    @Option(help: ArgumentHelp("Where rejected rows go (default: OUT.rejects.csv beside --out).", valueName: "file"))
    var rejects: String?

    @Option(help: "Salt of the name tokens: birth_year (default; no token stands for every bearer of a common name) or none.")
    var salt: String = "birth_year"

    @OptionGroup var input: InputOptions

    @Flag(help: "No progress on stderr.")
    var quiet = false

    func validate() throws {
        guard KeyedEncoder.Salt(rawValue: salt) != nil else { throw ValidationError("--salt must be birth_year or none") }
        guard URL(fileURLWithPath: out).standardizedFileURL != URL(fileURLWithPath: file).standardizedFileURL else {
            throw ValidationError("--out must not be the input file")
        }
    }

    func run() throws {
        do {
            let key = try LinkageKey(contentsOf: URL(fileURLWithPath: keyFile))
            let source = try RecordSource(path: file, columns: columns, options: input.readerOptions)
            let outURL = URL(fileURLWithPath: out)
            let rejectsURL = rejects.map { URL(fileURLWithPath: $0) }
                ?? outURL.deletingPathExtension().appendingPathExtension("rejects.csv")
            var encoder = KeyedEncoder(key: key, salt: KeyedEncoder.Salt(rawValue: salt)!)
            if !quiet { encoder.progress = { Console.error("zhaoren: \($0)\n") } }
            let s = try encoder.encode(source, to: outURL, rejects: rejectsURL)
            if !quiet {
                Console.error(String(format: "zhaoren: %@: %d rows encoded (%d rejected → %@), %d tokens, %.1f MB, %.2f s (%.0f rows/s), key %@ → %@\n",
                                     source.name, s.rowsEncoded, s.rowsRejected, rejectsURL.path, s.tokens, Double(s.bytes) / 1e6,
                                     s.seconds, s.rowsPerSecond, s.keyFingerprint, out))
            }
        } catch {
            Console.error("zhaoren: \(error.description)\n")
            throw ExitCode(1)
        }
    }
}
