import ZhaorenSupport

/// The field layout of an input file.
///
/// `auto` recognises an Excel workbook by its first bytes (a zip), and otherwise looks at the
/// header line: more tabs than commas (outside quotes) means TSV. Both text formats follow
/// RFC 4180 quoting (`"a ""b"", c"`); only the delimiter differs.
public enum InputFormat: String, Hashable, Sendable, CaseIterable {
    /// Detect from the header line.
    case auto
    /// Comma-separated values (RFC 4180).
    case csv
    /// Tab-separated values, with the same quoting rules as CSV.
    case tsv
    /// An Excel workbook (`.xlsx`): one sheet of it (see ``CSVReader/Options/sheet``).
    case xlsx

    /// Parses `auto`, `csv`, `tsv` or `xlsx` (case-insensitive). `nil` for anything else.
    public init?(parsing text: String) {
        self.init(rawValue: text.lowercased())
    }

    /// The delimiter byte, or `nil` for `auto`.
    public var delimiter: UInt8? {
        switch self {
        case .auto, .xlsx: nil
        case .csv: UInt8(ascii: ",")
        case .tsv: UInt8(ascii: "\t")
        }
    }
}
