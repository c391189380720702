import Zhaoren
import ZhaorenSupport

/// Which person each record of the person lists is: the population base and every list linked
/// to it.
///
/// Identity is settled in two passes:
/// 1. **Valid ID numbers.** A record whose ID number is valid (checksum, real date; 15-digit
///    numbers upgraded, unless they may be truncated 18-digit numbers) is the person with that canonical number, created if new, so that a
///    person found only in a department list still counts as a person of their own.
/// 2. **Records without a usable ID** (blank, mistyped, Excel-mangled) go to a
///    ``DeferredRecordMatcher``, which links each to a person of pass 1 with a probability, or
///    groups it with other unlinked records; a group with no valid ID is an unresolved identity.
struct PersonBase {
    /// Per table, per row: the person index.
    var person: [[Int32]]
    /// Per table, per row: the confidence of the record's link (1 for a valid ID).
    var confidence: [[Float]]
    /// Per person: the canonical ID number, if any record carried a valid one.
    var idNumber: [String?]
    /// Per person: whether identity is established (a valid ID, or a confident link to one).
    var resolved: [Bool]
    /// Per person: birth date, sex and region code from the canonical ID number (nil without one).
    var birth: [CivilDate?]
    var sex: [Sex?]
    var region: [String?]
    /// Per table, per distinct ID value: what the matchers read of its parse (16 bytes, not a
    /// ``ResidentID`` and its strings: a province holds tens of millions of values); emptied by
    /// ``settle(_:)``.
    var ids: [[IDValue]]
    /// Per table, per distinct name value: the normalized name, while identity is settled
    /// (the matchers read pinyin and characters); emptied by ``settle(_:)``.
    var names: [[PersonName]]
    /// Per table, per distinct name value: the folded name (from ``settle(_:)`` on).
    var folded: [[String]] = []
    /// Counts of ID issue codes over every record (from ``settle(_:)`` on).
    var idIssues: [String: Int] = [:]

    var count: Int { idNumber.count }

    /// Builds the base. `tables` are the person lists, population sources first.
    static func build(tables: [SourceTable], asOf: CivilDate, normalizer: NameNormalizer,
                      matcher: DeferredRecordMatcher) -> PersonBase {
        var base = PersonBase(person: [], confidence: [], idNumber: [], resolved: [], birth: [], sex: [], region: [],
                              ids: [], names: [])
        var byID: [UInt64: Int32] = [:]
        byID.reserveCapacity(tables.first?.count ?? 0)
        var deferred: [DeferredRecord] = []
        for (t, table) in tables.enumerated() {
            let parsed = base.appendValues(of: table, asOf: asOf, normalizer: normalizer)
            let idColumn = table.column("id")
            var persons = [Int32](repeating: -1, count: table.count)
            var confidences = [Float](repeating: 0, count: table.count)
            // Per distinct value: the packed canonical number if it settles identity (a 15-digit
            // number that may be an 18-digit one cut short does not), else 0.
            let packedValues = parsed.parallelMap { id -> UInt64 in
                id.settledNumber.flatMap { ResidentID.packedValue($0.utf8) } ?? 0
            }
            for row in 0..<table.count {
                let value = idColumn.map { Int($0[row]) } ?? -1
                if value >= 0, case let packed = packedValues[value], packed != 0 {
                    let index: Int32
                    if let known = byID[packed] {
                        index = known
                    } else {
                        let id = parsed[value]
                        index = Int32(base.idNumber.count)
                        byID[packed] = index
                        base.idNumber.append(id.normalized)
                        base.resolved.append(true)
                        base.birth.append(id.birthDate)
                        base.sex.append(id.sex)
                        base.region.append(id.regionCode)
                    }
                    persons[row] = index
                    confidences[row] = 1
                } else {
                    deferred.append(DeferredRecord(table: UInt16(t), row: UInt32(row)))
                }
            }
            base.person.append(persons)
            base.confidence.append(confidences)
        }
        let links = matcher.match(deferred, tables: tables, base: base)
        for (record, link) in zip(deferred, links) {
            let t = Int(record.table), r = Int(record.row)
            switch link {
            case .person(let p, let probability):
                base.person[t][r] = p
                base.confidence[t][r] = probability
            case .group(let g):
                // Groups are numbered 0…; each becomes a new unresolved person.
                let index = Int32(base.idNumber.count) + Int32(g)
                base.person[t][r] = index
                base.confidence[t][r] = 0
            }
        }
        let groups = links.reduce(0) { if case .group(let g) = $1 { return max($0, g + 1) } else { return $0 } }
        base.idNumber.append(contentsOf: repeatElement(nil, count: groups))
        base.resolved.append(contentsOf: repeatElement(false, count: groups))
        base.birth.append(contentsOf: repeatElement(nil, count: groups))
        base.sex.append(contentsOf: repeatElement(nil, count: groups))
        base.region.append(contentsOf: repeatElement(nil, count: groups))
        base.settle(tables)
        return base
    }

