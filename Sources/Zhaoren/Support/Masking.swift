/// Masking of personal values wherever people read them: worklists that leave the data
/// center, summaries, reports, block keys in `summary.json`, diagnostics. Masked is the
/// default everywhere; full values need an explicit `--unmask`.
///
/// ```swift
/// Masking.idNumber("64040219850307123X")   // "640402********123X"
/// Masking.phone("13800138000")             // "138****8000"
/// Masking.name("朱刚伟")                    // "朱**"
/// Masking.date("1974-11-07")               // "1974-**-**"
/// Masking.text("原州区南关街道双井社区12号")  // "原州区***…"
/// ```
public enum Masking {
    /// An ID number with only the first 6 (region) and last 4 characters kept; every other
    /// character becomes `*`. Values of 10 characters or fewer are masked entirely.
    public static func idNumber(_ id: String) -> String {
        let utf8 = id.utf8
        if utf8.count > 10, utf8.allSatisfy({ $0 < 0x80 }) {
            // ASCII (every real ID number): slice bytes, no Character array.
            var bytes = Array(utf8)
            for i in 6..<(bytes.count - 4) { bytes[i] = 0x2A }
            return String(decoding: bytes, as: UTF8.self)
        }
        let chars = Array(id)
        guard chars.count > 10 else { return String(repeating: "*", count: chars.count) }
        return String(chars[..<6]) + String(repeating: "*", count: chars.count - 10) + String(chars[(chars.count - 4)...])
    }

    /// A phone number with the first 3 and last 4 characters kept (`138****8000`); values
    /// shorter than 8 characters keep only their last 2.
    public static func phone(_ phone: String) -> String {
        let chars = Array(phone)
        if chars.count >= 8 {
            return String(chars[..<3]) + String(repeating: "*", count: chars.count - 7) + String(chars[(chars.count - 4)...])
        }
        guard chars.count > 2 else { return String(repeating: "*", count: chars.count) }
        return String(repeating: "*", count: chars.count - 2) + String(chars[(chars.count - 2)...])
    }

    /// A name with its first character kept and every other letter masked, word by word for
    /// Latin-script names (`朱**`, `J*** S****`); separators stay.
    public static func name(_ name: String) -> String {
        var out = ""
        var startOfWord = true
        for c in name {
            if c.isWhitespace || c == "·" || c == "-" || c == "'" {
                out.append(c)
                startOfWord = true
            } else if startOfWord {
                out.append(c)
                startOfWord = false
            } else {
                out.append("*")
            }
        }
        return out
    }

    /// A date with the year kept and month and day masked (`1974-**-**`); a value that does
    /// not start with a four-digit year is masked entirely.
    public static func date(_ date: String) -> String {
        let chars = Array(date)
        guard chars.count >= 4, chars[..<4].allSatisfy(\.isNumber) else { return String(repeating: "*", count: chars.count) }
        return String(chars[..<4]) + String(chars[4...].map { $0.isNumber ? "*" : $0 })
    }

    /// Free text (an address, another identifier) with its first 3 characters kept: enough to
    /// see the county, not the house.
    public static func text(_ text: String) -> String {
        let chars = Array(text)
        guard chars.count > 3 else { return String(repeating: "*", count: chars.count) }
        return String(chars[..<3]) + "***…"
    }
}
