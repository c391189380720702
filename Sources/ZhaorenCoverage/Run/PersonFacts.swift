import Foundation
import Dispatch
import Zhaoren
import ZhaorenSupport

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

    /// The schema of `settings`' rules: the fixed facts, then `in_NAME` for each source of kind
    /// `list`, then `NAME.field` for each fact column a person list names.
    static func schema(for settings: CoverageSettings) throws(ZhaorenError) -> RuleSchema {
        var names = factNames
        for source in settings.sources where source.kind == .list { names.append(source.membershipFact) }
        for source in settings.sources where source.kind.isPersonList {
            for fact in (source.facts ?? [:]).keys.sorted() { names.append(source.name + "." + fact) }
        }
        var seen = Set<String>()
        for name in names where !seen.insert(name).inserted {
            throw ZhaorenError(.settings, "the fact \(name) is defined twice (a list named like a fixed kind, or two fact columns with one name)")
        }
        return RuleSchema(facts: names, collections: ["accounts": accountFields])
    }

    let tables: [SourceTable]
    /// The parts of `tables` the per-person loops read, held apart so that reading one cell
    /// does not copy a whole table (a copy retains every array and string it holds).
    let kinds: [CoverageSourceKind]
    let sourceNames: [String]
    let ids: [[[UInt32]]]
    let cells: [[[String]]]
    let rowNumbers: [[UInt32]]
    let base: PersonBase
    let asOf: CivilDate
    /// Person `p`'s records are `records[offsets[p]..<offsets[p + 1]]`, as (table << 32 | row).
    let offsets: [Int]
    let records: [UInt64]
    /// Per table, per distinct value of the columns rules read (parsed once).
    let paidMonths: [[Int?]]
    let benefitMonths: [[Int?]]
    let deathMonths: [[Int?]]
    let cancelMonths: [[Int?]]
    let localRegion: [[Bool]]
    let employers: [[String]]
    let levels: [[Int?]]
    let deceasedStatus: [[Bool]]
    let localPrefixes: [String]
    /// Per table, the column index of each role the person view reads (-1 when unmapped).
    let slots: [Slots]
    /// Per table, per distinct phone value: the normalized number if valid.
    let phones: [[String?]]
    /// Per person, their area (see ``AreaResolver``).
    let areas: AreaResolution
    /// Per table, the fact slot of its `in_NAME` (-1 for a table that is not a `list`).
    let membershipSlot: [Int]
    /// Per table, its fact columns: (role index, fact slot, value per distinct value).
    let factColumns: [[(role: Int, slot: Int, values: [RuleValue])]]
    /// Every membership slot, so that a person in no such list gets `false`.
    let allMembershipSlots: [Int]

    struct Slots {
        var name = -1, birth = -1, sex = -1, county = -1, township = -1, village = -1, grid = -1, phone = -1
        var householdStatus = -1, deathDate = -1, level = -1, region = -1, employer = -1
        var scheme = -1, status = -1, lastPaid = -1, lastBenefit = -1, cancelDate = -1
        init(_ table: SourceTable) {
            func i(_ role: String) -> Int { table.roleIndex(role) ?? -1 }
            name = i("name"); birth = i("birth"); sex = i("sex"); county = i("county"); township = i("township")
            village = i("village"); grid = i("grid"); phone = i("phone"); householdStatus = i("household_status")
            deathDate = i("death_date"); level = i("disability_level"); region = i("insuring_region"); employer = i("employer")
            scheme = i("scheme"); status = i("status"); lastPaid = i("last_paid"); lastBenefit = i("last_benefit")
            cancelDate = i("cancel_date")
        }
    }

    init(tables: [SourceTable], base: PersonBase, areas: AreaResolution, settings: CoverageSettings, schema: RuleSchema, asOf: CivilDate) {
        self.tables = tables
        kinds = tables.map(\.source.kind)
        sourceNames = tables.map(\.source.name)
        ids = tables.map(\.ids)
        cells = tables.map(\.values)
        rowNumbers = tables.map(\.rows)
        self.base = base
        self.areas = areas
        self.asOf = asOf
        membershipSlot = tables.map { $0.source.kind == .list ? (schema.factSlot($0.source.membershipFact) ?? -1) : -1 }
        allMembershipSlots = membershipSlot.filter { $0 >= 0 }
        factColumns = tables.map { table in
            (table.source.facts ?? [:]).keys.sorted().compactMap { fact in
                guard let role = table.roleIndex(CoverageSource.factRolePrefix + fact),
                      let slot = schema.factSlot(table.source.name + "." + fact) else { return nil }
                return (role, slot, table.values[role].map(Self.factValue))
            }
        }
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
        paidMonths = tables.map { perValue($0, "last_paid", monthOf) }
        benefitMonths = tables.map { perValue($0, "last_benefit", monthOf) }
        deathMonths = tables.map { perValue($0, "death_date", monthOf) }
        cancelMonths = tables.map { perValue($0, "cancel_date", monthOf) }
        let prefixes = settings.localRegionPrefixes
        localPrefixes = prefixes
        localRegion = tables.map { perValue($0, "insuring_region") { code in prefixes.contains { code.hasPrefix($0) } } }
        employers = tables.map { perValue($0, "employer") { Self.creditKey($0) } }
        levels = tables.map { perValue($0, "disability_level", Self.disabilityLevel) }
        let deceased = Set(settings.deceasedStatuses ?? ["死亡注销", "死亡"])
        deceasedStatus = tables.map { perValue($0, "household_status") { deceased.contains($0) } }
        slots = tables.map(Slots.init)
        phones = tables.map { perValue($0, "phone") { text in
            let parsed = PhoneNumber.parse(text)
            return parsed.isValid ? parsed.normalized : nil
        } }
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

    /// A fact column's value for rules: a whole number as `int`, other text as `string`,
    /// blank as missing.
    static func factValue(_ text: String) -> RuleValue {
        if text.isEmpty { return .null }
        if let n = Int(text) { return .int(n) }
        return .string(text)
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
        var kindBits: UInt16 = 0
        var policeDeceased = false
        var deathMonth: Int? = nil, cancelMonth: Int? = nil
        var level: Int? = nil
        for slot in allMembershipSlots { facts.values[slot] = .bool(false) }
        for ref in recordsOf(p) {
            let t = Int(ref >> 32), row = Int(ref & 0xFFFF_FFFF)
            let ids = self.ids[t], slot = slots[t]
            let kind = kinds[t]
            kindBits |= 1 << kind.bit
            if membershipSlot[t] >= 0 { facts.values[membershipSlot[t]] = .bool(true) }
            for column in factColumns[t] where facts.values[column.slot] == .null {
                facts.values[column.slot] = column.values[Int(ids[column.role][row])]
            }
            switch kind {
            case .population:
                if slot.householdStatus >= 0, deceasedStatus[t][Int(ids[slot.householdStatus][row])] {
                    policeDeceased = true
                    // The register's cancellation date bounds the death month when no death record has one.
                    if slot.cancelDate >= 0, let m = cancelMonths[t][Int(ids[slot.cancelDate][row])] {
                        cancelMonth = min(cancelMonth ?? m, m)
                    }
                }
            case .deaths:
                if slot.deathDate >= 0, let m = deathMonths[t][Int(ids[slot.deathDate][row])] { deathMonth = min(deathMonth ?? m, m) }
            case .disabled:
                if slot.level >= 0, let l = levels[t][Int(ids[slot.level][row])] { level = min(level ?? l, l) }
            case .insurance:
                facts.items[0].append(account(t, row))
            default: break
            }
        }
        func has(_ kind: CoverageSourceKind) -> RuleValue { .bool(kindBits & (1 << kind.bit) != 0) }
        facts.values[3] = has(.population)
        facts.values[4] = has(.students)
        facts.values[5] = has(.dibao)
        facts.values[6] = has(.tekun)
        facts.values[7] = has(.disabled)
        facts.values[8] = has(.deaths)
        facts.values[9] = .bool(policeDeceased)
        facts.values[10] = (deathMonth ?? cancelMonth).map { .int($0) } ?? .null
        facts.values[11] = level.map { .int($0) } ?? .null
        facts.values[12] = .bool(base.resolved[p])
    }

    /// The fields of insurance account `row` of table `t`, in ``accountFields`` order. Built
    /// when a rule reads them, not stored: a province holds millions of accounts, and each is
    /// read once by the person rules and once by the enterprise rules.
    func account(_ t: Int, _ row: Int) -> [RuleValue] {
        let slot = slots[t]
        @inline(__always) func id(_ s: Int) -> Int { Int(ids[t][s][row]) }
        func text(_ s: Int) -> RuleValue {
            guard s >= 0 else { return .null }
            let v = cells[t][s][id(s)]
            return v.isEmpty ? .null : .string(v)
        }
        func month(_ s: Int, _ values: [Int?]) -> RuleValue {
            guard s >= 0, let m = values[id(s)] else { return .null }
            return .int(m)
        }
        let local: RuleValue = slot.region >= 0 ? .bool(localRegion[t][id(slot.region)]) : .null
        var employer = RuleValue.null
        if slot.employer >= 0 {
            let key = employers[t][id(slot.employer)]
            if !key.isEmpty { employer = .string(key) }
        }
        return [text(slot.scheme), text(slot.status), local, text(slot.region), employer,
                month(slot.lastPaid, paidMonths[t]), month(slot.lastBenefit, benefitMonths[t])]
    }

    /// Evaluates `book` for every person, in parallel chunks; the result is in key order and
    /// the same whatever the number of threads.
    /// `order[k]` is set to the base's person index of result entry `k`.
    func evaluate(_ book: RuleBook, order sequenceOut: inout [Int]) -> [CoveragePerson] {
        let count = base.count
        // Key order first — ID numbers (digits, compared as packed numbers) before `source:row`
        // keys — so that each person is made straight into its place in the result: no array
        // of optionals beside the result, no second copy of a province's persons.
        var order = (0..<count).map { p in (base.idNumber[p].flatMap { ResidentID.packedValue($0.utf8) } ?? .max, p) }
        var tieKey: [Int: String] = [:]
        for (packed, p) in order where packed == .max { tieKey[p] = key(p) }
        order.sort { $0.0 != $1.0 ? $0.0 < $1.0 : ($0.0 == .max ? tieKey[$0.1]! < tieKey[$1.1]! : $0.1 < $1.1) }
        let sequence = order.map(\.1)
        sequenceOut = sequence
        let chunks = Parallel.chunks(count: count, minimumChunk: 2048)
        return [CoveragePerson](unsafeUninitializedCapacity: count) { buffer, initialized in
            // Each chunk initializes only its own slots.
            nonisolated(unsafe) let slots = buffer.baseAddress!
            Parallel.run(chunks.count) { c in
                var facts = RuleFacts(schema: book.schema)
                for k in chunks[c] { (slots + k).initialize(to: person(sequence[k], book: book, facts: &facts)) }
            }
            initialized = count
        }
    }

    /// The key of person `p`: its ID number, else the first of its records as `source:row`.
    private func key(_ p: Int) -> String {
        if let id = base.idNumber[p] { return id }
        var first: SourceRow?
        for ref in recordsOf(p) {
            let t = Int(ref >> 32), row = Int(ref & 0xFFFF_FFFF)
            let r = SourceRow(source: sourceNames[t], row: Int(rowNumbers[t][row]))
            if first.map({ r < $0 }) ?? true { first = r }
        }
        return first.map(\.description) ?? "person:\(p)"
    }

    private func person(_ p: Int, book: RuleBook, facts: inout RuleFacts) -> CoveragePerson {
        var name = "", nameRank = Int.max
        var birth = base.birth[p], sex = base.sex[p]
        var phone: String? = nil
        var sourceRows: [SourceRow] = []
        sourceRows.reserveCapacity(offsets[p + 1] - offsets[p])
        var confidence: Float = 1
        @inline(__always) func text(_ t: Int, _ slot: Int, _ row: Int) -> String {
            slot < 0 ? "" : cells[t][slot][Int(ids[t][slot][row])]
        }
        for ref in recordsOf(p) {
            let t = Int(ref >> 32), row = Int(ref & 0xFFFF_FFFF)
            let slot = slots[t]
            sourceRows.append(SourceRow(source: sourceNames[t], row: Int(rowNumbers[t][row])))
            confidence = min(confidence, base.confidence[t][row])
            let rank = kinds[t] == .population ? t : 1000 + t
            if rank < nameRank, slot.name >= 0 {
                let id = Int(ids[t][slot.name][row])
                if !cells[t][slot.name][id].isEmpty { name = base.folded[t][id]; nameRank = rank }
            }
            if birth == nil, slot.birth >= 0 { birth = DateParser.parse(text(t, slot.birth, row)).date }
            if sex == nil, slot.sex >= 0 { sex = Sex(parsing: text(t, slot.sex, row)) }
            if phone == nil, slot.phone >= 0 { phone = phones[t][Int(ids[t][slot.phone][row])] }
        }
        fill(&facts, person: p, birth: birth, sex: sex)
        let outcome = book.evaluate(&facts)
        sourceRows.sort()
        let key = base.idNumber[p] ?? sourceRows.first.map(\.description) ?? "person:\(p)"
        return CoveragePerson(
            key: key, idNumber: base.idNumber[p], name: name, sex: sex, birthDate: birth, age: birth.map { $0.years(to: asOf) },
            area: areas.areas[Int(areas.person[p])], phone: phone,
            labels: outcome.labels, action: outcome.action, records: sourceRows, linkConfidence: confidence,
            hukou: areas.areas[Int(areas.hukou[p])], areaOrigin: areas.origin[p])
    }

    private func isLocal(_ region: String) -> Bool {
        localPrefixes.contains { region.hasPrefix($0) }
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