    /// Ends the matchers' phase: keeps what the labelling reads (each name's folded form, the
    /// ID issue counts over every record of `tables`, the tables the base was built from) and
    /// drops the rest; a ``PersonName`` with its pinyin and code arrays is ten times the size
    /// of its folded form, and the ID parses are read by nothing later.
    mutating func settle(_ tables: [SourceTable]) {
        var counts: [String: Int] = [:]
        for (t, table) in tables.enumerated() {
            guard let column = table.column("id") else { continue }
            var perValue = [Int](repeating: 0, count: ids[t].count)
            for id in column { perValue[Int(id)] += 1 }
            for (v, n) in perValue.enumerated() where n > 0 {
                let id = ids[t][v]
                if id.isBlank { counts["blank", default: 0] += n; continue }   // values are trimmed when read
                for code in id.issues.codes { counts[code, default: 0] += n }
            }
        }
        idIssues = counts
        folded = names.map { column in column.map(\.folded) }
        names = []
        ids = []
    }
}

/// What a run keeps of a distinct ID value after parsing it: its issues, whether it was blank,
/// and the birth day and sex its structure encodes.
struct IDValue: Sendable {
    /// The parse's issues.
    var issues: ResidentID.Issues
    /// The birth date's day number, when the structure and date are sound.
    var birthDay: Int32?
    /// The sex's raw value (0 when unknown).
    var sex: UInt8
    /// Whether the value was blank.
    var isBlank: Bool

    init(_ id: ResidentID) {
        issues = id.issues
        birthDay = id.birthDate?.dayNumber
        sex = id.sex?.rawValue ?? 0
        isBlank = id.input.isEmpty
    }
}

extension PersonBase {
    /// Parses `table`'s distinct ID numbers and names (in parallel) into ``ids`` and ``names``;
    /// returns the parsed ID numbers.
    mutating func appendValues(of table: SourceTable, asOf: CivilDate, normalizer: NameNormalizer) -> [ResidentID] {
        let idValues = table.roleIndex("id").map { table.values[$0] } ?? [""]
        let parsed = idValues.parallelMap { ResidentID.parse($0, asOf: asOf) }
        ids.append(parsed.map(IDValue.init))
        let nameValues = table.roleIndex("name").map { table.values[$0] } ?? [""]
        names.append(normalizer.normalize(nameValues))
        return parsed
    }
}

extension ResidentID {
    /// The canonical number when it settles who the person is: valid, and not a 15-digit
    /// number that may be an 18-digit one cut short.
    package var settledNumber: String? {
        guard isValid, !issues.contains(.possiblyTruncated) else { return nil }
        return normalized
    }
}

/// A record that carried no usable ID number: table index and row index.
public struct DeferredRecord: Hashable, Sendable {
    /// Index of the table among the person lists.
    public var table: UInt16
    /// Row index in that table (0-based, not the 1-based row number).
    public var row: UInt32
}

/// What became of a deferred record.
enum DeferredLink: Hashable, Sendable {
    /// Linked to an existing person with this probability.
    case person(Int32, probability: Float)
    /// Not linked; records in the same group are one (unresolved) person.
    case group(Int)
}

/// Links records without a usable ID number to the persons of the base.
protocol DeferredRecordMatcher {
    /// One link per deferred record, in order.
    func match(_ records: [DeferredRecord], tables: [SourceTable], base: PersonBase) -> [DeferredLink]
}
