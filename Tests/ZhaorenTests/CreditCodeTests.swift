import Testing
@testable import Zhaoren
import ZhaorenSupport

@Suite struct CreditCodeTests {
    @Test func standardExample() {
        let c = CreditCode.parse("91350100M000100Y43")
        #expect(c.isValid)
        #expect(c.normalized == "91350100M000100Y43")
        #expect(c.orgCode == "M000100Y4")
        #expect(c.orgCodeDisplay == "M000100Y-4")
        #expect(c.regionCode == "350100")
        #expect(c.issues.codes == [])
    }

    @Test("Fujian pilot codes: outer check fails, org code passes → valid", arguments: ["91350100M0001TGQXM", "91350211M00013FA1N"])
    func fujianPilot(code: String) {
        let c = CreditCode.parse(code)
        #expect(c.isValid)
        #expect(c.issues.codes == ["pilot_code"])
    }

    @Test func failingOuterCheckOutsideFujianIsInvalid() {
        // Same body as the pilot code, registered in Beijing: no pilot exemption.
        let c = CreditCode.parse("91110100M0001TGQXM")
        #expect(!c.isValid)
        #expect(c.issues.codes == ["bad_checksum"])
        // The pilot rule is broad: any Fujian code whose org code passes keeps a wrong outer check.
        #expect(CreditCode.parse("91350100M000100Y44").issues.codes == ["pilot_code"])
    }

    @Test func orgCodeLettersAreTenToThirtyFiveNotTheUSCCIndex() {
        // MA05K3RP: check 5 with A=10…Z=35, 3 with the GB 32100 index. Both codes pass the outer check.
        #expect(CreditCode.parse("91110105MA05K3RP5R").isValid)
        let wrong = CreditCode.parse("91110105MA05K3RP3K")
        #expect(!wrong.isValid)
        #expect(wrong.issues.codes == ["bad_org_checksum"])
    }

    @Test func lettersOutsideTheAlphabet() {
        #expect(CreditCode.parse("91350100M000100O43").issues.codes == ["bad_character"])
        #expect(CreditCode.parse("9135010OM000100Y4!").issues.codes == ["bad_character"])
    }

    @Test func toleratedForms() {
        let lower = CreditCode.parse("91350100m000100y43")
        #expect(lower.isValid)
        #expect(lower.normalized == "91350100M000100Y43")
        #expect(lower.issues.codes == ["lowercase"])
        #expect(CreditCode.parse("９１３５０１００Ｍ０００１００Ｙ４３").issues.codes == ["fullwidth"])
        #expect(CreditCode.parse("9135 0100 M000 100Y 43").issues.codes == ["separators"])
        #expect(CreditCode.parse("\t91350100M000100Y43").issues.codes == ["excel_prefix"])
    }

    @Test func legacyTaxpayerNumber() {
        let c = CreditCode.parse("350100M000100Y4")
        #expect(c.isValid)
        #expect(c.orgCode == "M000100Y4")
        #expect(c.regionCode == "350100")
        #expect(c.issues.codes == ["legacy_taxpayer_id"])
        let bad = CreditCode.parse("350100M000100Y5")
        #expect(!bad.isValid)
        #expect(bad.issues.codes == ["bad_org_checksum", "legacy_taxpayer_id"])
        // Same organisation code as the USCC.
        #expect(c.orgCode == CreditCode.parse("91350100M000100Y43").orgCode)
    }

    @Test func badLength() {
        #expect(CreditCode.parse("91350100M000100Y4").issues.codes == ["bad_length"])
        #expect(CreditCode.parse("").issues.codes == ["bad_length"])
    }

    @Test func generatedCodesValidateAndSubstitutionsFail() {
        var rng = SeededGenerator(seed: 32_100)
        let alphabet = CheckDigits.creditCodeAlphabet
        for _ in 0..<200 {
            var org = (0..<8).map { _ in alphabet[Int.random(in: 0..<31, using: &rng)] }
            org.append(CheckDigits.organizationCode(org)!)
            var body = Array("91110105".utf8) + org
            body.append(CheckDigits.creditCode(body)!)
            let code = String(decoding: body, as: UTF8.self)
            #expect(CreditCode.parse(code).isValid, "\(code)")
            for i in 0..<17 {
                let original = body[i]
                let replacement = alphabet[(Int(CheckDigits.creditCodeValue(original)!) + 1 + Int.random(in: 0..<30, using: &rng)) % 31]
                body[i] = replacement
                #expect(!CreditCode.parse(String(decoding: body, as: UTF8.self)).isValid)
                body[i] = original
            }
        }
    }
}

