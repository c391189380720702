import ArgumentParser
import Zhaoren

/// How input files are read, shared by the commands that read department files.
struct InputOptions: ParsableArguments {
    @Option(help: "Input encoding: auto, utf8 or gb18030 (gbk, gb2312 accepted).")
    var encoding: String = "auto"

    @Option(help: "Input format: auto, csv, tsv or xlsx.")
    var format: String = "auto"

    @Option(help: ArgumentHelp("The sheet of a workbook input: its name or 1-based position (default: the first).", valueName: "name|index"))
    var sheet: String?

    @Option(help: ArgumentHelp("The row holding the column names (default: the first row among the first ten naming the most of the columns).", valueName: "n"))
    var headerRow: Int?

    func validate() throws {
        guard InputEncoding(parsing: encoding) != nil else { throw ValidationError("--encoding must be auto, utf8 or gb18030, not \"\(encoding)\"") }
        guard InputFormat(parsing: format) != nil else { throw ValidationError("--format must be auto, csv, tsv or xlsx, not \"\(format)\"") }
        if let headerRow, headerRow < 1 { throw ValidationError("--header-row must be 1 or more") }
    }

    /// The reader's options.
    var readerOptions: CSVReader.Options {
        var options = CSVReader.Options(encoding: InputEncoding(parsing: encoding)!, format: InputFormat(parsing: format)!)
        options.sheet = sheet
        options.headerRow = headerRow
        return options
    }
}
