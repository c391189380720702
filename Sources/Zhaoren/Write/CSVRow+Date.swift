import ZhaorenSupport

extension CSVRow {
    /// A `YYYY-MM-DD` date field, without a `String`.
    ///
    /// ```swift
    /// row.date(CivilDate(year: 1985, month: 3, day: 7)!)   // 1985-03-07
    /// ```
    package mutating func date(_ d: CivilDate) {
        beginField()
        guard d.year >= 0 && d.year <= 9999 else {
            bytes.append(contentsOf: d.description.utf8)
            return
        }
        appendDigits(d.year, width: 4)
        bytes.append(0x2D)
        appendDigits(d.month, width: 2)
        bytes.append(0x2D)
        appendDigits(d.day, width: 2)
    }
}
