/// Escaping for text placed in the report's HTML and inline SVG.
enum HTMLText {
    /// Escapes `&`, `<`, `>`, `"` and `'`, so the result is safe in element content and in
    /// quoted attribute values.
    ///
    /// ```swift
    /// HTMLText.escape("<script>&")   // "&lt;script&gt;&amp;"
    /// ```
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default:
                // Control characters other than tab/newline are not allowed in HTML text.
                if scalar.value < 0x20 && scalar != "\t" && scalar != "\n" { out += "\u{FFFD}" } else { out.unicodeScalars.append(scalar) }
            }
        }
        return out
    }
}
