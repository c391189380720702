import Foundation
import Dispatch
import Zhaoren

/// The facts of every person of the base, gathered from their linked records, and the
/// evaluation of the label and action rules over them.
///
/// Records are grouped per person in flat arrays (offsets into one array of record
/// references), and the per-value work (parsing dates, statuses, levels) is done once per
/// distinct value of each column.
struct PersonFacts {
    /// Fact names available to person rules; see ``CoverageSettings/defaultLabels``.
    static let factNames = ["age", "sex", "as_of_month", "in_population", "in_students", "in_dibao", "in_tekun",
                            "in_disabled", "in_deaths", "police_deceased", "death_month", "disability_level",
                            "identity_resolved"]
    /// Fields of an insurance account.
    static let accountFields = ["scheme", "status", "local", "region", "employer", "last_paid", "last_benefit"]
    static let schema = RuleSchema(facts: factNames, collections: ["accounts": accountFields])

    let tables: [SourceTable]
    let base: PersonBase
    let asOf: CivilDate
    /// Person `p`'s records are `records[offsets[p]..<offsets[p + 1]]`, as (table << 32 | row).
    let offsets: [Int]
    let records: [UInt64]
    /// Per table, per distinct value of the columns rules read (parsed once).
    let months: [[String: [Int?]]]
    let localRegion: [[Bool]]
    let employers: [[String]]
    let levels: [[Int?]]
    let deceasedStatus: [[Bool]]
    let localPrefixes: [String]

    init(tables: [SourceTable], base: PersonBase, settings: CoverageSettings, asOf: CivilDate) {
        self.tables = tables
        self.base = base
        self.asOf = asOf
        // Group records per person (counting sort by person).
        var counts = [Int](repeating: 0, count: base.count + 1)
        for persons in base.person { for p in persons where p >= 0 { counts[Int(p) + 1] += 1 } }
        for i in 1..<counts.count { counts[i] += counts[i - 1] }
        var next = counts
        var records = [UInt64](repeating: 0, count: counts.last!)
        for (t, persons) in base.person.enumerated() {
            for (row, p) in persons.enumerated() where p >= 0 {
                records[next[Int(p)]] = UInt64(t) << 32 | UInt64(row)
                next[Int(p)] += 1
            }
        }
        offsets = counts
        self.records = records
        // Parse each distinct value of the rule-relevant columns once.
        func perValue<T>(_ table: SourceTable, _ role: String, _ f: (String) -> T) -> [T] {
            table.roleIndex(role).map { table.values[$0].map(f) } ?? []
        }
        let monthOf: (String) -> Int? = { text in
            let parsed = DateParser.parse(text)
            guard let year = parsed.year, let month = parsed.month else { return nil }
            return year * 100 + month
        }
        months = tables.map { table in
            var m: [String: [Int?]] = [:]
            for role in ["last_paid", "last_benefit", "death_date"] { m[role] = perValue(table, role, monthOf) }
            return m
        }
        let prefixes = settings.localRegionPrefixes
        localPrefixes = prefixes
        localRegion = tables.map { perValue($0, "insuring_region") { code in prefixes.contains { code.hasPrefix($0) } } }
        employers = tables.map { perValue($0, "employer") { Self.creditKey($0) } }
        levels = tables.map { perValue($0, "disability_level", Self.disabilityLevel) }
        let deceased = Set(settings.deceasedStatuses ?? ["死亡注销", "死亡"])
        deceasedStatus = tables.map { perValue($0, "household_status") { deceased.contains($0) } }
    }

    /// The key an employer's credit code is matched on: the normalized USCC, else the
    /// organisation code of a legacy taxpayer number, else the text in upper case.
    static func creditKey(_ text: String) -> String {
        if text.isEmpty { return "" }
        let code = CreditCode.parse(text)
        if code.isValid, let normalized = code.normalized {
            return normalized.count == 18 ? normalized : (code.orgCode.map { "ORG:" + $0 } ?? normalized)
        }
        return text.uppercased()
    }

