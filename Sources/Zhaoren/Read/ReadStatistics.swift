/// What a ``CSVReader`` has read so far.
///
/// Every data row is either handed out or rejected: `rowsRead == rowsAccepted + rowsRejected`.
public struct ReadStatistics: Hashable, Sendable {
    /// Data rows seen (accepted and rejected; not the header, not blank lines).
    public var rowsRead = 0
    /// Data rows handed out in batches.
    public var rowsAccepted = 0
    /// Rejected rows per reason.
    public var rejectedByReason: [RejectReason: Int] = [:]
    /// Empty lines skipped (they hold no data).
    public var blankLines = 0
    /// Bytes read from the file.
    public var bytes = 0
    /// The encoding in use: the forced one, or the detected one (`.utf8` while only ASCII was seen).
    public var encoding: InputEncoding = .utf8
    /// Whether the encoding was detected from a byte-order mark.
    public var sawByteOrderMark = false
    /// Whether any non-ASCII byte was seen.
    public var sawNonASCII = false
    /// The format in use: `.csv`, `.tsv` or `.xlsx`.
    public var format: InputFormat = .csv
    /// The sheet read, for a workbook.
    public var sheet: String? = nil
    /// The row holding the column names (1-based line of a text file, row of a sheet).
    public var headerRow = 1
    /// The rows above the header that were skipped (titles, unit lines), as short excerpts
    /// (at most 40 characters; runs of 7 or more digits masked), in order.
    public var skippedAboveHeader: [String] = []
    /// The rows (lines) of ``skippedAboveHeader``.
    public var skippedRows: [Int] = []
    /// Workbook cells that held an Excel error (`#N/A`, `#VALUE!` …), read as empty.
    public var errorCells = 0
    /// Workbook formula cells never calculated (no cached value), read as empty.
    public var uncalculatedFormulas = 0
    /// Workbook cells given the value of a vertically merged range above them.
    public var filledFromMerges = 0
    /// Workbook cells with a value in a column right of the header's last name (not read).
    public var cellsOutsideHeader = 0

    /// Creates empty statistics.
    public init() {}

    /// All rejected rows.
    public var rowsRejected: Int { rejectedByReason.values.reduce(0, +) }

    /// What the reader noticed that a user should know, one sentence each: the header row and
    /// the rows skipped above it, and for a workbook the cells read as empty or filled.
    ///
    /// ```swift
    /// reader.statistics.notes
    /// // ["header on row 3; rows 1–2 skipped: \"2024年西吉县低保对象花名册\", \"填报单位：西吉县民政局\"",
    /// //  "2 cells held an Excel error (#N/A, #VALUE! …), read as empty"]
    /// ```
    public var notes: [String] {
        var out: [String] = []
        if let header = HeaderFinder.note(self) { out.append(header) }
        func plural(_ n: Int, _ one: String) -> String { n == 1 ? "1 \(one)" : "\(n) \(one)s" }
        if errorCells > 0 { out.append("\(plural(errorCells, "cell")) held an Excel error (#N/A, #VALUE! …), read as empty") }
        if uncalculatedFormulas > 0 {
            out.append("\(plural(uncalculatedFormulas, "formula cell")) had never been calculated and read as empty (open and save the workbook in Excel or WPS first)")
        }
        if filledFromMerges > 0 { out.append("\(plural(filledFromMerges, "cell")) given the value of a merged range above (a household's cells over its members)") }
        if cellsOutsideHeader > 0 { out.append("\(plural(cellsOutsideHeader, "cell")) right of the header's last named column were not read") }
        return out
    }
}
