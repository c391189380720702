import Foundation
import Zhaoren
import ZhaorenSupport

/// Finds the persons of a base that a query (any of name, ID number, birth date, sex, phone)
/// may be: candidates by ID number and its check-digit corrections, by phone, by folded name
/// with birth date, by fuzzy pinyin with birth date, or by folded name alone when nothing else
/// is given; each scored with the engine's comparisons and explained comparison by comparison.
///
/// ```swift
/// let matcher = try BaseMatcher(base: base)
/// let best = matcher.match(BaseMatcher.Query(name: "章伟", birth: "1949-12-31")).first
/// best?.probability; best?.explanation["name"]
/// ```
public final class BaseMatcher: Sendable {
    /// A lookup: any of the fields.
    public struct Query: Codable, Sendable {
        public var name: String?
        public var id: String?
        public var birth: String?
        public var sex: String?
        public var phone: String?

        public init(name: String? = nil, id: String? = nil, birth: String? = nil, sex: String? = nil, phone: String? = nil) {
            self.name = name; self.id = id; self.birth = birth; self.sex = sex; self.phone = phone
        }

        enum CodingKeys: String, CodingKey, CaseIterable { case name, id, birth, sex, phone }

        /// Decodes a query; any other key is an error (a misspelt field must not be ignored).
        public init(from decoder: any Decoder) throws {
            try decoder.rejectUnknownKeys(CodingKeys.self)
            let c = try decoder.container(keyedBy: CodingKeys.self)
            name = try c.decodeIfPresent(String.self, forKey: .name)
            id = try c.decodeIfPresent(String.self, forKey: .id)
            birth = try c.decodeIfPresent(String.self, forKey: .birth)
            sex = try c.decodeIfPresent(String.self, forKey: .sex)
            phone = try c.decodeIfPresent(String.self, forKey: .phone)
        }

        /// Whether the query holds at least one non-empty field.
        public var isEmpty: Bool {
            [name, id, birth, sex, phone].allSatisfy { ($0 ?? "").trimmingCharacters(in: .whitespaces).isEmpty }
        }
    }

    /// A candidate person with its score.
    public struct Candidate: Sendable {
        public var person: BasePerson
        public var probability: Double
        public var matchWeight: Double
        /// Weight (bits) each comparison added, by comparison name.
        public var explanation: [String: Double]
    }

    let persons: [BasePerson]
    let normalized: [NormalizedName?]
    let packedID: [UInt64], idBirth: [Int32], idSex: [UInt8], birth: [Int32], sex: [UInt8], phone: [UInt64]
    let byID: [UInt64: [Int32]], byPhone: [UInt64: [Int32]], byName: [String: [Int32]], byFuzzyBirth: [UInt64: [Int32]]
    let names: NameNormalizer
    let specs: [ComparisonSpec]
    let model: FellegiSunterModel
    /// Candidates scored per query at most.
    static let maxCandidates = 200

    /// Indexes every person of `base` (names are normalized once, in parallel batches).
    public convenience init(base: PopulationBase, names: NameNormalizer? = nil) throws(ZhaorenError) {
        let all = try base.matchFields()
        let normalizer: NameNormalizer
        if let names { normalizer = names } else {
            do { normalizer = try NameNormalizer() } catch { throw ZhaorenError(.icu, "cannot open the name normalizer: \(error)") }
        }
        self.init(persons: all, names: normalizer)
    }

    /// Indexes `all` (some persons of a base: an update's candidates). With `model` (the one a
    /// base stored, trained on the city's own records) candidates are scored with it; without,
    /// with the domain's priors and the prior odds of one person among those indexed.
    public init(persons all: [BasePerson], names normalizer: NameNormalizer, model stored: FellegiSunterModel? = nil) {
        self.names = normalizer
        persons = all
        let today = CivilDate.todayInChina()
        let distinct = Array(Set(all.map(\.name)))
        let parsed = normalizer.normalize(distinct)
        var byRaw: [String: NormalizedName] = [:]
        for (raw, p) in zip(distinct, parsed) { byRaw[raw] = NormalizedName(p, pinyin: normalizer.pinyin) }
        normalized = all.map { $0.name.isEmpty ? nil : byRaw[$0.name] }
        var ids: [UInt64] = [], ib: [Int32] = [], isx: [UInt8] = [], b: [Int32] = [], s: [UInt8] = [], ph: [UInt64] = []
        var byID: [UInt64: [Int32]] = [:], byPhone: [UInt64: [Int32]] = [:], byName: [String: [Int32]] = [:]
        var byFuzzyBirth: [UInt64: [Int32]] = [:]
        for (k, p) in all.enumerated() {
            let (packed, birthDay, idS) = p.idNumber.map { RecordLoader.residentID($0, today: today) } ?? (0, RecordTable.missingDate, 0)
            ids.append(packed); ib.append(birthDay); isx.append(idS)
            let own = p.birthDate.flatMap { DateParser.parse($0).date }?.dayNumber ?? RecordTable.missingDate
            b.append(own)
            s.append(p.sex.flatMap { Sex(parsing: $0) }?.rawValue ?? 0)
            ph.append(p.phone.flatMap { PackedDigits.packPhone($0) } ?? 0)
            if packed != 0 { byID[packed, default: []].append(Int32(k)) }
            if ph[k] != 0 { byPhone[ph[k], default: []].append(Int32(k)) }
            if let n = normalized[k] {
                byName[n.folded, default: []].append(Int32(k))
                let day = own != RecordTable.missingDate ? own : birthDay
                if day != RecordTable.missingDate {
                    for f in n.fuzzyKeys { byFuzzyBirth[StableHash.combine(f, UInt64(UInt32(bitPattern: day))), default: []].append(Int32(k)) }
                }
            }
        }
        packedID = ids; idBirth = ib; idSex = isx; birth = b; sex = s; phone = ph
        self.byID = byID; self.byPhone = byPhone; self.byName = byName; self.byFuzzyBirth = byFuzzyBirth
        let specs = (stored?.comparisons ?? ComparisonSpec.defaults(for: [.name, .id, .birth, .sex, .phone])).map { spec in
            var s = spec
            s.termFrequency = false
            return s
        }
        self.specs = specs
        if var stored {
            stored.comparisons = specs
            model = stored
        } else {
            // The domain's priors, with the prior odds of a lookup: one person among those indexed.
            model = FellegiSunterModel.priors(for: specs, lambda: 1 / Double(max(all.count, 2)))
        }
    }

