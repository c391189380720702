/// Parses the date spellings found in Chinese department exports, working on UTF-8 bytes
/// (no `DateFormatter`), fast enough for millions of cells.
///
/// Recognized: `YYYYMMDD`, `YYYY-MM-DD`, `YYYY/M/D`, `YYYY.MM.DD`, `YYYY年M月D日` (or `号`),
/// `YYYY年M月`, `YYYYMM`, `YYYY-MM`, `YYYY/M`, `YYYY.MM`, and Excel serial numbers of 5 digits
/// (1900 date system, 10000–73050, i.e. 1927-05-18 to 2099-12-31, an optional time fraction
/// ignored). Full-width digits and separators are accepted; a time after the date
/// (`1985-03-07 00:00:00`, `1985-03-07T08:00`) is ignored.
///
/// ```swift
/// DateParser.parse("1985/3/7").date          // 1985-03-07
/// DateParser.parse("３１１１３").date           // 1985-03-07 (Excel serial)
/// DateParser.parse("1900-02-29").failureCode // "bad_date" (1900 is not a leap year)
/// ```
public enum DateParser {
    /// Parses `text`. Never throws: failures are ``ParsedDate/failure(code:message:)``.
    /// - Complexity: O(n) in the text length; no allocation unless it fails.
    public static func parse(_ text: String) -> ParsedDate {
        var text = text
        return text.withUTF8 { parse(utf8: $0) }
    }

    /// Parses UTF-8 bytes, e.g. a field slice of a file buffer.
    /// - Complexity: O(n); no allocation unless it fails.
    public static func parse(utf8 p: UnsafeBufferPointer<UInt8>) -> ParsedDate {
        var cursor = Cursor(p)
        cursor.skipSpaces()
        guard let g1 = cursor.digits() else { return unrecognized(p) }
        let s1 = cursor.separator()
        if s1 == .none {
            guard cursor.atEndOrTime() else { return unrecognized(p) }
            switch g1.length {
            case 8: return day(g1.value / 10_000, g1.value / 100 % 100, g1.value % 100, p)
            case 6: return month(g1.value / 100, g1.value % 100, p)
            case 5: return serial(g1.value, p)
            default: return unrecognized(p)
            }
        }
        if g1.length == 5 && s1 == .dot {
            // Excel serial with a time fraction: 31114.5
            guard cursor.digits() != nil, cursor.atEndOrTime() else { return unrecognized(p) }
            return serial(g1.value, p)
        }
        guard g1.length == 4, s1 != .day, s1 != .month else { return unrecognized(p) }
        guard let g2 = cursor.digits(), g2.length <= 2 else { return unrecognized(p) }
        let s2 = cursor.separator()
        if s2 == .none {
            guard cursor.atEndOrTime() else { return unrecognized(p) }
            return month(g1.value, g2.value, p)
        }
        if s2 == .month && s1 == .year && cursor.atEndOrTime() { return month(g1.value, g2.value, p) }
        guard s2 == s1 || s1 == .year && s2 == .month else { return unrecognized(p) }
        guard let g3 = cursor.digits(), g3.length <= 2 else { return unrecognized(p) }
        let s3 = cursor.separator()
        guard s3 == .none || s3 == .day && s1 == .year, cursor.atEndOrTime() else { return unrecognized(p) }
        return day(g1.value, g2.value, g3.value, p)
    }

    /// Converts an Excel serial day number (1900 date system) to a date. Excel counts a fake
    /// 1900-02-29 as serial 60, so serials from 61 on are days since 1899-12-30; serial 60 has
    /// no real date (`nil`).
    ///
    /// ```swift
    /// DateParser.excelSerial(31113)   // 1985-03-07
    /// ```
    public static func excelSerial(_ serial: Int) -> CivilDate? {
        if serial == 60 || serial < 1 { return nil }
        // 1899-12-31 is serial 0; before the fake leap day the offset is one day less.
        let epoch = serial < 60 ? -25_568 : -25_569   // day numbers of 1900-01-00 and 1899-12-30
        return CivilDate(dayNumber: Int32(epoch + serial))
    }

    // MARK: - Results

    private static func day(_ y: Int, _ m: Int, _ d: Int, _ p: UnsafeBufferPointer<UInt8>) -> ParsedDate {
        if let date = CivilDate(year: y, month: m, day: d) { return .day(date) }
        let text = String(decoding: p, as: UTF8.self)
        if m < 1 || m > 12 { return .failure(code: "bad_date", message: "\(text): there is no month \(m)") }
        let days = CivilDate.daysIn(month: m, year: y)
        return .failure(code: "bad_date", message: "\(text): \(monthNames[m - 1]) \(y) has \(days) days")
    }

