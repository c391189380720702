import Zhaoren

/// A deterministic matcher for records without a usable ID number: a record is the person
/// with the same name and birth date when exactly one such person exists (probability 0.95),
/// else the only one with the same pinyin, birth date and sex (0.9); otherwise it is grouped
/// with other unlinked records of the same name and birth date, as an unresolved person.
///
/// The birth date is the record's own `birth` field, or the date inside its broken ID number
/// when that date is real.
struct NameBirthMatcher: DeferredRecordMatcher {
    struct Key: Hashable {
        var name: UInt64   // FNV-1a of the folded name
        var birth: Int32
    }

    struct PinyinKey: Hashable {
        var pinyin: UInt64
        var birth: Int32
        var sex: UInt8
    }

    func match(_ records: [DeferredRecord], tables: [SourceTable], base: PersonBase) -> [DeferredLink] {
        // Index the resolved persons by the name and birth date of their valid-ID records.
        var exact: [Key: Int32] = [:]
        var ambiguous = Set<Key>()
        var byPinyin: [PinyinKey: Int32] = [:]
        var ambiguousPinyin = Set<PinyinKey>()
        let nameHashes = base.names.map { $0.map { NameHash.fnv1a($0.folded) } }
        guard !records.isEmpty else { return [] }
        var parsedBirths: [[Int32?]] = tables.map { table in
            table.roleIndex("birth").map { table.values[$0].map { DateParser.parse($0).date?.dayNumber } } ?? []
        }
        // The keys the records can look up: only persons under one of them are indexed (the
        // records left for this matcher are usually few, the persons many).
        var wanted = Set<Key>(), wantedPinyin = Set<PinyinKey>()
        for record in records {
            let t = Int(record.table), row = Int(record.row)
            guard let (key, pk) = Self.keys(of: row, in: tables[t], t, base: base, nameHashes: nameHashes, births: parsedBirths[t]) else { continue }
            wanted.insert(key)
            if let pk { wantedPinyin.insert(pk) }
        }
        for (t, table) in tables.enumerated() {
            guard let names = table.column("name"), let ids = table.column("id") else { continue }
            for row in 0..<table.count {
                let p = base.person[t][row]
                guard p >= 0, base.confidence[t][row] == 1 else { continue }
                let id = base.ids[t][Int(ids[row])]
                guard let birth = id.birthDay else { continue }
                let name = base.names[t][Int(names[row])]
                guard !name.folded.isEmpty else { continue }
                let key = Key(name: nameHashes[t][Int(names[row])], birth: birth)
                if wanted.contains(key) {
                    if let other = exact[key], other != p { ambiguous.insert(key) } else { exact[key] = p }
                }
                let pk = PinyinKey(pinyin: name.pinyinKey, birth: birth, sex: id.sex)
                if wantedPinyin.contains(pk) {
                    if let other = byPinyin[pk], other != p { ambiguousPinyin.insert(pk) } else { byPinyin[pk] = p }
                }
            }
        }
        var groups: [Key: Int] = [:]
        var links: [DeferredLink] = []
        links.reserveCapacity(records.count)
        for record in records {
            let t = Int(record.table), row = Int(record.row)
            guard let (key, pk) = Self.keys(of: row, in: tables[t], t, base: base, nameHashes: nameHashes, births: parsedBirths[t]) else {
                links.append(.group(groups.count + links.count))   // no name or birth date: a group of its own
                continue
            }
            if !ambiguous.contains(key), let p = exact[key] {
                links.append(.person(p, probability: 0.95))
                continue
            }
            if let pk, !ambiguousPinyin.contains(pk), let p = byPinyin[pk] {
                links.append(.person(p, probability: 0.9))
                continue
            }
            // Unlinked: group with other unlinked records of the same name and birth date.
            if let g = groups[key] {
                links.append(.group(g))
            } else {
                let g = groups.count + links.count
                groups[key] = g
                links.append(.group(g))
            }
        }
        parsedBirths.removeAll()
        return Self.renumberGroups(links)
    }

    /// The name-and-birth key of a record, and its pinyin key when its sex is known; `nil`
    /// when it has no name or no birth date (its own field, else its ID's).
    static func keys(of row: Int, in table: SourceTable, _ t: Int, base: PersonBase, nameHashes: [[UInt64]],
                     births: [Int32?]) -> (Key, PinyinKey?)? {
        let nameID = table.column("name").map { Int($0[row]) }
        let name = nameID.map { base.names[t][$0] }
        let id = table.column("id").map { base.ids[t][Int($0[row])] }
        var birth: Int32? = nil
        if let b = table.column("birth"), !births.isEmpty { birth = births[Int(b[row])] }
        if birth == nil { birth = id?.birthDay }
        let sexValue = table.roleIndex("sex").map { Sex(parsing: table.values[$0][Int(table.ids[$0][row])])?.rawValue ?? 0 } ?? (id?.sex ?? 0)
        guard let birth, let nameID, let name, !name.folded.isEmpty else { return nil }
        let key = Key(name: nameHashes[t][nameID], birth: birth)
        return (key, sexValue == 0 ? nil : PinyinKey(pinyin: name.pinyinKey, birth: birth, sex: sexValue))
    }

    /// Renumbers group ids densely (0, 1, 2 …) in order of first appearance.
    static func renumberGroups(_ links: [DeferredLink]) -> [DeferredLink] {
        var map: [Int: Int] = [:]
        return links.map { link in
            guard case .group(let g) = link else { return link }
            if let n = map[g] { return .group(n) }
            let n = map.count
            map[g] = n
            return .group(n)
        }
    }
}
