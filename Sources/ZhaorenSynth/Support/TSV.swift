/// Parses the embedded tab-separated tables: `#` lines are comments, fields split on tabs.
enum TSV {
    /// The data rows of `text`, each split into its fields.
    static func rows(_ text: String) -> [[Substring]] {
        text.split(separator: "\n", omittingEmptySubsequences: true).compactMap { line in
            line.hasPrefix("#") ? nil : line.split(separator: "\t", omittingEmptySubsequences: false)
        }
    }
}
