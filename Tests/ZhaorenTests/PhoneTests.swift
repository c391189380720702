import Testing
@testable import Zhaoren

@Suite struct PhoneTests {
    @Test("country prefixes all give the same mobile", arguments: [
        "+8613800138000", "+86 138 0013 8000", "0086 13800138000", "008613800138000", "8613800138000",
        "86 138-0013-8000", "(+86) 138 0013 8000", "（+86）13800138000", "+86-138.0013.8000", "＋８６ １３８００１３８０００",
    ])
    func prefixes(text: String) {
        let p = PhoneNumber.parse(text)
        #expect(p.isValid, "\(text)")
        #expect(p.kind == .mobile)
        #expect(p.normalized == "13800138000")
        #expect(p.issues.contains(.countryCode))
    }

    @Test func plainMobile() {
        let p = PhoneNumber.parse("13800138000")
        #expect(p.isValid)
        #expect(p.issues.codes == [])
    }

    @Test("unassigned mobile blocks are invalid", arguments: ["14012345678", "15412345678", "16012345678", "17412345678", "17406000000", "19412345678"])
    func unassigned(text: String) {
        let p = PhoneNumber.parse(text)
        #expect(!p.isValid)
        #expect(p.kind == .mobile)
        #expect(p.issues.codes == ["unassigned_block"])
    }

    @Test("assigned edge blocks", arguments: ["14512345678", "14712345678", "16101234567", "17400123456", "17405999999", "19912345678", "16212345678"])
    func assigned(text: String) {
        #expect(PhoneNumber.parse(text).isValid, "\(text)")
    }

    @Test func landlines() {
        #expect(PhoneNumber.parse("010-65529988").normalized == "010-65529988")
        #expect(PhoneNumber.parse("(010) 6552 9988").normalized == "010-65529988")
        #expect(PhoneNumber.parse("0755-82345678").normalized == "0755-82345678")
        #expect(PhoneNumber.parse("0951-2345678").normalized == "0951-2345678")
        #expect(PhoneNumber.parse("+86 10 6552 9988").normalized == "010-65529988")
        #expect(PhoneNumber.parse("+86 (0)10 6552 9988").normalized == "010-65529988")
        #expect(PhoneNumber.parse("09512345678").normalized == "0951-2345678")
    }

    @Test func sevenDigitSubscriberIn02xIsInvalid() {
        let p = PhoneNumber.parse("020-9999999")
        #expect(!p.isValid)
        #expect(p.kind == .landline)
        #expect(p.issues.codes == ["bad_length", "separators"])
        #expect(!PhoneNumber.parse("010-1234567").isValid)
    }

    @Test func subscriberCannotStartWithZeroOrOne() {
        #expect(PhoneNumber.parse("010-01234567").issues.contains(.badSubscriber))
    }

    @Test func extensionsAreReportedNotKept() {
        for text in ["010-65529988转8001", "010-65529988 ext. 8001", "010-65529988-8001", "010 65529988 分机8001", "01065529988#8001", "010-65529988x8001"] {
            let p = PhoneNumber.parse(text)
            #expect(p.isValid, "\(text)")
            #expect(p.normalized == "010-65529988", "\(text)")
            #expect(p.extensionNumber == "8001", "\(text)")
            #expect(p.issues.contains(.hasExtension))
        }
    }

    @Test func serviceNumbers() {
        let p = PhoneNumber.parse("400-810-8888")
        #expect(p.kind == .service)
        #expect(p.normalized == "4008108888")
        #expect(PhoneNumber.parse("800 810 8888").kind == .service)
    }

    @Test func unknownAndMissingArea() {
        #expect(PhoneNumber.parse("65529988").issues.codes == ["missing_area_code"])
        #expect(PhoneNumber.parse("12345").kind == .unknown)
        #expect(PhoneNumber.parse("").issues.codes == ["bad_length"])
        #expect(PhoneNumber.parse("+852 2345 6789").issues.contains(.unrecognized))
        #expect(PhoneNumber.parse("138abc00138000").issues.contains(.badCharacter))
        #expect(PhoneNumber.parse("1380013800").issues.codes == ["bad_length"])
    }

    /// Found by the fuzzer: an area code with no subscriber after it once trapped.
    @Test func anAreaCodeAloneIsABadLength() {
        for text in ["035", "0351", "+86 351", "0955"] {
            let p = PhoneNumber.parse(text)
            #expect(!p.isValid && p.normalized == nil, "\(text)")
        }
    }
}
