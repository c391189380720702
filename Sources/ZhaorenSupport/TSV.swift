/// The one reader of the tab-separated tables embedded in the package (region codes, name
/// data, nicknames, the synthetic city's tables): one row per line, fields split on tabs.
/// Blank lines, `#` comment lines and lines whose first field is empty hold no row.
///
/// ```swift
/// TSV.rows("# comment\n王\twang\n\n张\tzhang\n")          // [["王", "wang"], ["张", "zhang"]]
/// TSV.numberedRows("code\tname\n110000\t北京市\n", header: true)[0].line   // 2
/// ```
public enum TSV {
    /// The data rows of `text`, each split into its fields.
    package static func rows(_ text: String) -> [[Substring]] {
        numberedRows(text).map(\.fields)
    }

    /// The data rows of `text` with their 1-based line numbers; with `header`, the first
    /// non-blank line is a header and not returned.
    package static func numberedRows(_ text: String, header: Bool = false) -> [(line: Int, fields: [Substring])] {
        var out: [(line: Int, fields: [Substring])] = []
        var sawHeader = !header
        for (k, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = line.last == "\r" ? line.dropLast() : line
            if line.isEmpty || line.hasPrefix("#") { continue }
            if !sawHeader {
                sawHeader = true
                continue
            }
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            if fields[0].isEmpty { continue }
            out.append((k + 1, fields))
        }
        return out
    }
}
