/// One pass over a ``CoverageResult`` that every output reuses: the order of persons by key,
/// the village of each person, and per-village counters that roll up to townships and
/// counties.
///
/// - Complexity: O(n) dictionary lookups for n persons (one per person, on the village).
struct CoverageTally {
    /// A village (or community) as county, township and village names (empty = unknown).
    struct Village: Hashable, Comparable {
        var county: String
        var township: String
        var village: String

        static func < (a: Village, b: Village) -> Bool {
            (a.county, a.township, a.village) < (b.county, b.township, b.village)
        }
    }

    /// Counters of one area.
    struct Counts {
        var persons = 0
        var needingAction = 0
        var workingAge = 0
        var insured = 0
        var labels: [Int]
        var actions: [Int]

        init(labels: Int, actions: Int) {
            self.labels = Array(repeating: 0, count: labels)
            self.actions = Array(repeating: 0, count: actions)
        }

        mutating func add(_ other: Counts) {
            persons += other.persons
            needingAction += other.needingAction
            workingAge += other.workingAge
            insured += other.insured
            for i in labels.indices { labels[i] += other.labels[i] }
            for i in actions.indices { actions[i] += other.actions[i] }
        }
    }

    /// Person indices sorted by key (the identity when the result is already sorted).
    let order: [Int]
    /// The villages, sorted.
    let villages: [Village]
    /// Per person: index into ``villages``.
    let personVillage: [Int32]
    /// Per village: counters.
    let villageCounts: [Counts]
    /// The whole city.
    let total: Counts
    /// Index of `working_age` in the label names, if defined.
    let workingAgeLabel: Int?
    /// Indices of `insured_local` and `insured_elsewhere`, those defined.
    let insuredLabels: [Int]

    init(_ result: CoverageResult) {
        let persons = result.persons
        var sorted = true
        if persons.count > 1 {
            for i in 1..<persons.count where persons[i].key < persons[i - 1].key {
                sorted = false
                break
            }
        }
        order = sorted ? Array(persons.indices) : persons.indices.sorted { persons[$0].key < persons[$1].key }

        let workingAge = result.labelNames.firstIndex(of: "working_age")
        let insured = ["insured_local", "insured_elsewhere"].compactMap { result.labelNames.firstIndex(of: $0) }
        workingAgeLabel = workingAge
        insuredLabels = insured

        var index: [Village: Int32] = [:]
        var found: [Village] = []
        var raw = [Int32](repeating: 0, count: persons.count)
        var counts: [Counts] = []
        let labelCount = result.labelNames.count, actionCount = result.actions.count
        for (p, person) in persons.enumerated() {
            let v = Village(county: person.area.county, township: person.area.township, village: person.area.village)
            let slot: Int32
            if let known = index[v] {
                slot = known
            } else {
                slot = Int32(found.count)
                index[v] = slot
                found.append(v)
                counts.append(Counts(labels: labelCount, actions: actionCount))
            }
            raw[p] = slot
            let s = Int(slot)
            counts[s].persons += 1
            for l in person.labels where l >= 0 && l < labelCount { counts[s].labels[l] += 1 }
            if let a = person.action, a >= 0, a < actionCount {
                counts[s].actions[a] += 1
                counts[s].needingAction += 1
            }
            if let workingAge, person.labels.contains(workingAge) {
                counts[s].workingAge += 1
                if insured.contains(where: person.labels.contains) { counts[s].insured += 1 }
            }
        }
        // Renumber villages in sorted order so every output lists them the same way.
        let byName = found.indices.sorted { found[$0] < found[$1] }
        var renumber = [Int32](repeating: 0, count: found.count)
        for (new, old) in byName.enumerated() { renumber[old] = Int32(new) }
        villages = byName.map { found[$0] }
        villageCounts = byName.map { counts[$0] }
        personVillage = raw.map { renumber[Int($0)] }
        var total = Counts(labels: labelCount, actions: actionCount)
        for c in villageCounts { total.add(c) }
        self.total = total
    }

    /// Counters rolled up to townships (county, township), sorted.
    func townships() -> [(county: String, township: String, counts: Counts)] {
        var out: [(county: String, township: String, counts: Counts)] = []
        for (v, c) in zip(villages, villageCounts) {
            if let last = out.last, last.county == v.county, last.township == v.township {
                out[out.count - 1].counts.add(c)
            } else {
                out.append((v.county, v.township, c))
            }
        }
        return out
    }

    /// Counters rolled up to counties, sorted.
    func counties() -> [(county: String, counts: Counts)] {
        var out: [(county: String, counts: Counts)] = []
        for (v, c) in zip(villages, villageCounts) {
            if let last = out.last, last.county == v.county {
                out[out.count - 1].counts.add(c)
            } else {
                out.append((v.county, c))
            }
        }
        return out
    }
}
