/// Escaping text for markup, shared by the report's HTML and the workbooks' XML.
///
/// ```swift
/// MarkupText.escape("a<b & \"c\"", apostrophe: false, control: nil)     // "a&lt;b &amp; &quot;c&quot;"
/// MarkupText.escape("it's\u{7}", apostrophe: true, control: "\u{FFFD}")  // "it&#39;s\u{FFFD}"
/// ```
package enum MarkupText {
    /// `text` with `& < > "` (and `'` when `apostrophe`) escaped; control characters other than
    /// tab and line breaks (and U+FFFE, U+FFFF) replaced by `control`, or dropped when it is `nil`.
    /// `keepsCarriageReturn` keeps CR as a line break (XML), else it is a control character (HTML).
    package static func escape(_ text: String, apostrophe: Bool, control: Character?, keepsCarriageReturn: Bool = true) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for u in text.unicodeScalars {
            switch u {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'" where apostrophe: out += "&#39;"
            case "\t", "\n": out.unicodeScalars.append(u)
            case "\r" where keepsCarriageReturn: out.unicodeScalars.append(u)
            default:
                if u.value < 0x20 || (0xFFFE...0xFFFF).contains(u.value) {
                    if let control { out.append(control) }
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        return out
    }
}
