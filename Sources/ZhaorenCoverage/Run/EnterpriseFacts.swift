import Zhaoren

/// The enterprises of the registry and the tax list, linked to each other and to the
/// insurance accounts that name them as employer, and the evaluation of the enterprise rules.
///
/// A tax-list row finds its registry entry by, in order: the same unified social credit code;
/// the same organisation code (a legacy 15-character taxpayer number embeds it); the same
/// normalized enterprise name (region prefix, legal form and branch folded away), when exactly
/// one registry entry has it. An enterprise is keyed by its credit code; one known only by a
/// legacy taxpayer number is keyed by that number.
///
/// An insurance account finds its employer by its code when the code is valid (credit code,
/// legacy taxpayer number, organisation code); a valid code of no enterprise here is an
/// employer of its own (a government body, an enterprise elsewhere). Without a valid code, by
/// the employer's name (`employer_name`): the same name key as exactly one enterprise's
/// (registry or tax spelling), else the name key of exactly one enterprise with one character
/// lost (or one too many; keys of 4 characters or more). A name that starts with a region
/// other than the enterprise's (西安市… for a 固原 enterprise) does not match it. A name shared
/// by several enterprises is not attributed, and counted.
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

    /// How one account found its employer.
    enum Method: UInt8 { case none, code, name, fuzzyName }

    var enterprises: [Enterprise] = []
    let accounts: PersonFacts
    /// Per insurance table (index into `accounts.tables`), per row: the enterprise (-1 none) and how.
    private(set) var employer: [[Int32]] = []
    private(set) var method: [[Method]] = []
    private(set) var counts = EmployerMatchCounts()
    private(set) var unmatched: [UnmatchedEmployerAccount] = []

    init(tables: [SourceTable], accounts: PersonFacts, normalizer: NameNormalizer, localRegions: [String]) {
        self.accounts = accounts
        var index: [String: Int] = [:]        // credit key → enterprise
        var byOrg: [String: Int] = [:]        // organisation code → enterprise
        var byName: [String: Int] = [:]       // name key → enterprise (-1 if ambiguous)
        let names = EnterpriseNameNormalizer(characters: normalizer)
        var nameKeysOf: [[String]] = []       // per enterprise, its name keys (registry and tax spelling)
        var regionsOf: [Set<String>] = []     // per enterprise, the region codes its names start with
        let regionParser = AddressParser(preferredRegions: localRegions)
        var regionCodeMemo: [String: String] = [:]
        func regionCode(_ text: String) -> String {
            if text.isEmpty { return "" }
            if let known = regionCodeMemo[text] { return known }
            let code = regionParser.parse(text).regionCode
            regionCodeMemo[text] = code
            return code
        }
        // Registry first, so tax rows can find their registered enterprise.
        for table in tables.sorted(by: { ($0.source.kind == .enterprises ? 0 : 1) < ($1.source.kind == .enterprises ? 0 : 1) }) {
            let isRegistry = table.source.kind == .enterprises
            let codes = table.roleIndex("credit_code").map { table.values[$0].map { CreditCode.parse($0) } } ?? []
            let normalized = table.roleIndex("org_name").map { table.values[$0].map { names.normalize($0) } } ?? []
            for row in 0..<table.count {
                let codeText = table.value("credit_code", row: row)
                let code = codes.isEmpty ? nil : codes[Int(table.ids[table.roleIndex("credit_code")!][row])]
                let name = normalized.isEmpty ? nil : normalized[Int(table.ids[table.roleIndex("org_name")!][row])]
                let nameKey = name?.key ?? ""
                var target: Int? = nil
                let key: String
                if let code, code.isValid, let normalized = code.normalized {
                    key = normalized   // a credit code, or a legacy taxpayer number: region + organisation code
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
                    nameKeysOf.append([])
                    regionsOf.append([])
                }
                if !key.isEmpty { index[key] = e }
                if let org = code?.orgCode, code?.isValid == true { byOrg[org] = e }
                if isRegistry, !nameKey.isEmpty { byName[nameKey] = byName[nameKey] == nil ? e : (byName[nameKey] == e ? e : -1) }
                if let name, !name.key.isEmpty {
                    let matchKey = Self.matchKey(name)
                    if !nameKeysOf[e].contains(matchKey) { nameKeysOf[e].append(matchKey) }
                    // A prefecture or county in the name places it; a province alone (宁夏) does not
                    // tell this city's enterprises from another city's.
                    let code = regionCode(name.region)
                    if code.count >= 4 { regionsOf[e].insert(code) }
                }
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
        // An enterprise of the registry or tax list whose names name no region is local.
        for e in regionsOf.indices where regionsOf[e].isEmpty { regionsOf[e] = Set(localRegions) }
        attributeAccounts(index: index, byOrg: byOrg, nameKeys: nameKeysOf, regions: regionsOf, names: names,
                          regionCode: regionCode)
    }

    /// Whether two region codes (2, 4 or 6 digits) can name the same place: one is a prefix of the other.
    static func compatible(_ a: String, _ b: String) -> Bool { a.hasPrefix(b) || b.hasPrefix(a) }

    /// The key names are matched on: the name key and the branch (a 分公司 is not its head office).
    static func matchKey(_ name: EnterpriseName) -> String {
        name.branch.isEmpty ? name.key : name.key + "|" + name.branch
    }

    /// Finds each insurance account's enterprise (see the type's documentation).
    private mutating func attributeAccounts(index: [String: Int], byOrg: [String: Int], nameKeys: [[String]],
                                            regions: [Set<String>], names: EnterpriseNameNormalizer,
                                            regionCode: (String) -> String) {
        // Name key → enterprises; one-deletion variants of keys of 4+ characters → enterprises.
        var exact: [String: [Int32]] = [:]
        var deletions: [String: [Int32]] = [:]
        for (e, keys) in nameKeys.enumerated() {
            for key in keys {
                if !exact[key, default: []].contains(Int32(e)) { exact[key, default: []].append(Int32(e)) }
                guard !key.contains("|"), key.count >= 4 else { continue }
                for variant in Self.deletionVariants(key) where !deletions[variant, default: []].contains(Int32(e)) {
                    deletions[variant, default: []].append(Int32(e))
                }
            }
        }
        let tables = accounts.tables
        employer = tables.map { [Int32](repeating: -1, count: $0.source.kind == .insurance ? $0.count : 0) }
        method = tables.map { [Method](repeating: .none, count: $0.source.kind == .insurance ? $0.count : 0) }
        for (t, table) in tables.enumerated() where table.source.kind == .insurance {
            let codeSlot = table.roleIndex("employer") ?? -1, nameSlot = table.roleIndex("employer_name") ?? -1
            guard codeSlot >= 0 || nameSlot >= 0 else { continue }
            // Per distinct code: the enterprise, "other employer", or invalid/blank.
            enum CodeOutcome { case blank, invalid, enterprise(Int32), other }
            let codeOutcome: [CodeOutcome] = codeSlot < 0 ? [] : table.values[codeSlot].map { text in
                if text.isEmpty { return .blank }
                let code = CreditCode.parse(text)
                guard code.isValid, let normalized = code.normalized else { return .invalid }
                if let e = index[normalized] ?? code.orgCode.flatMap({ byOrg[$0] }) { return .enterprise(Int32(e)) }
                return .other
            }
            // Per distinct name: the enterprise found, how, or why not.
            enum NameOutcome { case blank, found(Int32, Method), ambiguous, notFound }
            let nameOutcome: [NameOutcome] = nameSlot < 0 ? [] : table.values[nameSlot].map { text in
                if text.isEmpty { return .blank }
                let name = names.normalize(text)
                guard !name.key.isEmpty else { return .notFound }
                // A name that starts with another region (西安市…) is not a local enterprise's.
                let region = regionCode(name.region)
                func sameRegion(_ e: Int32) -> Bool {
                    region.isEmpty || regions[Int(e)].contains { Self.compatible($0, region) }
                }
                let key = Self.matchKey(name)
                if let found = exact[key] {
                    let kept = found.filter(sameRegion)
                    if kept.count == 1 { return .found(kept[0], .name) }
                    return kept.isEmpty ? .notFound : .ambiguous
                }
                // One character lost or one too many; never one character replaced, which is how
                // the names of two enterprises differ (宏泰劳务 and 宏航劳务).
                guard name.branch.isEmpty, name.key.count >= 3 else { return .notFound }
                var candidates = Set<Int32>()
                candidates.formUnion(deletions[name.key] ?? [])               // the account's name lost a character
                if name.key.count >= 5 {
                    for variant in Self.deletionVariants(name.key) { candidates.formUnion(exact[variant] ?? []) }
                }
                candidates = candidates.filter(sameRegion)
                if candidates.count == 1 { return .found(candidates.first!, .fuzzyName) }
                return candidates.isEmpty ? .notFound : .ambiguous
            }
            for row in 0..<table.count {
                let code: CodeOutcome = codeSlot >= 0 ? codeOutcome[Int(table.ids[codeSlot][row])] : .blank
                let name: NameOutcome = nameSlot >= 0 ? nameOutcome[Int(table.ids[nameSlot][row])] : .blank
                if case .blank = code, case .blank = name { continue }
                counts.accounts += 1
                var reason: String? = nil
                switch code {
                case .enterprise(let e):
                    employer[t][row] = e
                    method[t][row] = .code
                    counts.byCode += 1
                    continue
                case .other:
                    counts.otherEmployer += 1
                    continue
                case .invalid:
                    counts.invalidCode += 1
                    reason = "invalid_code"
                case .blank: break
                }
                switch name {
                case .found(let e, let how):
                    employer[t][row] = e
                    method[t][row] = how
                    if how == .name { counts.byName += 1 } else { counts.byFuzzyName += 1 }
                    reason = nil
                case .ambiguous:
                    counts.ambiguousName += 1
                    reason = "name_matches_several_enterprises"
                case .notFound:
                    counts.notFound += 1
                    reason = "name_not_found"
                case .blank:
                    counts.notFound += 1
                    reason = reason ?? "no_code_no_name"
                }
                if let reason {
                    unmatched.append(UnmatchedEmployerAccount(record: SourceRow(source: table.source.name, row: Int(table.rows[row])),
                                               code: codeSlot >= 0 ? table.values[codeSlot][Int(table.ids[codeSlot][row])] : "",
                                               name: nameSlot >= 0 ? table.values[nameSlot][Int(table.ids[nameSlot][row])] : "",
                                               reason: reason))
                }
            }
        }
    }

    /// `key` with one character removed, each way.
    static func deletionVariants(_ key: String) -> [String] {
        let scalars = Array(key.unicodeScalars)
        return scalars.indices.map { i in
            var view = String.UnicodeScalarView()
            view.append(contentsOf: scalars[..<i])
            view.append(contentsOf: scalars[(i + 1)...])
            return String(view)
        }
    }

    /// Evaluates the enterprise rules; `insuredEmployee` says which accounts count as insured staff.
    func evaluate(_ book: RuleBook, insuredEmployee: RuleBook) -> [CoverageEnterprise] {
        // Accounts per enterprise, as (person, account fields, found by name).
        var byEnterprise = [[(person: Int, account: [RuleValue], byName: Bool)]](repeating: [], count: enterprises.count)
        for p in 0..<accounts.base.count {
            for ref in accounts.recordsOf(p) {
                let t = Int(ref >> 32), row = Int(ref & 0xFFFF_FFFF)
                guard accounts.tables[t].source.kind == .insurance, employer[t][row] >= 0 else { continue }
                byEnterprise[Int(employer[t][row])].append((p, accounts.account(t, row), method[t][row] != .code))
            }
        }
        var facts = RuleFacts(schema: book.schema)
        var accountFacts = RuleFacts(schema: insuredEmployee.schema)
        var out: [CoverageEnterprise] = []
        for (e, enterprise) in enterprises.enumerated() {
            facts.reset()
            facts.values[0] = .bool(enterprise.inRegistry)
            facts.values[1] = .bool(enterprise.inTax)
            facts.values[2] = enterprise.headcount.map { .int($0) } ?? .null
            facts.values[3] = enterprise.wageTotal.map { .int(Int($0.rounded())) } ?? .null
            var byCode = Set<Int>(), byName = Set<Int>()
            // A person with two accounts at one employer is one insured employee (and one item).
            var seen = Set<Int>()
            for (person, fields, foundByName) in byEnterprise[e] {
                accountFacts.reset()
                for (i, v) in fields.enumerated() { accountFacts.values[i] = v }
                let insured = !insuredEmployee.evaluate(&accountFacts).labels.isEmpty
                if insured {
                    if foundByName { byName.insert(person) } else { byCode.insert(person) }
                }
                if insured ? seen.insert(person).inserted : true { facts.items[0].append([fields[0], fields[1], fields[2]]) }
            }
            byName.subtract(byCode)
            let outcome = book.evaluate(&facts)
            out.append(CoverageEnterprise(
                key: enterprise.key, name: enterprise.name, reportedHeadcount: enterprise.headcount,
                wageTotal: enterprise.wageTotal, insuredEmployees: byCode.count + byName.count, area: .unknown,
                labels: outcome.labels, records: enterprise.records.sorted(), insuredByCode: byCode.count, insuredByName: byName.count,
                inRegistry: enterprise.inRegistry, inTax: enterprise.inTax))
        }
        return out.sorted { $0.key < $1.key }
    }
}
