import ZhaorenSupport
/// Escaping for text placed in the report's HTML and inline SVG.
enum HTMLText {
    /// Escapes `&`, `<`, `>`, `"` and `'`, so the result is safe in element content and in
    /// quoted attribute values.
    ///
    /// ```swift
    /// HTMLText.escape("<script>&")   // "&lt;script&gt;&amp;"
    /// ```
    static func escape(_ text: String) -> String {
        // Control characters other than tab and newline are not allowed in HTML text.
        MarkupText.escape(text, apostrophe: true, control: "\u{FFFD}", keepsCarriageReturn: false)
    }
}
