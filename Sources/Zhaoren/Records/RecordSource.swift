import Foundation

/// One input file for linking: where it is, which columns play which roles, how to read it.
///
/// ```swift
/// let survey = try RecordSource(path: "survey.csv", columns: "name=姓名,id=身份证号,birth=出生日期")
/// survey.name   // "survey"
/// ```
public struct RecordSource: Sendable, Hashable {
    /// The file.
    public var url: URL
    /// Column roles.
    public var columns: ColumnSpec
    /// Reader options (encoding, format).
    public var options: CSVReader.Options
    /// The source name written in outputs: the file name without its extension.
    public var name: String

    /// Creates a source.
    /// The reader looks for the header among the first rows by the column names of `columns`
    /// unless `options` names them or the header row.
    public init(url: URL, columns: ColumnSpec, options: CSVReader.Options = .init()) {
        self.url = url
        self.columns = columns
        var options = options
        if options.headerNames.isEmpty { options.headerNames = columns.entries.flatMap(\.headers) }
        self.options = options
        name = url.deletingPathExtension().lastPathComponent
    }

    /// Creates a source from a path and a `ROLE=HEADER[,…]` spec.
    /// - Throws: `ZhaorenError(.invalidArgument)` for a spec that does not parse or names a
    ///   role the engine does not know (``FieldRole``).
    public init(path: String, columns: String, options: CSVReader.Options = .init()) throws(ZhaorenError) {
        let spec = try ColumnSpec(parsing: columns)
        try spec.checkRoles(FieldRole.allCases.map(\.rawValue))
        self.init(url: URL(fileURLWithPath: path), columns: spec, options: options)
    }
}
