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
    /// The delimiter in use: `.csv` or `.tsv`.
    public var format: InputFormat = .csv

    /// Creates empty statistics.
    public init() {}

    /// All rejected rows.
    public var rowsRejected: Int { rejectedByReason.values.reduce(0, +) }
}
