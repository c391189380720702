import Testing
@testable import Zhaoren

@Suite struct DateParserTests {
    static let march7 = CivilDate(year: 1985, month: 3, day: 7)!

    @Test("day-precision formats", arguments: [
        "19850307", "1985-03-07", "1985/3/7", "1985/03/07", "1985.03.07", "1985年3月7日", "1985年03月07日",
        "1985年3月7号", "1985-03-07 00:00:00", "1985-03-07T08:30", " 1985-3-7 ", "１９８５－０３－０７",
        "１９８５年３月７日", "31113", "31113.5",
    ])
    func dayFormats(text: String) {
        #expect(DateParser.parse(text) == .day(Self.march7), "\(text)")
    }

    @Test("month-precision formats", arguments: ["198503", "1985-03", "1985年3月", "1985/3", "1985.03", "1985-3"])
    func monthFormats(text: String) {
        #expect(DateParser.parse(text) == .month(year: 1985, month: 3), "\(text)")
    }

    @Test func impossibleDatesSayWhy() {
        #expect(DateParser.parse("1985-02-30") == .failure(code: "bad_date", message: "1985-02-30: February 1985 has 28 days"))
        #expect(DateParser.parse("1985-13-01").failureCode == "bad_date")
        #expect(DateParser.parse("198513").failureCode == "bad_date")
        #expect(DateParser.parse("00000000").failureCode == "bad_date")
    }

    @Test func year1900IsNotLeap() {
        #expect(DateParser.parse("1900-02-29").failureCode == "bad_date")
        #expect(DateParser.parse("2000-02-29").date == CivilDate(year: 2000, month: 2, day: 29))
    }

    @Test func excelFakeLeapDay() {
        #expect(DateParser.excelSerial(59) == CivilDate(year: 1900, month: 2, day: 28))
        #expect(DateParser.excelSerial(60) == nil)   // Excel's 1900-02-29, which never existed
        #expect(DateParser.excelSerial(61) == CivilDate(year: 1900, month: 3, day: 1))
        #expect(DateParser.excelSerial(1) == CivilDate(year: 1900, month: 1, day: 1))
        #expect(DateParser.excelSerial(45_000) == CivilDate(year: 2023, month: 3, day: 15))
        #expect(DateParser.parse("99999").failureCode == "out_of_range")
    }

    @Test("unrecognized", arguments: ["", "abc", "85-3-7", "1985-03-07x", "1985-03/07", "1985年3-7", "12345678901", "1985"])
    func unrecognized(text: String) {
        #expect(DateParser.parse(text).failureCode == "unrecognized", "\(text)")
    }

    @Test func descriptions() {
        #expect(DateParser.parse("1985年3月").description == "1985-03")
        #expect(DateParser.parse("1985/3/7").description == "1985-03-07")
    }
}