    /// 一级/二级/三级/四级, 1–4, "1级", "I级" → 1…4.
    static func disabilityLevel(_ text: String) -> Int? {
        let map: [Character: Int] = ["一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4, "１": 1, "２": 2, "３": 3, "４": 4]
        if text.hasPrefix("IV") { return 4 }
        if text.hasPrefix("III") { return 3 }
        if text.hasPrefix("II") { return 2 }
        if text.hasPrefix("I") { return 1 }
        for c in text { if let v = map[c] { return v } }
        return nil
    }

    @inline(__always)
    func recordsOf(_ p: Int) -> ArraySlice<UInt64> { records[offsets[p]..<offsets[p + 1]] }

    /// The facts of person `p`, into `facts` (reset first).
    func fill(_ facts: inout RuleFacts, person p: Int, birth: CivilDate?, sex: Sex?) {
        facts.reset()
        facts.values[0] = birth.map { .int($0.years(to: asOf)) } ?? .null
        facts.values[1] = sex.map { .string($0.code) } ?? .null
        facts.values[2] = .int(asOf.year * 100 + asOf.month)
        var kinds = Set<CoverageSourceKind>()
        var policeDeceased = false
        var deathMonth: Int? = nil
        var level: Int? = nil
        for ref in recordsOf(p) {
            let t = Int(ref >> 32), row = Int(ref & 0xFFFF_FFFF)
            let table = tables[t]
            kinds.insert(table.source.kind)
            switch table.source.kind {
            case .population:
                if let r = table.roleIndex("household_status"), deceasedStatus[t][Int(table.ids[r][row])] { policeDeceased = true }
            case .deaths:
                if let r = table.roleIndex("death_date"), let m = months[t]["death_date"]![Int(table.ids[r][row])] {
                    deathMonth = min(deathMonth ?? m, m)
                }
            case .disabled:
                if let r = table.roleIndex("disability_level"), let l = levels[t][Int(table.ids[r][row])] { level = min(level ?? l, l) }
            case .insurance:
                facts.items[0].append(account(t, row))
            default: break
            }
        }
        facts.values[3] = .bool(kinds.contains(.population))
        facts.values[4] = .bool(kinds.contains(.students))
        facts.values[5] = .bool(kinds.contains(.dibao))
        facts.values[6] = .bool(kinds.contains(.tekun))
        facts.values[7] = .bool(kinds.contains(.disabled))
        facts.values[8] = .bool(kinds.contains(.deaths))
        facts.values[9] = .bool(policeDeceased)
        facts.values[10] = deathMonth.map { .int($0) } ?? .null
        facts.values[11] = level.map { .int($0) } ?? .null
        facts.values[12] = .bool(base.resolved[p])
    }

    /// The fields of insurance account `row` of table `t`, in ``accountFields`` order.
    func account(_ t: Int, _ row: Int) -> [RuleValue] {
        let table = tables[t]
        func text(_ role: String) -> RuleValue {
            let v = table.value(role, row: row)
            return v.isEmpty ? .null : .string(v)
        }
        func month(_ role: String) -> RuleValue {
            guard let r = table.roleIndex(role), let m = months[t][role]![Int(table.ids[r][row])] else { return .null }
            return .int(m)
        }
        let local: RuleValue = table.roleIndex("insuring_region").map { .bool(localRegion[t][Int(table.ids[$0][row])]) } ?? .null
        let employer: RuleValue = table.roleIndex("employer").map { r in
            let key = employers[t][Int(table.ids[r][row])]
            return key.isEmpty ? .null : .string(key)
        } ?? .null
        return [text("scheme"), text("status"), local, text("insuring_region"), employer, month("last_paid"), month("last_benefit")]
    }

    /// Evaluates `book` for every person, in parallel chunks; the result is in key order and
    /// the same whatever the number of threads.
    func evaluate(_ book: RuleBook) -> [CoveragePerson] {
        let count = base.count
        var out = [CoveragePerson?](repeating: nil, count: count)
        let chunks = max(1, min(64, count / 2048))
        out.withUnsafeMutableBufferPointer { buffer in
            // Each chunk writes only persons lo..<hi, so the slices are disjoint.
            nonisolated(unsafe) let output = buffer
            DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
                let lo = count * chunk / chunks, hi = count * (chunk + 1) / chunks
                var facts = RuleFacts(schema: book.schema)
                for p in lo..<hi { output[p] = person(p, book: book, facts: &facts) }
            }
        }
        return out.map { $0! }.sorted { $0.key < $1.key }
    }

