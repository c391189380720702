import Testing
@testable import ZhaorenCoverage

@Suite struct RuleParserTests {
    @Test func parsesPrecedenceAndAggregates() throws {
        let e = try RuleParser.parse(#"alive and not student or age >= 60"#)
        #expect(e == .or([.and([.name("alive"), .not(.name("student"))]),
                          .compare(.name("age"), .greaterOrEqual, .literal(.int(60)))]))
        let a = try RuleParser.parse(#"count(accounts where status in ["正常缴费", "待遇领取"]) >= 2"#)
        #expect(a == .compare(.aggregate(.count, collection: "accounts",
                                         filter: .member(.name("status"), [.string("正常缴费"), .string("待遇领取")])),
                              .greaterOrEqual, .literal(.int(2))))
        #expect(try RuleParser.parse("last_benefit - death_month > -1") ==
                .compare(.arithmetic(.name("last_benefit"), .minus, .name("death_month")), .greater, .literal(.int(-1))))
    }

    @Test func reportsColumnOfSyntaxErrors() {
        #expect(throws: RuleSyntaxError(message: "use == to compare", column: 5, text: "age = 60")) {
            try RuleParser.parse("age = 60")
        }
        #expect(throws: RuleSyntaxError.self) { try RuleParser.parse(#"status == "正常"#) }
        #expect(throws: RuleSyntaxError.self) { try RuleParser.parse("alive and") }
        #expect(throws: RuleSyntaxError.self) { try RuleParser.parse("(alive") }
    }
}

/// The labels of the coverage issue, written in the rule language, on hand-made people.
@Suite struct RuleBookTests {
    static let schema = RuleSchema(
        facts: ["alive", "age", "sex", "student"],
        collections: ["accounts": ["status", "local"]])

    static let book = try! RuleBook(
        schema: schema,
        labels: [
            .init(name: "working_age", when: "alive and age >= 16 and age <= 59"),
            .init(name: "insured_local", when: #"any(accounts where local and status != "终止参保")"#),
            .init(name: "interrupted", when: #"alive and none(accounts where status in ["正常缴费", "待遇领取"]) and any(accounts where status == "中断缴费")"#),
            .init(name: "uninsured_should_enrol", when: #"working_age and not student and none(accounts where status != "终止参保")"#),
            .init(name: "duplicate_enrolment", when: #"alive and count(accounts where status in ["正常缴费", "待遇领取"]) >= 2"#),
        ],
        actions: [
            .init(name: "resume", when: "interrupted", text: "动员续缴"),
            .init(name: "enterprise_pension", when: #"uninsured_should_enrol and ((sex == "M" and age < 45) or (sex == "F" and age < 40))"#, text: "企业职工基本养老保险"),
            .init(name: "resident_pension", when: "uninsured_should_enrol", text: "城乡居民基本养老保险"),
        ])

    func outcome(alive: Bool = true, age: Int?, sex: String = "M", student: Bool = false,
                 accounts: [(String, Bool)] = []) -> (labels: Set<String>, action: String?) {
        var facts = RuleFacts(schema: Self.book.schema)
        facts.set("alive", .bool(alive), in: Self.book.schema)
        facts.set("age", age.map { .int($0) } ?? .null, in: Self.book.schema)
        facts.set("sex", .string(sex), in: Self.book.schema)
        if student { facts.set("student", .bool(true), in: Self.book.schema) }
        for (status, local) in accounts { facts.items[0].append([.string(status), .bool(local)]) }
        let result = Self.book.evaluate(&facts)
        return (Set(result.labels.map { Self.book.labels[$0].name }), result.action.map { Self.book.actions[$0].name })
    }

    @Test func edgeAges() {
        #expect(outcome(age: 15).labels.isEmpty)
        #expect(outcome(age: 16).labels == ["working_age", "uninsured_should_enrol"])
        #expect(outcome(age: 59).labels.contains("working_age"))
        #expect(outcome(age: 60).labels.isEmpty)
        #expect(outcome(age: nil).labels.isEmpty, "an unknown age fires no age rule")
    }

    @Test func actionsFollowTheSeedAgeRule() {
        #expect(outcome(age: 44, sex: "M").action == "enterprise_pension")
        #expect(outcome(age: 45, sex: "M").action == "resident_pension")
        #expect(outcome(age: 39, sex: "F").action == "enterprise_pension")
        #expect(outcome(age: 40, sex: "F").action == "resident_pension")
        #expect(outcome(age: 30, student: true).action == nil)
    }

    @Test func terminatedAccountsDoNotCount() {
        // An account terminated by transfer leaves the person uninsured here.
        #expect(outcome(age: 30, accounts: [("终止参保", true)]).labels == ["working_age", "uninsured_should_enrol"])
        // Two accounts, one terminated: insured, not a duplicate.
        let two = outcome(age: 30, accounts: [("终止参保", true), ("正常缴费", true)])
        #expect(two.labels == ["working_age", "insured_local"])
        let dup = outcome(age: 30, accounts: [("正常缴费", true), ("待遇领取", false)])
        #expect(dup.labels.contains("duplicate_enrolment"))
        let interrupted = outcome(age: 50, accounts: [("中断缴费", false)])
        #expect(interrupted.labels == ["working_age", "interrupted"])
        #expect(interrupted.action == "resume")
        #expect(!outcome(alive: false, age: 50, accounts: [("中断缴费", true)]).labels.contains("interrupted"))
    }

    @Test func unknownNamesAndOrderAreCompileErrors() {
        #expect(throws: RuleCompileError.self) {
            try RuleBook(schema: Self.schema, labels: [.init(name: "x", when: "alive and agee > 3")], actions: [])
        }
        // A label may only use labels defined before it.
        #expect(throws: RuleCompileError.self) {
            try RuleBook(schema: Self.schema, labels: [.init(name: "a", when: "b"), .init(name: "b", when: "alive")], actions: [])
        }
        #expect(throws: RuleCompileError.self) {
            try RuleBook(schema: Self.schema, labels: [.init(name: "alive", when: "true")], actions: [])
        }
        #expect(throws: RuleCompileError.self) {
            try RuleBook(schema: Self.schema, labels: [.init(name: "x", when: "count(acounts) > 0")], actions: [])
        }
    }
}
