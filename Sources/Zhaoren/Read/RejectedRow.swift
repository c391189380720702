/// A row the reader did not hand out, with where it was and why.
///
/// Written by ``RejectWriter`` as `source,row,line,column,reason,raw`.
public struct RejectedRow: Hashable, Sendable {
    /// The input file, as named by the caller.
    public var source: String
    /// The 1-based data row number (the header is row 0).
    public var row: Int
    /// The 1-based physical line on which the row starts.
    public var line: Int
    /// The 1-based field at fault, where one is (an undecodable field); `nil` otherwise.
    public var column: Int?
    /// The kind of fault.
    public var reason: RejectReason
    /// A sentence with the details, e.g. `7 fields, the header has 5`.
    public var detail: String
    /// The row as text, best effort: bytes invalid in the encoding appear as `\xNN`;
    /// very long rows are cut at 64 KiB and end with `…`.
    public var raw: String

    /// Creates a rejected row.
    public init(source: String, row: Int, line: Int, column: Int?, reason: RejectReason, detail: String, raw: String) {
        self.source = source
        self.row = row
        self.line = line
        self.column = column
        self.reason = reason
        self.detail = detail
        self.raw = raw
    }

    /// `ragged_row: 7 fields, the header has 5`: the reject file's `reason` cell.
    public var reasonText: String { detail.isEmpty ? reason.rawValue : reason.rawValue + ": " + detail }
}
