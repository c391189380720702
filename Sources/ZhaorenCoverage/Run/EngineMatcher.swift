import Synchronization
import Zhaoren
import ZhaorenSupport

/// Links records without a usable ID number to the persons of the base with the linkage engine:
/// one record per resolved person on one side, the deferred records on the other; blocking on
/// names, pinyin, birth dates, ID digits one edit apart and phones; Fellegi–Sunter scores
/// trained on these very records. Each deferred record goes to its best-scoring person at or
/// above the threshold; the rest are handed to `fallback` (which may still link them by exact
/// name and birth date, and groups what is left).
struct EngineMatcher: DeferredRecordMatcher {
    /// Links below this probability are not accepted.
    var threshold: Double
    /// The name normalizer already opened by the run.
    var normalizer: NameNormalizer
    /// Where the records the engine did not link go.
    var fallback: any DeferredRecordMatcher
    /// Called with what the engine is doing.
    var progress: (@Sendable (LinkEvent) -> Void)?
    /// Where the model trained by ``match(_:tables:base:)`` is left (for a population base).
    var trained = TrainedModel()

    func match(_ records: [DeferredRecord], tables: [SourceTable], base: PersonBase) -> [DeferredLink] {
        guard !records.isEmpty else { return [] }
        let today = CivilDate.todayInChina()
        var table = RecordTable()
        let personSide = table.addSource("persons"), listSide = table.addSource("records")
        // Each distinct name and each distinct value of the other columns is handled once, not
        // once per record; records are appended from interned values.
        // One record per resolved person: its first valid-ID record (population sources come first).
        var seen = [Bool](repeating: false, count: base.count)
        var personRows: [(table: Int32, row: Int32, person: Int32)] = []
        for t in tables.indices {
            let persons = base.person[t], confidences = base.confidence[t]
            for row in persons.indices {
                let p = Int(persons[row])
                guard p >= 0, confidences[row] == 1, !seen[p] else { continue }
                seen[p] = true
                personRows.append((Int32(t), Int32(row), Int32(p)))
            }
        }
        // Per-table columns held apart: reading a cell through `tables[t]` would copy the table.
        let cellIDs = tables.map(\.ids), cells = tables.map(\.values)
        // ID numbers are parsed for the deferred records only: each person's own record takes
        // its canonical number.
        var idWanted = tables.map { table in [Bool](repeating: false, count: table.roleIndex("id").map { table.values[$0].count } ?? 0) }
        for r in records {
            let t = Int(r.table)
            guard let slot = tables[t].roleIndex("id") else { continue }
            idWanted[t][Int(cellIDs[t][slot][Int(r.row)])] = true
        }
        let values = tables.indices.map { ParsedColumns(tables[$0], today: today, idWanted: idWanted[$0]) }
        let slots = values.map { [$0.name, $0.id, $0.birth, $0.sex, $0.phone] }
        let idValues = values.map(\.ids), births = values.map(\.births), sexes = values.map(\.sexes), phones = values.map(\.phones)
        // The names the records use, normalized in parallel once per distinct value.
        var usesName = tables.indices.map { [Bool](repeating: false, count: base.names[$0].count) }
        func markName(_ t: Int, _ row: Int) {
            let s = slots[t][0]
            guard s >= 0 else { return }
            let v = Int(cellIDs[t][s][row])
            if !cells[t][s][v].isEmpty { usesName[t][v] = true }
        }
        for r in personRows { markName(Int(r.table), Int(r.row)) }
        for r in records { markName(Int(r.table), Int(r.row)) }
        let pinyin = normalizer.pinyin
        let normalizedNames = tables.indices.map { t in
            let uses = usesName[t], names = base.names[t]
            return Array(0..<uses.count).parallelMap(minimumChunk: 4096) { v -> NormalizedName? in
                uses[v] ? NormalizedName(names[v], pinyin: pinyin) : nil
            }
        }
        var nameIDs: [[UInt32]] = usesName.map { [UInt32](repeating: RecordTable.missingID, count: $0.count) }
        for t in tables.indices {
            for (v, name) in normalizedNames[t].enumerated() {
                if let name { nameIDs[t][v] = table.addName(cells[t][slots[t][0]][v], name) }
            }
        }
        func append(_ t: Int, _ row: Int, source: UInt16, number: Int, id: (UInt64, Int32, UInt8)?) {
            let slot = slots[t]
            @inline(__always) func value(_ s: Int) -> Int { Int(cellIDs[t][slot[s]][row]) }
            let name = slot[0] >= 0 ? nameIDs[t][value(0)] : RecordTable.missingID
            let id = id ?? (slot[1] >= 0 ? idValues[t][value(1)] : (0, RecordTable.missingDate, 0))
            let birth = slot[2] >= 0 ? births[t][value(2)] : RecordTable.missingDate
            let sex = slot[3] >= 0 ? sexes[t][value(3)] : 0
            let phone = slot[4] >= 0 ? phones[t][value(4)] : 0
            table.appendInterned(source: source, row: UInt32(number), name: name, id: id.0, idBirth: id.1, idSex: id.2,
                                 birth: birth, sex: sex, phone: phone, address: RecordTable.missingID,
                                 otherID: RecordTable.missingID, area: RecordTable.missingID)
        }
        let personIDs = personRows.parallelMap(minimumChunk: 4096) { r in
            RecordLoader.residentID(base.idNumber[Int(r.person)] ?? "", today: today)
        }
        table.reserve(personRows.count + records.count)
        var personOfRow: [Int32] = []
        personOfRow.reserveCapacity(personRows.count)
        for (r, id) in zip(personRows, personIDs) {
            append(Int(r.table), Int(r.row), source: personSide, number: Int(r.person) + 1, id: id)
            personOfRow.append(r.person)
        }
        let personCount = table.count
        for record in records {
            append(Int(record.table), Int(record.row), source: listSide, number: Int(record.row) + 1, id: nil)
        }
        let pipeline = LinkPipeline(settings: LinkSettings(threshold: threshold), names: normalizer, progress: progress)
        let roles: Set<FieldRole> = [.name, .id, .birth, .sex, .phone]
        guard let result = try? pipeline.run(RecordLoader.Loaded(table: table, roles: roles), mode: .link) else {
            return fallback.match(records, tables: tables, base: base)
        }
        trained.set(result.model)
        // The best person for each deferred record among the accepted pairs.
        var best = [(person: Int32, weight: Double)?](repeating: nil, count: records.count)
        for (i, k) in result.accepted.enumerated() {
            let a = result.candidates.first(k), b = result.candidates.second(k)
            let (person, record) = a < personCount ? (a, b - personCount) : (b, a - personCount)
            guard person < personCount, record >= 0, record < records.count else { continue }
            let w = result.acceptedWeight[i]
            if best[record].map({ w > $0.weight }) ?? true { best[record] = (personOfRow[person], w) }
        }
        var links = [DeferredLink?](repeating: nil, count: records.count)
        var rest: [DeferredRecord] = [], restIndex: [Int] = []
        for (i, b) in best.enumerated() {
            if let b {
                links[i] = .person(b.person, probability: Float(result.model.probability(weight: b.weight)))
            } else {
                rest.append(records[i])
                restIndex.append(i)
            }
        }
        for (i, link) in zip(restIndex, fallback.match(rest, tables: tables, base: base)) { links[i] = link }
        return NameBirthMatcher.renumberGroups(links.map { $0! })
    }
}


