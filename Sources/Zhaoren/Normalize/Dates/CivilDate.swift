import ZhaorenSupport
import Foundation

/// A calendar date in the proleptic Gregorian calendar, with a compact day number for
/// flat columns and fast arithmetic.
///
/// ```swift
/// let d = CivilDate(year: 1985, month: 3, day: 7)!
/// d.description              // "1985-03-07"
/// d.dayNumber                // days since 1970-01-01 (5544)
/// CivilDate(dayNumber: d.dayNumber + 1).day   // 8
/// ```
public struct CivilDate: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The year (e.g. 1985).
    public let year: Int
    /// The month, 1–12.
    public let month: Int
    /// The day of the month, 1–31.
    public let day: Int

    /// Creates a date, or `nil` if it does not exist (e.g. 1900-02-29).
    public init?(year: Int, month: Int, day: Int) {
        guard month >= 1, month <= 12, day >= 1, day <= CivilDate.daysIn(month: month, year: year) else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Whether `year` is a Gregorian leap year (1900 is not; 2000 is).
    @inlinable
    public static func isLeap(_ year: Int) -> Bool {
        (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    }

    /// The number of days in `month` of `year`.
    @inlinable
    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days since 1970-01-01 (negative before it).
    /// - Complexity: O(1) (Howard Hinnant's days-from-civil).
    public var dayNumber: Int32 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return Int32(era * 146_097 + doe - 719_468)
    }

    /// The date `dayNumber` days after 1970-01-01.
    public init(dayNumber: Int32) {
        (year, month, day) = CivilDays.civil(Int(dayNumber))
    }

    /// Whole years from `self` to `date` (age at `date` of someone born on `self`).
    ///
    /// ```swift
    /// CivilDate(year: 1966, month: 5, day: 1)!.years(to: CivilDate(year: 2026, month: 4, day: 30)!)  // 59
    /// ```
    public func years(to date: CivilDate) -> Int {
        var age = date.year - year
        if date.month < month || (date.month == month && date.day < day) { age -= 1 }
        return age
    }

    /// `YYYY-MM-DD`.
    public var description: String {
        func pad(_ v: Int, _ width: Int) -> String {
            let s = String(v)
            return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
    }

    /// `YYYYMMDD`.
    public var compact: String { description.replacingOccurrences(of: "-", with: "") }

    public static func < (a: CivilDate, b: CivilDate) -> Bool {
        (a.year, a.month, a.day) < (b.year, b.month, b.day)
    }

    /// Today's date in UTC+8 (China Standard Time), for "not in the future" checks.
    public static func todayInChina() -> CivilDate {
        let seconds = Int(time(nil)) + 8 * 3600
        return CivilDate(dayNumber: Int32(seconds / 86_400))
    }
}