    private func person(_ p: Int, book: RuleBook, facts: inout RuleFacts) -> CoveragePerson {
        var name = "", nameRank = Int.max
        var birth: CivilDate? = nil, sex: Sex? = nil
        var county = "", township = "", village = "", grid = ""
        var phone: String? = nil
        var idRegion: String? = nil
        var sourceRows: [SourceRow] = []
        var confidence: Float = 1
        let canonical = base.idNumber[p]
        if let canonical {
            let id = ResidentID.parse(canonical, asOf: asOf)
            birth = id.birthDate
            sex = id.sex
            idRegion = id.regionCode
        }
        for ref in recordsOf(p) {
            let t = Int(ref >> 32), row = Int(ref & 0xFFFF_FFFF)
            let table = tables[t]
            sourceRows.append(SourceRow(source: table.source.name, row: Int(table.rows[row])))
            confidence = min(confidence, base.confidence[t][row])
            let rank = table.source.kind == .population ? t : 1000 + t
            if rank < nameRank, let r = table.roleIndex("name") {
                let v = table.values[r][Int(table.ids[r][row])]
                if !v.isEmpty { name = base.names[t][Int(table.ids[r][row])].folded; nameRank = rank }
            }
            if birth == nil, let r = table.roleIndex("birth") { birth = DateParser.parse(table.values[r][Int(table.ids[r][row])]).date }
            if sex == nil, let r = table.roleIndex("sex") { sex = Sex(parsing: table.values[r][Int(table.ids[r][row])]) }
            if table.source.kind == .population {
                if county.isEmpty { county = table.value("county", row: row) }
                if township.isEmpty { township = table.value("township", row: row) }
                if village.isEmpty { village = table.value("village", row: row) }
                if grid.isEmpty { grid = table.value("grid", row: row) }
            }
            if phone == nil, table.roleIndex("phone") != nil {
                let parsed = PhoneNumber.parse(table.value("phone", row: row))
                if parsed.isValid { phone = parsed.normalized }
            }
        }
        // Without a county in any population record, a local ID's region names the county.
        if county.isEmpty, let region = idRegion, isLocal(region), let r = RegionTable.shared.lookup(region) { county = r.name }
        fill(&facts, person: p, birth: birth, sex: sex)
        let outcome = book.evaluate(&facts)
        sourceRows.sort()
        let key = canonical ?? sourceRows.first.map(\.description) ?? "person:\(p)"
        return CoveragePerson(
            key: key, idNumber: canonical, name: name, sex: sex, birthDate: birth, age: birth.map { $0.years(to: asOf) },
            area: AreaPath(county: county, township: township, village: village, grid: grid), phone: phone,
            labels: outcome.labels, action: outcome.action, records: sourceRows, linkConfidence: confidence)
    }

    private func isLocal(_ region: String) -> Bool {
        localPrefixes.contains { region.hasPrefix($0) }
    }

    /// Counts of ID issue codes over every person record.
    func idIssueCounts() -> [String: Int] {
        var counts: [String: Int] = [:]
        for (t, table) in tables.enumerated() {
            guard let column = table.column("id") else { continue }
            var perValue = [Int](repeating: 0, count: base.ids[t].count)
            for id in column { perValue[Int(id)] += 1 }
            for (v, n) in perValue.enumerated() where n > 0 {
                let id = base.ids[t][v]
                if id.input.trimmingCharacters(in: .whitespaces).isEmpty { counts["blank", default: 0] += n; continue }
                for code in id.issues.codes { counts[code, default: 0] += n }
            }
        }
        return counts
    }

    /// Every record of an unresolved person.
    func unresolvedRecords() -> [SourceRow] {
        var out: [SourceRow] = []
        for p in 0..<base.count where !base.resolved[p] {
            for ref in recordsOf(p) {
                let t = Int(ref >> 32), row = Int(ref & 0xFFFF_FFFF)
                out.append(SourceRow(source: tables[t].source.name, row: Int(tables[t].rows[row])))
            }
        }
        return out.sorted()
    }

    /// Match weights (log2 odds) of the probabilistic links accepted.
    func linkWeights() -> [Float] {
        var out: [Float] = []
        for confidences in base.confidence {
            for c in confidences where c > 0 && c < 1 { out.append(log2(c / (1 - c))) }
        }
        return out
    }
}
