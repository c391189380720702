import ZhaorenSupport
/// How a number stored in a workbook cell becomes the text the engine reads: dates from their
/// serial day numbers, long digit strings (ID numbers, phones) written out in full where the
/// cell still holds every digit, and flagged where Excel kept only 15 of them.
///
/// ```swift
/// ExcelNumber.text("27340", isDate: true)                   // "1974-11-07"
/// ExcelNumber.text("13912345678", isDate: false)            // "13912345678"
/// ExcelNumber.text("1.3912345678E10", isDate: false)        // "13912345678"
/// ExcelNumber.text("640422197411075123", isDate: false)     // "640422197411075123" (all digits kept)
/// ExcelNumber.text("6.40422197411075E+17", isDate: false)   // "640422197411075000" → excel_mangled
/// ```
enum ExcelNumber {
    /// Built-in number formats that show a date or time (ECMA-376 §18.8.30 and the zh-CN ids).
    static let builtInDateFormats: Set<Int> = Set(14...22).union(27...36).union(45...47).union(50...58)

    /// Whether a custom format code shows a date or time: after dropping quoted literals,
    /// escapes, fill and padding pairs and bracketed blocks (except elapsed `[h]`, `[m]`, `[s]`)
    /// and the word General, it holds y, m, d, h or s (or the era letters e, g, b).
    static func isDateFormat(_ code: String) -> Bool {
        let section = code.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? code
        var kept: [Character] = []
        var chars = Array(section)
        var i = 0
        while i < chars.count {
            let c = chars[i]
            switch c {
            case "\"":
                i += 1
                while i < chars.count && chars[i] != "\"" { i += 1 }
            case "\\", "_", "*":
                i += 1
            case "[":
                var j = i + 1
                while j < chars.count && chars[j] != "]" { j += 1 }
                let inner = String(chars[(i + 1)..<min(j, chars.count)]).lowercased()
                if ["h", "hh", "m", "mm", "s", "ss"].contains(inner) { kept.append("h") }
                i = j
            default:
                kept.append(c)
            }
            i += 1
        }
        chars = kept
        var text = String(chars).lowercased()
        text = text.replacingOccurrences(of: "general", with: "")
        if text.contains("e+") || text.contains("e-") { return false }
        return text.contains { "ymdhsegb".contains($0) }
    }

    /// The text for a numeric cell whose stored value is `raw` (the `<v>` text).
    static func text(_ raw: String, isDate: Bool, date1904: Bool = false) -> String {
        if isDate, let serial = Double(raw), let date = self.date(serial: serial, date1904: date1904) { return date }
        return numberText(raw)
    }

    /// A serial day number as `YYYY-MM-DD` (with `HH:MM:SS` when it has a time of day); `nil`
    /// for serial 60 (the 29 February 1900 that never was), negative serials and years past 9999.
    static func date(serial: Double, date1904: Bool) -> String? {
        guard serial.isFinite, serial >= 0, serial < 2_958_466 else { return nil }
        let seconds = (serial * 86_400).rounded()
        var days = Int(seconds / 86_400)
        let time = Int(seconds) - days * 86_400
        if date1904 {
            days += 1462
        } else {
            if days == 60 { return nil }
            if days == 0 && time > 0 { return String(format: "%02d:%02d:%02d", time / 3600, time / 60 % 60, time % 60) }
            if days < 60 { days += 1 }   // serials 1–59 count from 1899-12-31; from 61 on, from 1899-12-30
        }
        // Days since 1899-12-30 → civil date (proleptic Gregorian).
        let date = CivilDays.civil(days - 25_569)   // 25,569 days from 1899-12-30 to 1970-01-01
        var out = String(format: "%04d-%02d-%02d", date.year, date.month, date.day)
        if time > 0 { out += String(format: " %02d:%02d:%02d", time / 3600, time / 60 % 60, time % 60) }
        return out
    }

    /// The number written as the engine expects it: a plain integer in full digits (from
    /// scientific notation too) when its digits are all known, the first 15 significant digits
    /// followed by zeros when Excel kept only those (as a CSV saved from Excel shows them, so the
    /// ID check flags `excel_mangled`), and other numbers as stored.
    static func numberText(_ raw: String) -> String {
        let bytes = Array(raw.utf8)
        guard let parsed = Decimal(bytes) else { return raw }
        // The value is digits × 10^exponent (digits without leading zeros).
        let digits = parsed.digits, exponent = parsed.exponent
        if exponent >= 0 {
            // An integer: exact when written plainly or with at most 15 digits; a longer one in
            // scientific notation went through a double and only its first 15 digits are sure.
            let whole = digits + String(repeating: "0", count: exponent)
            guard whole.count > 15, parsed.scientific else { return (parsed.negative ? "-" : "") + whole }
            let kept = String(digits.prefix(15))
            return (parsed.negative ? "-" : "") + kept + String(repeating: "0", count: whole.count - kept.count)
        }
        // A fraction: keep as stored unless written in scientific notation.
        guard parsed.scientific else { return raw }
        let d = Array(digits)
        let point = d.count + exponent
        if point <= 0 { return (parsed.negative ? "-" : "") + "0." + String(repeating: "0", count: -point) + digits }
        return (parsed.negative ? "-" : "") + String(d[0..<point]) + "." + String(d[point...])
    }

    /// A decimal number's significant digits and power of ten.
    private struct Decimal {
        var negative = false
        var digits = ""
        var exponent = 0
        var scientific = false

        init?(_ b: [UInt8]) {
            var i = 0
            if i < b.count && (b[i] == UInt8(ascii: "-") || b[i] == UInt8(ascii: "+")) { negative = b[i] == UInt8(ascii: "-"); i += 1 }
            var mantissa: [UInt8] = []
            var fraction = 0
            var sawPoint = false, sawDigit = false
            while i < b.count {
                let c = b[i]
                if c &- 48 <= 9 {
                    mantissa.append(c)
                    if sawPoint { fraction += 1 }
                    sawDigit = true
                } else if c == UInt8(ascii: ".") && !sawPoint {
                    sawPoint = true
                } else {
                    break
                }
                i += 1
            }
            guard sawDigit else { return nil }
            var exp = 0
            if i < b.count {
                guard b[i] == UInt8(ascii: "e") || b[i] == UInt8(ascii: "E") else { return nil }
                scientific = true
                i += 1
                var expNegative = false
                if i < b.count && (b[i] == UInt8(ascii: "-") || b[i] == UInt8(ascii: "+")) { expNegative = b[i] == UInt8(ascii: "-"); i += 1 }
                guard i < b.count else { return nil }
                while i < b.count {
                    guard b[i] &- 48 <= 9, exp < 10_000 else { return nil }
                    exp = exp * 10 + Int(b[i] &- 48)
                    i += 1
                }
                if expNegative { exp = -exp }
            }
            // Strip leading zeros and trailing zeros (into the exponent).
            var start = 0
            while start < mantissa.count - 1 && mantissa[start] == UInt8(ascii: "0") { start += 1 }
            var end = mantissa.count
            var power = exp - fraction
            while end - 1 > start && mantissa[end - 1] == UInt8(ascii: "0") { end -= 1; power += 1 }
            guard abs(power) < 400 else { return nil }
            digits = String(decoding: mantissa[start..<end], as: UTF8.self)
            exponent = power
            if digits == "0" { exponent = 0; negative = false }
        }
    }
}
