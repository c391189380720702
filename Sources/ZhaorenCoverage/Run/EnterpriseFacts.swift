import Zhaoren

/// The enterprises of the registry and the tax list, linked to each other and to the
/// insurance accounts that name them as employer, and the evaluation of the enterprise rules.
///
/// A tax-list row finds its registry entry by, in order: the same unified social credit code;
/// the same organisation code (a legacy 15-character taxpayer number embeds it); the same
/// normalized enterprise name (region prefix, legal form and branch folded away), when exactly
/// one registry entry has it. An enterprise is keyed by its credit code; one known only by a
/// legacy taxpayer number is keyed by that number.
struct EnterpriseFacts {
    static let accountFields = ["scheme", "status", "local"]
    static let schema = RuleSchema(facts: ["in_registry", "in_tax", "headcount", "wage_total"],
                                   collections: ["accounts": accountFields])

    struct Enterprise {
        var key: String
        var name: String = ""
        var inRegistry = false
        var inTax = false
        var headcount: Int? = nil
        var wageTotal: Double? = nil
        var records: [SourceRow] = []
        var orgCode: String? = nil
    }

    var enterprises: [Enterprise] = []
    let accounts: PersonFacts

    init(tables: [SourceTable], accounts: PersonFacts, normalizer: NameNormalizer) {
        self.accounts = accounts
        var index: [String: Int] = [:]        // credit key → enterprise
        var byOrg: [String: Int] = [:]        // organisation code → enterprise
        var byName: [String: Int] = [:]       // name key → enterprise (-1 if ambiguous)
        let names = EnterpriseNameNormalizer(characters: normalizer)
        // Registry first, so tax rows can find their registered enterprise.
        for table in tables.sorted(by: { ($0.source.kind == .enterprises ? 0 : 1) < ($1.source.kind == .enterprises ? 0 : 1) }) {
            let isRegistry = table.source.kind == .enterprises
            let codes = table.roleIndex("credit_code").map { table.values[$0].map { CreditCode.parse($0) } } ?? []
            let nameKeys = table.roleIndex("org_name").map { table.values[$0].map { names.normalize($0).key } } ?? []
            for row in 0..<table.count {
                let codeText = table.value("credit_code", row: row)
                let code = codes.isEmpty ? nil : codes[Int(table.ids[table.roleIndex("credit_code")!][row])]
                let nameKey = nameKeys.isEmpty ? "" : nameKeys[Int(table.ids[table.roleIndex("org_name")!][row])]
                var target: Int? = nil
                let key: String
                if let code, code.isValid, let normalized = code.normalized, normalized.count == 18 {
                    key = normalized
                } else if let code, code.isValid, let normalized = code.normalized {
                    key = normalized   // a legacy taxpayer number: region + organisation code
                } else {
                    key = codeText.uppercased()
                }
                target = index[key]
                if target == nil, let org = code?.orgCode, let e = byOrg[org] { target = e }
                if target == nil, !isRegistry, !nameKey.isEmpty, let e = byName[nameKey], e >= 0 { target = e }
                let e: Int
                if let target {
                    e = target
                } else {
                    e = enterprises.count
                    enterprises.append(Enterprise(key: key.isEmpty ? "\(table.source.name):\(table.rows[row])" : key))
                }
                if !key.isEmpty { index[key] = e }
                if let org = code?.orgCode, code?.isValid == true { byOrg[org] = e }
                if isRegistry, !nameKey.isEmpty { byName[nameKey] = byName[nameKey] == nil ? e : (byName[nameKey] == e ? e : -1) }
                var enterprise = enterprises[e]
                if isRegistry || enterprise.name.isEmpty { enterprise.name = table.value("org_name", row: row) }
                if enterprise.orgCode == nil { enterprise.orgCode = code?.orgCode }
                if isRegistry { enterprise.inRegistry = true } else {
                    enterprise.inTax = true
                    if let h = Int(table.value("headcount", row: row)) { enterprise.headcount = max(enterprise.headcount ?? 0, h) }
                    if let w = Double(table.value("wage_total", row: row)) { enterprise.wageTotal = (enterprise.wageTotal ?? 0) + w }
                }
                enterprise.records.append(SourceRow(source: table.source.name, row: Int(table.rows[row])))
                enterprises[e] = enterprise
            }
        }
    }

    /// Evaluates the enterprise rules; `insuredEmployee` says which accounts count as insured staff.
    func evaluate(_ book: RuleBook, insuredEmployee: RuleBook) -> [CoverageEnterprise] {
        // Accounts per employer key, as (person, account fields).
        var byEmployer: [String: [(person: Int, account: [RuleValue])]] = [:]
        for p in 0..<accounts.base.count {
            for ref in accounts.recordsOf(p) {
                let t = Int(ref >> 32), row = Int(ref & 0xFFFF_FFFF)
                guard accounts.tables[t].source.kind == .insurance else { continue }
                let fields = accounts.accounts[t][row]
                guard case .string(let employer) = fields[4] else { continue }
                byEmployer[employer, default: []].append((p, fields))
            }
        }
        var facts = RuleFacts(schema: book.schema)
        var accountFacts = RuleFacts(schema: insuredEmployee.schema)
        var out: [CoverageEnterprise] = []
        for enterprise in enterprises {
            var linked = byEmployer[enterprise.key] ?? []
            if let org = enterprise.orgCode { linked += byEmployer["ORG:" + org] ?? [] }
            facts.reset()
            facts.values[0] = .bool(enterprise.inRegistry)
            facts.values[1] = .bool(enterprise.inTax)
            facts.values[2] = enterprise.headcount.map { .int($0) } ?? .null
            facts.values[3] = enterprise.wageTotal.map { .int(Int($0.rounded())) } ?? .null
            var insured = Set<Int>()
            for (person, fields) in linked {
                facts.items[0].append([fields[0], fields[1], fields[2]])
                accountFacts.reset()
                for (i, v) in fields.enumerated() { accountFacts.values[i] = v }
                if !insuredEmployee.evaluate(&accountFacts).labels.isEmpty { insured.insert(person) }
            }
            let outcome = book.evaluate(&facts)
            out.append(CoverageEnterprise(
                key: enterprise.key, name: enterprise.name, reportedHeadcount: enterprise.headcount,
                wageTotal: enterprise.wageTotal, insuredEmployees: insured.count, area: .unknown,
                labels: outcome.labels, records: enterprise.records.sorted()))
        }
        return out.sorted { $0.key < $1.key }
    }
}
