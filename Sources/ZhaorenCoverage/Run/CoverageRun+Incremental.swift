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
        // Column by column, each interned in a table of its own (local, not nested in arrays).
        var values: [[String]] = [], ids: [[UInt32]] = []
        for r in roles.indices {
            var index: [String: UInt32] = ["": 0]
            index.reserveCapacity(fields.count)
            var distinct = [""], column = [UInt32]()
            column.reserveCapacity(fields.count)
            for row in fields {
                guard r < row.count, !row[r].isEmpty else { column.append(0); continue }
                let value = row[r]
                if let known = index[value] { column.append(known); continue }
                let id = UInt32(distinct.count)
                index[value] = id
                distinct.append(value)
                column.append(id)
            }
            values.append(distinct)
            ids.append(column)
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

/// A source read for an incremental update: the content hash and row number of every accepted
/// row, and the values of only the rows whose content is new (see
/// ``SourceTable/read(_:rejects:unchanged:)``).
///
/// ```swift
/// let changes = try SourceTable.read(police, rejects: nil, unchanged: lastMonth)
/// changes.hashes.count           // every accepted row
/// changes.table.count            // the rows whose content last month did not hold
/// changes.kept[0]                // row 0's index in `table`, or -1 when it was skipped
/// ```
public struct SourceChanges: Sendable {
    /// The rows whose content was not among the unchanged, in file order.
    public let table: SourceTable
    /// Every accepted row's content hash (``SourceTable/rowHashes()``).
    public let hashes: [Int64]
    /// Every accepted row's 1-based data row.
    public let rows: [UInt32]
    /// For every accepted row, its index in ``table``, or -1 when its content was unchanged.
    public let kept: [Int32]

    /// A table read whole: every row kept.
    public init(whole table: SourceTable) {
        self.table = table
        hashes = table.rowHashes()
        rows = table.rows
        kept = (0..<table.count).map(Int32.init)
    }

    init(table: SourceTable, hashes: [Int64], rows: [UInt32], kept: [Int32]) {
        self.table = table
        self.hashes = hashes
        self.rows = rows
        self.kept = kept
    }
}

/// How many rows of each content (``SourceTable/rowHashes()``) a population base holds: what
/// ``SourceTable/read(_:rejects:unchanged:)`` may skip.
///
/// ```swift
/// var held = ContentCounts([h1, h2, h2])
/// held.take(h2)   // true (one left)
/// held.take(h3)   // false: not held
/// ```
public struct ContentCounts: Sendable, ExpressibleByDictionaryLiteral {
    private var counts: [Int64: Int32]

    /// Counts `hashes` (a content held by several rows repeats).
    public init(_ hashes: [Int64]) {
        counts = Dictionary(minimumCapacity: hashes.count)
        for hash in hashes { counts[hash, default: 0] += 1 }
    }

    /// Counts given as (hash, rows) pairs.
    public init(dictionaryLiteral elements: (Int64, Int32)...) {
        self.init(elements.flatMap { Array(repeating: $0.0, count: Int($0.1)) })
    }

    /// Takes one row of content `hash`: `true` if one was left, `false` if none (or none held).
    public mutating func take(_ hash: Int64) -> Bool {
        guard let left = counts[hash], left > 0 else { return false }
        counts[hash] = left - 1
        return true
    }
}

extension SourceTable {
    /// The seed of every row's content hash ("ZHAOREN1").
    static let rowHashSeed: UInt64 = 0x5A48_414F_5245_4E31

    /// The content hash of every row: its values in role order, each hashed (``StableHash``) and
    /// combined. Rows with equal values in the same roles hash alike, in every process; a
    /// population base stores them to tell a month's new and changed rows from the rest.
    ///
    /// ```swift
    /// let hashes = table.rowHashes()   // one per row
    /// ```
    public func rowHashes() -> [Int64] {
        let valueHashes = values.map { $0.map { StableHash.of($0) } }
        let ids = ids
        return Array(0..<count).parallelMap(minimumChunk: 16_384) { row in
            var h = Self.rowHashSeed
            for r in ids.indices { h = StableHash.combine(h, valueHashes[r][Int(ids[r][row])]) }
            return Int64(bitPattern: h)
        }
    }

    /// Reads `source` for an incremental update: every accepted row's content hash (as
    /// ``rowHashes()``) and row number, but the values of only the rows whose content is new.
    /// `unchanged` counts the contents already held: that many rows of each,
    /// the first in the file, are skipped; every other row is kept in ``SourceChanges/table``.
    /// A skipped row's values are never decoded into strings nor interned, which is most of
    /// the cost of reading a month's snapshot that is mostly last month's.
    ///
    /// ```swift
    /// let changes = try SourceTable.read(police, rejects: writer, unchanged: [storedHash: 1])
    /// ```
    public static func read(_ source: CoverageSource, rejects: RejectWriter?,
                            unchanged: ContentCounts) throws(ZhaorenError) -> SourceChanges {
        let (reader, selection) = try open(source)
        let roles = selection.entries.map(\.role)
        var remaining = unchanged
        var interners = roles.map { _ in ByteInterner(capacity: 4096) }
        var ids = roles.map { _ in [UInt32]() }
        var keptRows: [UInt32] = [], rows: [UInt32] = [], hashes: [Int64] = [], kept: [Int32] = []
        var rejected: [RejectedRow] = []
        var scratch = roles.map { _ in [UInt8]() }
        try reader.forEachBatch { batch throws(ZhaorenError) in
            if let rejects { rejects.write(contentsOf: batch.rejects) } else { rejected.append(contentsOf: batch.rejects) }
            for row in batch {
                var h = rowHashSeed
                for entry in roles.indices {
                    scratch[entry].removeAll(keepingCapacity: true)
                    selection.appendValue(entry, in: row, to: &scratch[entry])
                    let value = scratch[entry].withUnsafeBufferPointer { bytes in
                        StableHash.of(bytes: UnsafeBufferPointer(rebasing: bytes[trimmedRange(bytes)]))
                    }
                    h = StableHash.combine(h, value)
                }
                let hash = Int64(bitPattern: h)
                rows.append(UInt32(row.number))
                hashes.append(hash)
                if remaining.take(hash) {
                    kept.append(-1)
                    continue
                }
                kept.append(Int32(keptRows.count))
                keptRows.append(UInt32(row.number))
                for entry in roles.indices {
                    let id = scratch[entry].withUnsafeBufferPointer { interners[entry].intern($0).id }
                    ids[entry].append(UInt32(id))
                }
            }
        }
        let table = SourceTable(source: source, roles: roles, interners: interners, ids: ids, rows: keptRows,
                                statistics: reader.statistics, rejected: rejected)
        return SourceChanges(table: table, hashes: hashes, rows: rows, kept: kept)
    }
}

extension SourceTable {
    /// Reads several sources for an incremental update at once (one per core, large files
    /// first), `unchanged[k]` being source `k`'s contents already held; the rows that cannot be
    /// read go to `rejects` in the order of `sources`.
    ///
    /// ```swift
    /// let changes = try SourceTable.read(sources, rejects: writer, unchanged: held)
    /// ```
    public static func read(_ sources: [CoverageSource], rejects: RejectWriter?,
                            unchanged: [ContentCounts]) throws(ZhaorenError) -> [SourceChanges] {
        precondition(unchanged.count == sources.count, "one set of unchanged contents per source")
        let changes = try largestFirst(sources) { k throws(ZhaorenError) in try Self.read(sources[k], rejects: nil, unchanged: unchanged[k]) }
        if let rejects { for change in changes { rejects.write(contentsOf: change.table.rejected) } }
        return changes
    }
}
