import Testing
@testable import Zhaoren

@Suite struct CivilDateTests {
    @Test func dayNumbersRoundTrip() {
        #expect(CivilDate(year: 1970, month: 1, day: 1)!.dayNumber == 0)
        #expect(CivilDate(year: 2000, month: 3, day: 1)!.dayNumber == 11_017)
        #expect(CivilDate(year: 1880, month: 1, day: 1)!.dayNumber == -32_872)
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<1000 {
            let n = Int32.random(in: -40_000...40_000, using: &rng)
            #expect(CivilDate(dayNumber: n).dayNumber == n)
        }
    }

    @Test func leapYears() {
        #expect(CivilDate(year: 1900, month: 2, day: 29) == nil)
        #expect(CivilDate(year: 2000, month: 2, day: 29) != nil)
        #expect(CivilDate(year: 2023, month: 2, day: 29) == nil)
        #expect(CivilDate(year: 2024, month: 4, day: 31) == nil)
    }

    @Test func ages() {
        let born = CivilDate(year: 1966, month: 5, day: 1)!
        #expect(born.years(to: CivilDate(year: 2026, month: 4, day: 30)!) == 59)
        #expect(born.years(to: CivilDate(year: 2026, month: 5, day: 1)!) == 60)
        #expect(born.description == "1966-05-01")
        #expect(born.compact == "19660501")
    }
}
