/// Days since 1970-01-01 to a proleptic Gregorian (year, month, day), for every layer that
/// counts days: the engine's dates (`CivilDate`) and a workbook's serial dates.
///
/// ```swift
/// CivilDays.civil(0)       // (1970, 1, 1)
/// CivilDays.civil(5_544)   // (1985, 3, 7)
/// ```
package enum CivilDays {
    /// The civil date `days` days after 1970-01-01 (negative: before).
    @inlinable
    package static func civil(_ days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }
}
