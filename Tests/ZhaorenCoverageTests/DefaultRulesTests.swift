import Testing
@testable import ZhaorenCoverage

/// The default label and action rules on hand-made people, through the same schema the run fills.
@Suite struct DefaultRulesTests {
    static let book = try! RuleBook(schema: PersonFacts.schema, labels: CoverageSettings.defaultLabels,
                                    actions: CoverageSettings.defaultActions)

    struct Account {
        var scheme = "城乡居民基本养老保险"
        var status: String
        var local = true
        var lastBenefit: Int? = nil
    }

    func run(age: Int?, sex: String = "M", deathMonth: Int? = nil, policeDeceased: Bool = false,
             lists: Set<String> = [], level: Int? = nil, resolved: Bool = true,
             accounts: [Account] = []) -> (labels: Set<String>, action: String?) {
        let schema = Self.book.schema
        var facts = RuleFacts(schema: schema)
        facts.set("age", age.map { .int($0) } ?? .null, in: schema)
        facts.set("sex", .string(sex), in: schema)
        facts.set("as_of_month", .int(202611), in: schema)
        facts.set("in_population", .bool(true), in: schema)
        for list in ["students", "dibao", "tekun", "disabled", "deaths"] {
            facts.set("in_" + list, .bool(lists.contains(list) || (list == "deaths" && deathMonth != nil)), in: schema)
        }
        facts.set("police_deceased", .bool(policeDeceased), in: schema)
        facts.set("death_month", deathMonth.map { .int($0) } ?? .null, in: schema)
        facts.set("disability_level", level.map { .int($0) } ?? .null, in: schema)
        facts.set("identity_resolved", .bool(resolved), in: schema)
        for a in accounts {
            facts.items[0].append([.string(a.scheme), .string(a.status), .bool(a.local), .string(a.local ? "640402" : "110105"),
                                   .null, .null, a.lastBenefit.map { .int($0) } ?? .null])
        }
        let outcome = Self.book.evaluate(&facts)
        return (Set(outcome.labels.map { Self.book.labels[$0].name }), outcome.action.map { Self.book.actions[$0].name })
    }

    @Test func edgeAgesAtTheReferenceDate() {
        #expect(run(age: 15).labels.isEmpty)
        #expect(run(age: 16).labels == ["working_age", "uninsured_should_enrol"])
        #expect(run(age: 59).labels == ["working_age", "uninsured_should_enrol"])
        #expect(run(age: 60).labels == ["over_60"])
        #expect(run(age: 60).action == "back_pay")
    }

    @Test func deathInTheReferenceMonth() {
        // Benefits paid for the month of death are due; only later months are wrongly paid.
        let same = run(age: 80, deathMonth: 202611, accounts: [Account(status: "待遇领取", lastBenefit: 202611)])
        #expect(same.labels == ["deceased", "insured_local"])
        let after = run(age: 80, deathMonth: 202609, accounts: [Account(status: "待遇领取", lastBenefit: 202611)])
        #expect(after.labels == ["deceased", "insured_local", "deceased_but_paid"])
        #expect(after.action == "stop_payment")
        // Cancelled as dead in the police register, without a death date: deceased, not "paid after death".
        #expect(run(age: 80, policeDeceased: true, accounts: [Account(status: "待遇领取", lastBenefit: 202611)]).labels
                == ["deceased", "insured_local"])
    }

    @Test func accountTerminatedByTransfer() {
        let moved = run(age: 35, accounts: [Account(status: "终止参保")])
        #expect(moved.labels == ["working_age", "uninsured_should_enrol"])
        #expect(moved.action == "enterprise_pension")
        let woman = run(age: 41, sex: "F", accounts: [Account(status: "终止参保")])
        #expect(woman.action == "resident_pension")
    }

    @Test func twoAccountsOneTerminated() {
        let r = run(age: 50, accounts: [Account(status: "终止参保"), Account(status: "正常缴费", local: false)])
        #expect(r.labels == ["working_age", "insured_elsewhere", "paying"])
        #expect(r.action == nil)
        let dup = run(age: 50, accounts: [Account(status: "正常缴费"), Account(scheme: "企业职工基本养老保险", status: "正常缴费", local: false)])
        #expect(dup.labels.contains("duplicate_enrolment"))
        #expect(dup.action == "merge_accounts")
    }

    @Test func interruptedSuspendedAndTransfer() {
        let i = run(age: 40, accounts: [Account(status: "中断缴费")])
        #expect(i.labels == ["working_age", "insured_local", "interrupted"])
        #expect(i.action == "resume")
        let s = run(age: 40, accounts: [Account(status: "暂停缴费", local: false)])
        #expect(s.labels == ["working_age", "insured_elsewhere", "suspended"])
        #expect(s.action == "transfer")
    }

    @Test func hardshipGroupsGetGovernmentPaidContributions() {
        #expect(run(age: 40, lists: ["dibao"]).action == "government_paid")
        #expect(run(age: 40, lists: ["disabled"], level: 2).action == "government_paid")
        #expect(run(age: 40, lists: ["disabled"], level: 4).action == "enterprise_pension")
        #expect(run(age: 20, lists: ["students"]).labels == ["working_age", "student"])
    }

    @Test func unresolvedIdentityIsVerifiedWithThePolice() {
        let r = run(age: 30, resolved: false)
        #expect(r.labels.contains("unresolved_identity"))
        #expect(r.action == "verify_identity")
    }
}
