import Foundation
import Zhaoren
import ZhaorenSupport

extension SourceTable {
    /// A table of rows already read (a population base's stored rows): `fields[k]` holds row
    /// `rows[k]`'s values in the order of `roles`.
    ///
    /// ```swift
    /// let table = SourceTable(source: deaths, roles: ["name", "id"], rows: [7], fields: [["张伟", "640402194912311234"]])
    /// table.value("name", row: 0)   // "张伟"
    /// ```
    public init(source: CoverageSource, roles: [String], rows: [UInt32], fields: [[String]]) {
        var values = roles.map { _ in [""] }
        var index = roles.map { _ in ["": UInt32(0)] }
        var ids = roles.map { _ in [UInt32]() }
        for row in fields {
            for r in roles.indices {
                let value = r < row.count ? row[r] : ""
                if let known = index[r][value] { ids[r].append(known); continue }
                let id = UInt32(values[r].count)
                index[r][value] = id
                values[r].append(value)
                ids[r].append(id)
            }
        }
        var statistics = ReadStatistics()
        statistics.rowsRead = rows.count
        self.init(source: source, roles: roles, ids: ids, values: values, rows: rows, statistics: statistics)
    }

    /// Row `row`'s values in the order of ``roles``.
    public func fields(row: Int) -> [String] {
        roles.indices.map { values[$0][Int(ids[$0][row])] }
    }
}

extension CoverageRun {
    /// The person label names the rules define, in rule order.
    public var labelNames: [String] { people.labels.map(\.name) }
    /// Whether a label or action rule reads `as_of_month` (then every person's labels may
    /// change when the reference date moves, not only those whose age changed).
    public var readsMonth: Bool { ruleTexts.contains { $0.contains("as_of_month") } }

    /// The `when` of every label and action rule.
    var ruleTexts: [String] {
        (settings.labels ?? CoverageSettings.defaultLabels).map(\.when) + (settings.actions ?? CoverageSettings.defaultActions).map(\.when)
    }

    /// The ages at which a label or action rule may change its answer: for `age >= 60` a person
    /// reaching 60, for `age <= 59` one reaching 60. `nil` when a rule reads `age` other than as
    /// `age OP NUMBER` (then any change of age may matter).
    public var ageBoundaries: Set<Int>? {
        var out = Set<Int>()
        for rule in ruleTexts {
            let c = Array(rule.unicodeScalars)
            func word(_ i: Int) -> Bool { i >= 0 && i < c.count && (CharacterSet.alphanumerics.contains(c[i]) || c[i] == "_" || c[i] == ".") }
            var i = 0
            while i + 3 <= c.count {
                guard c[i] == "a", c[i + 1] == "g", c[i + 2] == "e", !word(i - 1), !word(i + 3) else { i += 1; continue }
                var j = i + 3
                while j < c.count && c[j] == " " { j += 1 }
                var op = ""
                while j < c.count && "<>=!".unicodeScalars.contains(c[j]) { op.unicodeScalars.append(c[j]); j += 1 }
                while j < c.count && c[j] == " " { j += 1 }
                var digits = ""
                while j < c.count && ("0"..."9").contains(c[j]) { digits.unicodeScalars.append(c[j]); j += 1 }
                guard let n = Int(digits), !word(j) else { return nil }
                switch op {
                case ">=", "<": out.insert(n)
                case ">", "<=": out.insert(n + 1)
                case "==", "!=": out.formUnion([n, n + 1])
                default: return nil
                }
                i = j
            }
        }
        return out
    }

    /// The actions the rules recommend, in priority order.
    public var actions: [CoverageAction] { people.actions.map { CoverageAction(name: $0.name, text: $0.text ?? $0.name) } }

    /// Labels persons whose rows are given and whose identity is already settled (an
    /// incremental update of a population base): `person[t][row]` is the row's person
    /// (0..<`persons`), `confidence[t][row]` the confidence of its link. Areas are placed with
    /// what a full run learned (`seed`). `tables` are person lists, population sources first.
    ///
    /// - Returns: one entry per person in key order, and for each entry the person number it is.
    ///
    /// ```swift
    /// let (persons, order) = try run.evaluate(tables: tables, person: [[0, 0]], confidence: [[1, 1]],
    ///                                         persons: 1, seed: stored)
    /// persons[0].labels    // the label numbers of person order[0]
    /// ```
    public func evaluate(tables: [SourceTable], person: [[Int32]], confidence: [[Float]], persons count: Int,
                         seed: AreaSeed?, names: NameNormalizer? = nil) throws(ZhaorenError) -> (persons: [CoveragePerson], order: [Int]) {
        let normalizer: NameNormalizer
        if let names { normalizer = names } else {
            do { normalizer = try NameNormalizer() } catch { throw ZhaorenError(.icu, error.description) }
        }
        let base = PersonBase.assigned(tables: tables, person: person, confidence: confidence, count: count,
                                       asOf: asOf, normalizer: normalizer)
        let areas = AreaResolver.resolve(tables: tables, base: base, settings: settings, seed: seed)
        let facts = PersonFacts(tables: tables, base: base, areas: areas, settings: settings, schema: people.schema, asOf: asOf)
        var order: [Int] = []
        let persons = facts.evaluate(people, order: &order)
        return (persons, order)
    }
}

extension PersonBase {
    /// A base whose rows' persons are already known: each person's ID number, birth date, sex
    /// and region come from the first of its rows with a valid ID number.
    static func assigned(tables: [SourceTable], person: [[Int32]], confidence: [[Float]], count: Int,
                         asOf: CivilDate, normalizer: NameNormalizer) -> PersonBase {
        var base = PersonBase(person: person, confidence: confidence,
                              idNumber: Array(repeating: nil, count: count), resolved: Array(repeating: false, count: count),
                              birth: Array(repeating: nil, count: count), sex: Array(repeating: nil, count: count),
                              region: Array(repeating: nil, count: count), ids: [], names: [])
        for (t, table) in tables.enumerated() {
            let parsed = base.appendValues(of: table, asOf: asOf, normalizer: normalizer)
            guard let column = table.column("id") else { continue }
            for row in 0..<table.count {
                let p = Int(person[t][row])
                guard p >= 0, base.idNumber[p] == nil else { continue }
                let id = parsed[Int(column[row])]
                guard let canonical = id.settledNumber else { continue }
                base.idNumber[p] = canonical
                base.resolved[p] = true
                base.birth[p] = id.birthDate
                base.sex[p] = id.sex
                base.region[p] = id.regionCode
            }
        }
        base.settle(tables)
        return base
    }
}
