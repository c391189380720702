import ArgumentParser
import Foundation
import Zhaoren

/// `zhaoren check resident-id|credit-code|phone [FILE]`: validates one value per line and
/// prints a CSV row per line. All logic is in `IdentifierCheck` (library).
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Validate and normalize resident IDs, credit codes or phone numbers, one per line.",
        discussion: """
            Reads FILE (or standard input), UTF-8 or GB18030, one value per line, and prints CSV with one \
            row per input line, in order. Invalid values are rows with valid=false, not errors.
            """
    )

    enum Kind: String, ExpressibleByArgument, CaseIterable {
        case residentID = "resident-id"
        case creditCode = "credit-code"
        case phone

        var library: IdentifierKind {
            switch self {
            case .residentID: return .residentID
            case .creditCode: return .creditCode
            case .phone: return .phone
            }
        }
    }

    @Argument(help: "What the values are: resident-id, credit-code or phone.")
    var kind: Kind

    @Argument(help: "A file with one value per line (default: standard input).")
    var file: String?

    @Option(name: .customLong("as-of"), help: "The date for the not-in-the-future check (default: today in China), e.g. 2026-01-31.")
    var asOf: String?

    func run() throws {
        var today = CivilDate.todayInChina()
        if let asOf {
            guard let date = DateParser.parse(asOf).date else {
                throw ValidationError("--as-of: \(DateParser.parse(asOf).description)")
            }
            today = date
        }
        let bytes: [UInt8]
        if let file {
            guard let data = FileManager.default.contents(atPath: file) else {
                throw ZhaorenError(.io, "cannot read the file (missing or not readable)", file: file)
            }
            bytes = [UInt8](data)
        } else {
            bytes = [UInt8](FileHandle.standardInput.readDataToEndOfFile())
        }
        let csv = try IdentifierCheck.csv(kind.library, bytes: bytes, file: file, asOf: today)
        Console.out(csv)
    }
}
