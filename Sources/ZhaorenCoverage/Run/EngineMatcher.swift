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

    func match(_ records: [DeferredRecord], tables: [SourceTable], base: PersonBase) -> [DeferredLink] {
        guard !records.isEmpty else { return [] }
        let today = CivilDate.todayInChina()
        var table = RecordTable()
        let personSide = table.addSource("persons"), listSide = table.addSource("records")
        // Each distinct name and each distinct value of the other columns is handled once, not
        // once per record; records are appended from interned values.
        var nameIDs: [[UInt32?]] = tables.indices.map { base.names[$0].map { _ in nil } }
        func nameID(_ t: Int, _ valueID: Int) -> UInt32 {
            if let id = nameIDs[t][valueID] { return id }
            let id = table.addName(tables[t].values[tables[t].roleIndex("name")!][valueID],
                                   NormalizedName(base.names[t][valueID], pinyin: normalizer.pinyin))
            nameIDs[t][valueID] = id
            return id
        }
        let values = tables.map { ParsedColumns($0, today: today) }
        func append(_ t: Int, _ row: Int, source: UInt16, number: Int, canonicalID: String?) {
            let columns = tables[t], parsed = values[t]
            var name = RecordTable.missingID
            if parsed.name >= 0 {
                let v = Int(columns.ids[parsed.name][row])
                if !columns.values[parsed.name][v].isEmpty { name = nameID(t, v) }
            }
            let id = canonicalID.map { RecordLoader.residentID($0, today: today) }
                ?? (parsed.id >= 0 ? parsed.ids[Int(columns.ids[parsed.id][row])] : (0, RecordTable.missingDate, 0))
            let birth = parsed.birth >= 0 ? parsed.births[Int(columns.ids[parsed.birth][row])] : RecordTable.missingDate
            let sex = parsed.sex >= 0 ? parsed.sexes[Int(columns.ids[parsed.sex][row])] : 0
            let phone = parsed.phone >= 0 ? parsed.phones[Int(columns.ids[parsed.phone][row])] : 0
            table.appendInterned(source: source, row: UInt32(number), name: name, id: id.0, idBirth: id.1, idSex: id.2,
                                 birth: birth, sex: sex, phone: phone, address: RecordTable.missingID,
                                 otherID: RecordTable.missingID, area: RecordTable.missingID)
        }
        // One record per resolved person: its first valid-ID record (population sources come first).
        var seen = [Bool](repeating: false, count: base.count)
        var personOfRow: [Int32] = []
        for (t, source) in tables.enumerated() {
            for row in 0..<source.count {
                let p = Int(base.person[t][row])
                guard p >= 0, base.confidence[t][row] == 1, !seen[p] else { continue }
                seen[p] = true
                append(t, row, source: personSide, number: p + 1, canonicalID: base.idNumber[p])
                personOfRow.append(Int32(p))
            }
        }
        let personCount = table.count
        for record in records {
            append(Int(record.table), Int(record.row), source: listSide, number: Int(record.row) + 1, canonicalID: nil)
        }
        let pipeline = LinkPipeline(settings: LinkSettings(threshold: threshold), names: normalizer, progress: progress)
        let roles: Set<FieldRole> = [.name, .id, .birth, .sex, .phone]
        guard let result = try? pipeline.run(RecordLoader.Loaded(table: table, roles: roles), mode: .link) else {
            return fallback.match(records, tables: tables, base: base)
        }
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

    init(_ table: SourceTable, today: CivilDate) {
        func slot(_ role: String) -> Int { table.roleIndex(role) ?? -1 }
        name = slot("name"); id = slot("id"); birth = slot("birth"); sex = slot("sex"); phone = slot("phone")
        if id >= 0 { ids = table.values[id].parallelMap { RecordLoader.residentID($0, today: today) } }
        if birth >= 0 { births = table.values[birth].map { DateParser.parse($0).date?.dayNumber ?? RecordTable.missingDate } }
        if sex >= 0 { sexes = table.values[sex].map { Sex(parsing: $0)?.rawValue ?? 0 } }
        if phone >= 0 {
            phones = table.values[phone].parallelMap { text in
                let p = PhoneNumber.parse(text)
                guard p.isValid, p.kind == .mobile, let digits = p.normalized else { return 0 }
                return PackedDigits.packPhone(digits) ?? 0
            }
        }
    }
}
