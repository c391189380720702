/// The character encoding of an input file.
///
/// `auto` detects it: a UTF-8 BOM means UTF-8; otherwise the first chunk holding a non-ASCII
/// byte is checked as strict UTF-8, and if that fails the file is read as GB18030.
/// GB18030 is a superset of GBK and GB2312, so those names map to it.
///
/// ```swift
/// InputEncoding(parsing: "gbk")    // .gb18030
/// InputEncoding(parsing: "UTF-8")  // .utf8
/// ```
public enum InputEncoding: String, Hashable, Sendable, CaseIterable {
    /// Detect: BOM, then strict UTF-8 validation, then GB18030.
    case auto
    /// UTF-8, with or without a BOM.
    case utf8
    /// GB18030 (also reads GBK, GB2312 and code page 936 exports), strictly decoded by ICU.
    case gb18030

    /// Parses a user's spelling: `auto`, `utf8`/`utf-8`, `gb18030`/`gbk`/`gb2312`/`cp936`/`936`
    /// (case-insensitive). `nil` for anything else.
    public init?(parsing text: String) {
        switch text.lowercased().filter({ $0 != "-" && $0 != "_" }) {
        case "auto": self = .auto
        case "utf8": self = .utf8
        case "gb18030", "gbk", "gb2312", "cp936", "936", "windows936", "ansi": self = .gb18030
        default: return nil
        }
    }
}