    private static func month(_ y: Int, _ m: Int, _ p: UnsafeBufferPointer<UInt8>) -> ParsedDate {
        guard m >= 1, m <= 12 else {
            return .failure(code: "bad_date", message: "\(String(decoding: p, as: UTF8.self)): there is no month \(m)")
        }
        return .month(year: y, month: m)
    }

    private static func serial(_ value: Int, _ p: UnsafeBufferPointer<UInt8>) -> ParsedDate {
        guard value >= 10_000, value <= 73_050, let date = excelSerial(value) else {
            return .failure(code: "out_of_range",
                            message: "\(String(decoding: p, as: UTF8.self)): Excel serial outside 10000–73050 (1927–2099)")
        }
        return .day(date)
    }

    private static func unrecognized(_ p: UnsafeBufferPointer<UInt8>) -> ParsedDate {
        .failure(code: "unrecognized", message: "\(String(decoding: p, as: UTF8.self)): not a date format Zhaoren knows")
    }

    private static let monthNames = ["January", "February", "March", "April", "May", "June", "July",
                                     "August", "September", "October", "November", "December"]

    // MARK: - Scanning

    private enum Separator { case none, hyphen, slash, dot, year, month, day }

    /// A forward scanner over UTF-8 bytes folding full-width digits and separators.
    private struct Cursor {
        let p: UnsafeBufferPointer<UInt8>
        var i = 0
        init(_ p: UnsafeBufferPointer<UInt8>) { self.p = p }

        func byte(_ k: Int) -> UInt8 { i + k < p.count ? p[i + k] : 0 }

        /// The width of a space at the cursor (ASCII, NBSP, U+3000, BOM), or 0.
        func spaceWidth() -> Int {
            switch byte(0) {
            case 0x20, 0x09, 0x0D, 0x0A: return 1
            case 0xC2 where byte(1) == 0xA0: return 2
            case 0xE3 where byte(1) == 0x80 && byte(2) == 0x80: return 3
            case 0xEF where byte(1) == 0xBB && byte(2) == 0xBF: return 3
            default: return 0
            }
        }

        mutating func skipSpaces() {
            while case let w = spaceWidth(), w > 0 { i += w }
        }

        /// The digit at the cursor (ASCII or full-width) and its width.
        func digit() -> (Int, Int)? {
            let b = byte(0)
            if b &- 48 <= 9 { return (Int(b &- 48), 1) }
            if b == 0xEF && byte(1) == 0xBC, case let c = byte(2), c >= 0x90, c <= 0x99 { return (Int(c - 0x90), 3) }
            return nil
        }

        /// A run of up to 9 digits (longer runs are not dates).
        mutating func digits() -> (value: Int, length: Int)? {
            var value = 0, length = 0
            while let (d, w) = digit() {
                value = value &* 10 &+ d
                length += 1
                i += w
                if length > 9 { return nil }
            }
            return length == 0 ? nil : (value, length)
        }

        mutating func separator() -> Separator {
            let b0 = byte(0), b1 = byte(1), b2 = byte(2)
            let (sep, width): (Separator, Int)
            switch (b0, b1, b2) {
            case (0x2D, _, _): (sep, width) = (.hyphen, 1)
            case (0x2F, _, _): (sep, width) = (.slash, 1)
            case (0x2E, _, _): (sep, width) = (.dot, 1)
            case (0xEF, 0xBC, 0x8D): (sep, width) = (.hyphen, 3)   // －
            case (0xEF, 0xBC, 0x8F): (sep, width) = (.slash, 3)    // ／
            case (0xEF, 0xBC, 0x8E): (sep, width) = (.dot, 3)      // ．
            case (0xE5, 0xB9, 0xB4): (sep, width) = (.year, 3)     // 年
            case (0xE6, 0x9C, 0x88): (sep, width) = (.month, 3)    // 月
            case (0xE6, 0x97, 0xA5): (sep, width) = (.day, 3)      // 日
            case (0xE5, 0x8F, 0xB7): (sep, width) = (.day, 3)      // 号
            default: return .none
            }
            i += width
            return sep
        }

        /// At the end (after trailing spaces), or at a time part: spaces or `T` then a digit.
        mutating func atEndOrTime() -> Bool {
            if i >= p.count { return true }
            let start = i
            skipSpaces()
            if i >= p.count { return true }
            if i > start && digit() != nil { return true }
            if i == start && (byte(0) == UInt8(ascii: "T") || byte(0) == UInt8(ascii: "t")) {
                i += 1
                return digit() != nil
            }
            return false
        }
    }
}
