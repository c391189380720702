import Testing
import Zhaoren

@Suite struct SexTests {
    @Test func parsesRegisterSpellings() {
        #expect(Sex(parsing: "男") == .male)
        #expect(Sex(parsing: " 女 ") == .female)
        #expect(Sex(parsing: "F") == .female)
        #expect(Sex(parsing: "1") == .male)
        #expect(Sex(parsing: "2") == .female)
        #expect(Sex(parsing: "未知") == nil)
        #expect(Sex(parsing: "") == nil)
        #expect(Sex.male.code == "M")
    }

    @Test func rolesRoundTrip() {
        #expect(FieldRole(rawValue: "given_name") == .givenName)
        #expect(FieldRole(rawValue: "credit_code") == .creditCode)
        #expect(FieldRole.allCases.count == 13)
    }
}
