import Testing
@testable import Zhaoren
import ZhaorenSupport

/// A fixed "today" so the tests do not depend on the clock.
private let today = CivilDate(year: 2026, month: 11, day: 23)!

private func parse(_ s: String) -> ResidentID { ResidentID.parse(s, asOf: today) }

@Suite struct ResidentIDTests {
    // MARK: Published examples

    @Test func standardAppendixFemale() {
        let id = parse("11010519491231002X")
        #expect(id.isValid)
        #expect(id.normalized == "11010519491231002X")
        #expect(id.birthDate == CivilDate(year: 1949, month: 12, day: 31))
        #expect(id.sex == .female)
        #expect(id.regionCode == "110105")
        #expect(id.issues.codes == [])
    }

    @Test func standardAppendixBorn1880IsValid() {
        let id = parse("440524188001010014")
        #expect(id.isValid)
        #expect(id.sex == .male)
        #expect(id.birthDate == CivilDate(year: 1880, month: 1, day: 1))
        #expect(id.issues.isDisjoint(with: .errors))
    }

    @Test func workedExampleWithX() {
        #expect(parse("34052419800101001X").isValid)
    }

    // MARK: Generated vectors

    @Test func randomValidBodiesValidateAndEverySubstitutionFails() {
        var rng = SeededGenerator(seed: 20_261_123)
        for _ in 0..<300 {
            let region = ["110105", "440524", "640402", "362324", "830000"].randomElement(using: &rng)!
            let day = CivilDate(dayNumber: Int32.random(in: -18_000...19_000, using: &rng))   // 1920–2022
            let seq = String(Int.random(in: 0...999, using: &rng))
            let body = region + day.compact + String(repeating: "0", count: 3 - seq.count) + seq
            let check = CheckDigits.residentID(Array(body.utf8))!
            let number = body + String(UnicodeScalar(check))
            let id = parse(number)
            #expect(id.isValid, "\(number)")
            #expect(id.birthDate == day)
            #expect(ResidentID.isValid(ascii: Array(number.utf8), asOf: today))
            #expect(ResidentID.packedValue(Array(number.utf8)).map(ResidentID.normalized(packedValue:)) == number)
            // Every single-character substitution in the body breaks MOD 11-2.
            var bytes = Array(number.utf8)
            for i in 0..<17 {
                let original = bytes[i]
                for d in UInt8(48)...57 where d != original {
                    bytes[i] = d
                    #expect(!ResidentID.isValid(ascii: bytes, asOf: today))
                    let wrong = parse(String(decoding: bytes, as: UTF8.self))
                    #expect(!wrong.isValid)
                    #expect(wrong.issues.contains(.badChecksum) || wrong.issues.contains(.badDate) ||
                            wrong.issues.contains(.futureDate) || wrong.issues.contains(.tooOld))
                }
                bytes[i] = original
            }
        }
    }

    @Test func fastPathAgreesWithFullParse() {
        var rng = SeededGenerator(seed: 7)
        for _ in 0..<5_000 {
            var bytes = (0..<17).map { _ in UInt8.random(in: 48...57, using: &rng) }
            bytes[6] = 49; bytes[7] = [57, 48].randomElement(using: &rng)!   // 19xx / 20xx
            bytes.append(Bool.random(using: &rng) ? CheckDigits.residentID(bytes)! : UInt8.random(in: 48...57, using: &rng))
            let full = parse(String(decoding: bytes, as: UTF8.self))
            #expect(ResidentID.isValid(ascii: bytes, asOf: today) == full.isValid)
        }
    }

    // MARK: Traps (domain-china.md §1)

    @Test func legacy15UpgradeInserts19() {
        let id = parse("330102200403064")
        #expect(id.isValid)
        #expect(id.normalized == "33010219200403064X")
        #expect(id.birthDate == CivilDate(year: 1920, month: 4, day: 3))
        #expect(id.issues.contains(.legacy15))
        #expect(parse("150102880730303").normalized == "150102198807303035")
        // …and 20040306 also reads as a 2004 birth date: an 18-digit number cut short.
        #expect(id.issues.contains(.possiblyTruncated))
        #expect(!parse("150102880730303").issues.contains(.possiblyTruncated))
        let truncated = parse("640402200905078")   // 640402 2009-05-07 …, cut after 15 digits
        #expect(truncated.isValid && truncated.issues.codes.contains("possibly_truncated"))
        let female = parse("610104620927690")
        #expect(female.normalized == "610104196209276908")
        #expect(female.sex == .female)
    }

    @Test func legacy15WithFeb29Of1900IsInvalid() {
        let id = parse("110105000229123")
        #expect(!id.isValid)
        #expect(id.issues.codes == ["bad_date", "legacy_15"])
    }

    @Test func year1900IsNotLeapBut2000Is() {
        #expect(parse("110105190002290017").issues.contains(.badDate))
        #expect(parse("110105200002290013").isValid)
    }

    @Test func futureDateIsInvalidUnlikePythonStdnum() {
        #expect(parse("110105209901011234").issues.codes == ["future_date"])
        #expect(parse("110105209912310010").issues.contains(.futureDate))
    }

    @Test func before1880IsTooOld() {
        #expect(parse("110105187901010018").issues.codes == ["too_old"])
    }

    @Test func unknownRegionIsOnlyAWarning() {
        let id = parse("111111111111111")
        #expect(id.isValid)
        #expect(id.issues.codes == ["legacy_15", "unknown_region"])
    }

    @Test func abolishedAndReusedCodeStaysValid() {
        let id = parse("362324198001010014")
        #expect(id.isValid)
        #expect(id.issues.codes == [])
        // 362324 (铅山县 from 1982) was abolished by 2000: a 2005 birth is a warning, still valid.
        let later = parse("362324200501010010")
        #expect(later.isValid)
        #expect(later.issues.codes == ["region_not_in_force"])
    }

    @Test func codeCreatedAfterBirthIsAWarning() {
        // 110111 房山区 exists from 1986; someone born 1950 can carry it after re-coding.
        let id = parse("11011119500101001X")
        #expect(id.isValid)
        #expect(id.issues.codes == ["region_not_in_force"])
    }

    @Test("HK, Macau and Taiwan residence permits are valid",
          arguments: ["81000019980902013X", "820000200009100032", "830000200209060065", "810000199408230021", "830000199201300022"])
    func residencePermits(number: String) {
        let id = parse(number)
        #expect(id.isValid)
        #expect(id.issues.codes == [])
    }

    @Test func foreignPermanentResidentID() {
        let id = parse("932682198501010017")
        #expect(id.isValid)
        #expect(id.issues.codes == ["foreign_permanent"])
        #expect(id.regionCode == nil)
        #expect(id.birthDate == CivilDate(year: 1985, month: 1, day: 1))
    }

    @Test func fifteenDigitsStartingWith9AreNotForeign() {
        #expect(parse("912345850101123").issues.codes == ["legacy_15", "unknown_region"])
    }

    @Test func lowercaseXIsAcceptedAndReported() {
        let id = parse("44011320141005001x")
        #expect(id.isValid)
        #expect(id.normalized == "44011320141005001X")
        #expect(id.issues.codes == ["lowercase_x"])
    }

    @Test func xOnlyInLastPosition() {
        #expect(parse("11010519491231X02X").issues.codes == ["bad_character"])
        #expect(parse("1101051949123100AX").issues.codes == ["bad_character"])
        #expect(parse("33010220040306X").issues.codes == ["bad_character"])
    }

    @Test func fullwidthDigitsAreFolded() {
        let id = parse("１１０１０５１９４９１２３１００２Ｘ")
        #expect(id.isValid)
        #expect(id.normalized == "11010519491231002X")
        #expect(id.issues.codes == ["fullwidth"])
    }

    @Test func innerSeparatorsAreRemoved() {
        #expect(parse("110105 19491231 002X").issues.codes == ["separators"])
        #expect(parse("110105-1949-1231-002X").normalized == "11010519491231002X")
    }

    @Test func excelPrefixes() {
        for s in ["\t11010519491231002X", "'11010519491231002X", "=\"11010519491231002X\""] {
            let id = parse(s)
            #expect(id.isValid)
            #expect(id.issues.codes == ["excel_prefix"])
        }
    }

    @Test func excelMangling() {
        let float = parse("1.10105E+17")
        #expect(!float.isValid)
        #expect(float.issues.codes == ["excel_mangled"])
        let zeros = parse("110105194912310000")
        #expect(!zeros.isValid)
        #expect(zeros.issues.codes == ["bad_checksum", "excel_mangled"])
        #expect(zeros.birthDate == CivilDate(year: 1949, month: 12, day: 31))
    }

    @Test func badLengthAndChecksum() {
        #expect(parse("1101051949").issues.codes == ["bad_length"])
        #expect(parse("").issues.codes == ["bad_length"])
        #expect(parse("110105194912310021").issues.codes == ["bad_checksum"])
        #expect(parse("110105194913310021").issues.codes == ["bad_date"])
    }

    @Test func packedValueFits61Bits() {
        let max = ResidentID.packedValue(Array("99999999999999999X".utf8))!
        #expect(max < 1 << 61)
        #expect(ResidentID.packedValue(Array("11010519491231002X".utf8)) == 121_115_714_403_541_032)
        #expect(ResidentID.packedValue(Array("1101051949123100X2".utf8)) == nil)
    }
}
