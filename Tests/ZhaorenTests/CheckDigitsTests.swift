import Testing
@testable import Zhaoren

@Suite struct CheckDigitsTests {
    @Test("GB 11643 appendix and worked examples", arguments: [
        ("11010519491231002", "X"),
        ("44052418800101001", "4"),
        ("34052419800101001", "X"),
        ("15010219880730303", "5"),
        ("61010419620927690", "8"),
    ])
    func residentID(body: String, check: String) {
        #expect(CheckDigits.residentID(Array(body.utf8)) == Array(check.utf8)[0])
    }

    @Test func residentIDRejectsNonDigits() {
        #expect(CheckDigits.residentID(Array("1101051949123100X".utf8)) == nil)
        #expect(CheckDigits.residentID(Array("1101051949123100".utf8)) == nil)
    }

    @Test func creditCodeStandardExample() {
        #expect(CheckDigits.creditCode(Array("91350100M000100Y4".utf8)) == UInt8(ascii: "3"))
        // I, O, Z, S, V are not in the alphabet.
        #expect(CheckDigits.creditCode(Array("91350100M000100O4".utf8)) == nil)
    }

    @Test func organizationCodeLettersCountFromTen() {
        // M000100Y → 4 only when letters are A=10…Z=35 (M=22, Y=34).
        #expect(CheckDigits.organizationCode(Array("M000100Y".utf8)) == UInt8(ascii: "4"))
        // The Fujian pilot code's embedded org code passes too.
        #expect(CheckDigits.organizationCode(Array("M0001TGQ".utf8)) == UInt8(ascii: "X"))
    }
}
