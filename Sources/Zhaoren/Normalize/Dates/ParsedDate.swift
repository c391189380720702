/// The result of ``DateParser/parse(_:)``: a day, a month, or why the text is not a date.
///
/// ```swift
/// DateParser.parse("1985-03-07")   // .day(1985-03-07)
/// DateParser.parse("1985年3月")     // .month(year: 1985, month: 3)
/// DateParser.parse("1985-02-30")   // .failure(code: "bad_date", message: "1985-02-30: February 1985 has 28 days")
/// ```
public enum ParsedDate: Hashable, Sendable, CustomStringConvertible {
    /// A full date (day precision).
    case day(CivilDate)
    /// A year and month only (month precision), e.g. from `198503` or `1985年3月`.
    case month(year: Int, month: Int)
    /// Not a date: a short `code` (`bad_date`, `unrecognized`, `out_of_range`) and a sentence.
    case failure(code: String, message: String)

    /// The date, if day precision.
    public var date: CivilDate? {
        if case .day(let d) = self { return d }
        return nil
    }

    /// The year, for day or month precision.
    public var year: Int? {
        switch self {
        case .day(let d): return d.year
        case .month(let y, _): return y
        case .failure: return nil
        }
    }

    /// The month, for day or month precision.
    public var month: Int? {
        switch self {
        case .day(let d): return d.month
        case .month(_, let m): return m
        case .failure: return nil
        }
    }

    /// Whether a date or month was recognized.
    public var isSuccess: Bool {
        if case .failure = self { return false }
        return true
    }

    /// The failure code, or `nil` on success.
    public var failureCode: String? {
        if case .failure(let code, _) = self { return code }
        return nil
    }

    /// `YYYY-MM-DD`, `YYYY-MM`, or the failure message.
    public var description: String {
        switch self {
        case .day(let d): return d.description
        case .month(let y, let m): return String(y) + (m < 10 ? "-0" : "-") + String(m)
        case .failure(_, let message): return message
        }
    }
}
