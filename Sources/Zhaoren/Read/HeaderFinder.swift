/// Finds the header among the first rows of a file, for text files and workbooks alike:
/// departments put a title (`2024年西吉县低保对象花名册`), a unit line (`填报单位：…`) or a blank
/// row above the column names.
///
/// ```swift
/// HeaderFinder.choose([["2024年西吉县低保对象花名册"], ["填报单位：民政局"], ["序号", "姓名", "身份证号"]],
///                     names: ["姓名", "身份证号"])          // 2
/// ```
enum HeaderFinder {
    /// The index of the first row naming the most of `names` (matched as ``ColumnSelection``
    /// matches them: trimmed, then width- and case-folded without spaces); 0 when none names any.
    static func choose(_ rows: [[String]], names: [String]) -> Int {
        let wanted = Set(names.map(ColumnSelection.fold))
        guard !wanted.isEmpty else { return 0 }
        var best = 0, bestScore = 0
        for (k, row) in rows.enumerated() {
            let score = Set(row.map(ColumnSelection.fold)).intersection(wanted).count
            if score > bestScore { best = k; bestScore = score }
        }
        return best
    }

    /// A skipped row as a short excerpt for a report: its non-empty cells joined by a space,
    /// runs of seven or more digits masked (a skipped row could hold an ID number or a phone),
    /// at most 40 characters.
    static func excerpt(_ fields: [String]) -> String {
        let text = fields.map { $0.trimmingWhitespace() }.filter { !$0.isEmpty }.joined(separator: " ")
        var out = "", digits = ""
        func flush() {
            out += digits.count >= 7 ? String(repeating: "*", count: digits.count) : digits
            digits = ""
        }
        for c in text {
            if c.isASCII && c.isNumber { digits.append(c) } else { flush(); out.append(c) }
        }
        flush()
        return out.count > 40 ? String(out.prefix(40)) + "…" : out
    }

    /// `header on row 3; rows 1–2 skipped: "2024年西吉县低保对象花名册", "填报单位：…"` — or `nil`
    /// when no row was skipped.
    static func note(_ statistics: ReadStatistics) -> String? {
        guard !statistics.skippedAboveHeader.isEmpty else { return nil }
        var text = "header on row \(statistics.headerRow)"
        let rows = statistics.skippedRows
        let span = rows.count == 1 ? "row \(rows[0])"
            : (rows.last! - rows.first! + 1 == rows.count ? "rows \(rows.first!)–\(rows.last!)" : "rows " + rows.map(String.init).joined(separator: ", "))
        text += "; \(span) skipped: " + statistics.skippedAboveHeader.map { "\"\($0)\"" }.joined(separator: ", ")
        return text
    }
}
