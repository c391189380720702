import ArgumentParser
import Foundation
import Zhaoren
import ZhaorenSupport

/// `zhaoren normalize`: every input row written back in UTF-8 with normalized columns added.
struct NormalizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "normalize",
        abstract: "Write a CSV, TSV or Excel file back as UTF-8 CSV with normalized columns added per role.",
        discussion: """
            Every input row is written with all its original columns, followed by normalized
            columns for each role in --columns (e.g. name_folded, name_pinyin, id_normalized,
            id_valid, birth_iso, phone_normalized). Rows that cannot be read go to the reject
            file with their line number and reason.

            Exit status: 0 done (even with rejected rows), 1 bad input (message on stderr as
            file:line:column: message), 64 bad usage.
            """
    )

    @Argument(help: "The input CSV or TSV file (UTF-8 or GB18030), or an Excel workbook (.xlsx).")
    var file: String

    @Option(help: ArgumentHelp("Column roles: ROLE=HEADER[,ROLE=HEADER…] (e.g. name=姓名,id=身份证号).",
                               valueName: "roles"))
    var columns: String

    @OptionGroup var input: InputOptions

    @Option(help: "The output CSV file (written atomically).")
    var out: String

    @Option(help: "The reject file (default: beside the output, OUT.rejects.csv).")
    var rejects: String?

    func validate() throws {
        do { try ColumnSpec(parsing: columns).checkRoles(FieldRole.allCases.map(\.rawValue)) } catch { throw ValidationError(error.message) }
    }

    func run() throws {
        let spec: ColumnSpec
        do { spec = try ColumnSpec(parsing: columns) } catch { throw ValidationError(error.message) }
        var options = input.readerOptions
        options.sourceName = file
        do {
            let normalizer = try TableNormalizer(spec: spec)
            let summary = try normalizer.run(input: URL(fileURLWithPath: file), options: options,
                                             output: URL(fileURLWithPath: out),
                                             rejects: rejects.map { URL(fileURLWithPath: $0) })
            Console.error(Self.describe(summary))
        } catch {
            Console.error("zhaoren: \(error.description)\n")
            throw ExitCode(1)
        }
    }

    static func describe(_ s: TableNormalizer.Summary) -> String {
        var text = ""
        for note in s.statistics.notes { text += "\(s.source): \(note)\n" }
        let format = s.format == .xlsx ? "xlsx, sheet \"\(s.statistics.sheet ?? "")\"" : "\(s.encoding.rawValue), \(s.format.rawValue)"
        text += "\(s.source): \(s.rowsRead) rows read (\(format)); "
            + "\(s.rowsWritten) written to \(s.output.relativePath); \(s.rowsRejected) rejected"
        if s.rowsRejected > 0 {
            text += " (" + s.rejectedByReason.sorted { $0.key < $1.key }.map { "\($0.key.rawValue) \($0.value)" }.joined(separator: ", ") + ")"
        }
        text += " to \(s.rejects.relativePath)\n"
        if !s.distinctValues.isEmpty {
            text += "distinct values: " + s.distinctValues.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ") + "\n"
        }
        return text
    }
}
