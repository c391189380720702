/// A record's place in its input: the source (the file name without its extension) and the
/// 1-based data row (the header is row 0). Written `source:row` in every output.
///
/// ```swift
/// let r = SourceRow(source: "grid_survey", row: 12)
/// r.description          // "grid_survey:12"
/// ```
public struct SourceRow: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The source's name (the file name without its extension).
    public var source: String
    /// The 1-based data row (the header is row 0).
    public var row: Int

    /// Creates a reference.
    public init(source: String, row: Int) {
        self.source = source
        self.row = row
    }

    /// `source:row`.
    public var description: String { "\(source):\(row)" }

    /// Orders by source name, then row.
    public static func < (a: SourceRow, b: SourceRow) -> Bool { (a.source, a.row) < (b.source, b.row) }
}