/// The columns of one source the engine reads, parsed once per distinct value into the
/// engine's column encodings (packed digits, day numbers, sex codes).
private struct ParsedColumns {
    var name = -1, id = -1, birth = -1, sex = -1, phone = -1
    var ids: [(UInt64, Int32, UInt8)] = []
    var births: [Int32] = []
    var sexes: [UInt8] = []
    var phones: [UInt64] = []

    init(_ table: SourceTable, today: CivilDate, idWanted: [Bool]) {
        func slot(_ role: String) -> Int { table.roleIndex(role) ?? -1 }
        name = slot("name"); id = slot("id"); birth = slot("birth"); sex = slot("sex"); phone = slot("phone")
        if id >= 0 {
            let values = table.values[id]
            ids = Array(values.indices).parallelMap { v in
                idWanted[v] ? RecordLoader.residentID(values[v], today: today) : (0, RecordTable.missingDate, 0)
            }
        }
        if birth >= 0 { births = table.values[birth].parallelMap { RecordTable.birthValue(DateParser.parse($0)) } }
        if sex >= 0 { sexes = table.values[sex].parallelMap { Sex(parsing: $0)?.rawValue ?? 0 } }
        if phone >= 0 {
            phones = table.values[phone].parallelMap { text in
                let p = PhoneNumber.parse(text)
                guard p.isValid, p.kind == .mobile, let digits = p.normalized else { return 0 }
                return PackedDigits.packPhone(digits) ?? 0
            }
        }
    }
}

/// The model an ``EngineMatcher`` trained, shared between the matcher's copies.
final class TrainedModel: Sendable {
    private let cell = Mutex<FellegiSunterModel?>(nil)
    func set(_ model: FellegiSunterModel) { cell.withLock { $0 = model } }
    var model: FellegiSunterModel? { cell.withLock { $0 } }
}
