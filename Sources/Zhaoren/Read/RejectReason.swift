/// Why the reader set a row aside instead of handing it out.
///
/// The raw value is what the reject file's `reason` column starts with.
public enum RejectReason: String, Hashable, Sendable, CaseIterable, Comparable {
    /// The row has a different number of fields than the header.
    case raggedRow = "ragged_row"
    /// A field holds bytes that are not valid in the file's encoding.
    case invalidEncoding = "invalid_encoding"
    /// A quoted field is never closed before the end of the file.
    case unterminatedQuote = "unterminated_quote"
    /// A row is longer than the reader's limit (``CSVReader/Options/maxRecordBytes``),
    /// which in practice means a stray quote swallowed many lines.
    case recordTooLong = "record_too_long"
    /// A cell of a keyed-encoded file is not a run of tokens (11 base64url characters each),
    /// or the row number or flags are not numbers.
    case invalidToken = "invalid_token"

    /// Orders reasons by their raw value (for stable summaries).
    public static func < (a: RejectReason, b: RejectReason) -> Bool { a.rawValue < b.rawValue }
}
