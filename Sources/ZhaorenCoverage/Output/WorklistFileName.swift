/// File names for worklists: `县-乡镇-村.csv`, safe on Linux, macOS and Windows.
enum WorklistFileName {
    /// The name shown for an unknown area level.
    static let unknown = "未知"

    /// `county-township-village.csv` with each level sanitized: path separators, the
    /// characters Windows forbids (`\ / : * ? " < > |`), control characters and `-` (the
    /// level separator) become `_`; leading dots and surrounding spaces are dropped; an empty
    /// level becomes 未知; each level is cut to 60 characters.
    ///
    /// ```swift
    /// WorklistFileName.make(county: "原州区", township: "清河镇", village: "东关/村")  // "原州区-清河镇-东关_村.csv"
    /// ```
    static func make(county: String, township: String, village: String, extension ext: String = "csv") -> String {
        [county, township, village].map(sanitize).joined(separator: "-") + "." + ext
    }

    static func sanitize(_ level: String) -> String {
        var out = ""
        for scalar in level.unicodeScalars {
            switch scalar {
            case "/", "\\", ":", "*", "?", "\"", "<", ">", "|", "-": out += "_"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F { out += "_" } else { out.unicodeScalars.append(scalar) }
            }
        }
        out = out.trimmingCharacters(in: " ")
        while out.hasPrefix(".") { out.removeFirst() }
        if out.count > 60 { out = String(out.prefix(60)) }
        return out.isEmpty ? unknown : out
    }
}

extension String {
    fileprivate func trimmingCharacters(in set: Character) -> String {
        var s = Substring(self)
        while s.first == set { s.removeFirst() }
        while s.last == set { s.removeLast() }
        return String(s)
    }
}