    /// The number of persons indexed.
    public var count: Int { persons.count }

    /// The candidates for `query`, best first (at most `limit`, probability at least `floor`).
    public func match(_ query: Query, limit: Int = 10, floor: Double = 0.01) -> [Candidate] {
        let today = CivilDate.todayInChina()
        func clean(_ s: String?) -> String? {
            let t = s?.trimmingCharacters(in: .whitespacesAndNewlines)
            return t?.isEmpty == false ? t : nil
        }
        // The query as a record.
        let (qID, qIDBirth, qIDSex) = clean(query.id).map { RecordLoader.residentID($0, today: today) } ?? (0, RecordTable.missingDate, 0)
        let qBirth = clean(query.birth).flatMap { DateParser.parse($0).date }?.dayNumber ?? RecordTable.missingDate
        let qSex = clean(query.sex).flatMap { Sex(parsing: $0) }?.rawValue ?? 0
        let qPhone = clean(query.phone).flatMap { PhoneNumber.parse($0).normalized }.flatMap { PackedDigits.packPhone($0) } ?? 0
        let qName = clean(query.name).map { NormalizedName(names.normalize($0), pinyin: names.pinyin) }
        // Candidates.
        var found = Set<Int32>()
        func take(_ list: [Int32]?) { for k in list?.prefix(Self.maxCandidates) ?? [] where found.count < Self.maxCandidates { found.insert(k) } }
        if qID != 0 {
            take(byID[qID])
            for c in PackedDigits.idCorrections(qID) where c != qID { take(byID[c]) }
        }
        if qPhone != 0 { take(byPhone[qPhone]) }
        if let n = qName {
            let day = qBirth != RecordTable.missingDate ? qBirth : qIDBirth
            if day != RecordTable.missingDate {
                for f in n.fuzzyKeys { take(byFuzzyBirth[StableHash.combine(f, UInt64(UInt32(bitPattern: day)))]) }
                for k in byName[n.folded] ?? [] where birth[Int(k)] == day || idBirth[Int(k)] == day { take([k]) }
            } else if qID == 0 && qPhone == 0 {
                take(byName[n.folded])
            }
        }
        guard !found.isEmpty else { return [] }
        // One small table: the query, then the candidates.
        let order = found.sorted()
        var table = RecordTable()
        let source = table.addSource("query")
        let none = RecordTable.missingID
        table.appendInterned(source: source, row: 0, name: qName.map { table.addName(clean(query.name)!, $0) } ?? none,
                             id: qID, idBirth: qIDBirth, idSex: qIDSex, birth: qBirth, sex: qSex, phone: qPhone,
                             address: none, otherID: none, area: none)
        for k in order.map(Int.init) {
            let name = normalized[k].map { table.addName(persons[k].name, $0) } ?? none
            table.appendInterned(source: source, row: UInt32(k + 1), name: name, id: packedID[k], idBirth: idBirth[k], idSex: idSex[k],
                                 birth: birth[k], sex: sex[k], phone: phone[k], address: none, otherID: none, area: none)
        }
        guard let comparator = try? Comparator(specs: specs, table: table) else { return [] }
        let scorer = PairScorer(model: model, comparator: comparator)
        var scratch = KernelScratch()
        var out: [Candidate] = []
        for (j, k) in order.enumerated() {
            let pattern = comparator.pattern(0, j + 1, scratch: &scratch)
            let weight = scorer.weight(pattern: pattern, 0, j + 1)
            let probability = model.probability(weight: weight)
            guard probability >= floor else { continue }
            var explanation: [String: Double] = [:]
            for c in specs.indices { explanation[specs[c].name] = scorer.contribution(c, pattern: pattern, 0, j + 1) }
            out.append(Candidate(person: persons[Int(k)], probability: probability, matchWeight: weight, explanation: explanation))
        }
        out.sort { ($0.matchWeight, $1.person.person) > ($1.matchWeight, $0.person.person) }
        return Array(out.prefix(limit))
    }
}
