import Foundation
import GRDB
import Zhaoren
import ZhaorenCoverage
import ZhaorenSupport

/// Incremental updates: this month's files compared with the rows the base holds, and only
/// what changed linked, labelled and written.
///
/// A base keeps every person-list row it was built from (its values in the source's role order
/// and a hash of them), each person's blocking keys, the model that linked records without a
/// usable ID number, and the places the run learned. An update:
///
/// 1. reads the files named in the settings (person lists; an enterprise list is left as it
///    is) and compares them with the stored rows by content: a `replace` source's rows no
///    longer in its file leave the base, rows new in it are added; an `append` source's rows
///    are all added (but rows the base already holds for it);
/// 2. links each added row: a valid ID number to the person with that number (or a new one);
///    a row without one to the best of the persons its blocking keys find, scored with the
///    stored model, when at least the settings' `matchThreshold` (else to a new person,
///    grouped by name and birth date with the other unlinked rows);
/// 3. relabels the persons whose rows changed from all their stored rows, with the stored
///    places, and writes only those whose values, labels or rows changed.
///
/// Sources of the base that the settings do not name stay as they are. The label and action
/// rules must be the base's own: changed rules (or a better model) need ``retrain(from:settings:)``.
extension PopulationBase {
    /// The separator of a stored row's values (no value holds it).
    static let fieldSeparator = "\u{1F}"

    /// A row's values joined in role order, as stored.
    static func rowText(_ table: SourceTable, _ row: Int) -> String {
        table.fields(row: row).joined(separator: fieldSeparator)
    }

    /// A stored row's values (split on the separator byte, not on characters: no grapheme
    /// breaking of the Chinese text).
    static func fields(of text: String?) -> [String] {
        guard let text else { return [] }
        return text.utf8.split(separator: 0x1F, omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
    }

    /// The content hash of every row of `table` (stored with each row; equal for rows with equal
    /// values in the same roles): each distinct value is hashed once, rows combine their values'.
    static func rowHashes(_ table: SourceTable) -> [Int64] {
        let valueHashes = table.values.map { $0.map { StableHash.of($0) } }
        let ids = table.ids
        return Array(0..<table.count).parallelMap(minimumChunk: 16_384) { row in
            var h: UInt64 = 0x5A48_414F_5245_4E31   // "ZHAOREN1"
            for r in ids.indices { h = StableHash.combine(h, valueHashes[r][Int(ids[r][row])]) }
            return Int64(bitPattern: h)
        }
    }

    static func json<T: Encodable>(_ value: T) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? "null"
    }

    /// Whether the base holds its rows, keys and model (built by a version with incremental updates).
    public func isIncremental() throws(ZhaorenError) -> Bool {
        try read { db in try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'rows'") == "1" }
    }

    /// Stores a run's rows (values, person, confidence), the sources' roles and rows' hashes,
    /// every person's blocking keys, the learned places and the linking model. `ids[k]` is the
    /// id of `result.persons[k]`. Returns the rows stored.
    static func storeRows(_ result: CoverageResult, ids: [String], _ db: Database) throws -> Int {
        guard let rows = result.rows else { return 0 }
        let source = try db.makeStatement(sql: "INSERT OR REPLACE INTO source (name, roles, settings, hashes) VALUES (?, ?, ?, ?)")
        let record = try db.makeStatement(sql: "INSERT OR IGNORE INTO record (source, row, person, fields, confidence) VALUES (?, ?, ?, ?, ?)")
        var stored = 0
        for (t, table) in rows.tables.enumerated() {
            let texts = Array(0..<table.count).parallelMap(minimumChunk: 8192) { row in rowText(table, row) }
            let hashes = rowHashes(table)
            let persons = rows.person[t], confidence = rows.confidence[t]
            var entries: [SourceHashes.Entry] = []
            for row in 0..<table.count where persons[row] >= 0 {
                try record.execute(arguments: [table.source.name, Int(table.rows[row]), ids[Int(persons[row])], texts[row], Double(confidence[row])])
                stored += db.changesCount
                entries.append(.init(hash: hashes[row], row: Int64(table.rows[row])))
            }
            try source.execute(arguments: [table.source.name, json(table.roles), json(table.source), SourceHashes.encode(entries)])
        }
        let normalizer: NameNormalizer
        do { normalizer = try NameNormalizer() } catch { throw ZhaorenError(.icu, "cannot open the name normalizer: \(error)") }
        let keys = personKeys(result.persons, normalizer: normalizer)
        let key = try db.makeStatement(sql: "INSERT OR IGNORE INTO block_key (key, person) VALUES (?, ?)")
        for (k, list) in keys.enumerated() { for x in list { try key.execute(arguments: [x, ids[k]]) } }
        let meta = try db.makeStatement(sql: "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)")
        try meta.execute(arguments: ["rows", "1"])
        try meta.execute(arguments: ["area_seed", json(result.areaSeed)])
        if let model = result.linkModel { try meta.execute(arguments: ["link_model", json(model)]) } else {
            try db.execute(sql: "DELETE FROM meta WHERE key = 'link_model'")
        }
        return stored
    }

    /// The blocking keys of each person (see ``BaseKeys``), computed in parallel.
    static func personKeys(_ persons: [CoveragePerson], normalizer: NameNormalizer) -> [[Int64]] {
        keys(persons.map { ($0.name, $0.idNumber, $0.phone, $0.birthDate) }, normalizer: normalizer)
    }

    /// The blocking keys of persons given by folded name, canonical ID number, normalized
    /// phone and birth date (as the base stores them).
    static func keys(_ persons: [(name: String, id: String?, phone: String?, birth: CivilDate?)], normalizer: NameNormalizer) -> [[Int64]] {
        let today = CivilDate.todayInChina()
        let distinct = Array(Set(persons.lazy.map(\.name).filter { !$0.isEmpty }))
        let parsed = normalizer.normalize(distinct)
        let pinyin = normalizer.pinyin
        let normalized = Array(zip(distinct, parsed)).parallelMap(minimumChunk: 4096) { NormalizedName($0.1, pinyin: pinyin) }
        var byName: [String: NormalizedName] = [:]
        byName.reserveCapacity(distinct.count)
        for (name, n) in zip(distinct, normalized) { byName[name] = n }
        let names = byName
        return persons.parallelMap(minimumChunk: 4096) { p in
            let (packed, idBirth, _) = p.id.map { RecordLoader.residentID($0, today: today) } ?? (0, RecordTable.missingDate, 0)
            let phone = p.phone.flatMap { PackedDigits.packPhone($0) } ?? 0
            let day = p.birth?.dayNumber ?? idBirth
            return BaseKeys.person(id: packed, phone: phone, name: names[p.name], day: day)
        }
    }

    /// What an incremental update saw, per source: rows in its file, kept, added and removed.
    public struct SourceChange: Sendable, Equatable {
        public var source: String
        public var mode: CoverageUpdateMode
        public var rows: Int, kept: Int, added: Int, removed: Int
    }

    /// Applies this month's files named by `run`'s settings to the base, linking only the rows
    /// that changed (see the extension's overview), in one transaction: killed at any moment,
    /// the base is the old one or the new one. Unreadable rows go to `rejects`.
    /// - Throws: `ZhaorenError(.settings)` when the base holds no rows (built by an earlier
    ///   version) or the rules differ from the base's; `ZhaorenError(.io)` when it cannot be written.
    @discardableResult
    public func update(run: CoverageRun, settings text: String? = nil, rejects: URL? = nil, user: String? = nil,
                       progress: (@Sendable (String) -> Void)? = nil) throws(ZhaorenError) -> UpdateSummary {
        guard try isIncremental() else {
            throw ZhaorenError(.settings, "this base holds no rows to compare with (built by an earlier version): rebuild it with zhaoren base build, or re-run the month with zhaoren base retrain", file: url.path)
        }
        guard run.labelNames == labelNames, run.actions == actions else {
            throw ZhaorenError(.settings, "the settings' label or action rules differ from the base's: apply them with zhaoren base retrain (a full run that keeps person ids)", file: url.path)
        }
        var watch = Stopwatch()
        let sources = run.settings.sources.filter { $0.kind.isPersonList }
        let writer = try rejects.map { url throws(ZhaorenError) in try RejectWriter(url) }
        let tables = try SourceTable.read(sources, rejects: writer)
        try writer?.commit()
        progress?(String(format: "read: %.2f s", watch.lap()))
        let hashes = tables.map(Self.rowHashes)
        progress?(String(format: "hash: %.2f s", watch.lap()))
        let normalizer: NameNormalizer
        do { normalizer = try NameNormalizer() } catch { throw ZhaorenError(.icu, "cannot open the name normalizer: \(error)") }
        let threshold = run.settings.matchThreshold ?? 0.9
        let asOf = run.asOf
        do {
            let summary = try database.write { db in
                try self.applyChanges(run: run, tables: tables, hashes: hashes, settings: text, user: user, threshold: threshold,
                                      asOf: asOf, normalizer: normalizer, progress: progress, db)
            }
            progress?(String(format: "commit: %.2f s", watch.lap()))
            return summary
        } catch let error as ZhaorenError {
            throw error
        } catch {
            throw ZhaorenError(.io, "cannot update the base: \(Self.reason(error))", file: url.path)
        }
    }

    /// Applies the month's settings file at `url` (as `zhaoren base update --settings` does),
    /// its rows' reference date the settings' `asOf` or today; rejected rows go beside the base.
    @discardableResult
    public func update(settingsFile url: URL, user: String? = nil,
                       progress: (@Sendable (String) -> Void)? = nil) throws(ZhaorenError) -> UpdateSummary {
        let run = try CoverageRun(settings: try CoverageSettings.load(url))
        let text = try? String(contentsOf: url, encoding: .utf8)
        let rejects = self.url.deletingPathExtension().appendingPathExtension("rejects.csv")
        return try update(run: run, settings: text, rejects: rejects, user: user, progress: progress)
    }

    // swiftlint:disable:next function_body_length
    private func applyChanges(run: CoverageRun, tables: [SourceTable], hashes: [[Int64]], settings: String?, user: String?, threshold: Double,
                              asOf: CivilDate, normalizer: NameNormalizer, progress: (@Sendable (String) -> Void)?,
                              _ db: Database) throws -> UpdateSummary {
        typealias Me = PopulationBase
        var watch = Stopwatch()
        let today = CivilDate.todayInChina()
        // The transaction touches pages all over the file (rows, persons, keys and their
        // indexes). A 64 MiB cache: one that holds every touched page (1 GiB on a city of a
        // million) spared no time (measured: 25.9 and 24.9 s against 26.0 and 25.7 s on the
        // 1.2 M city's month) and cost a gigabyte more resident memory.
        try db.execute(sql: "PRAGMA cache_size = -65536")
        defer { try? db.execute(sql: "PRAGMA cache_size = -2000") }
        // 1. Compare each file with the stored rows by content: both sides sorted by hash and
        // merged (equal rows pair off, lowest row numbers first).
        var affected = Set<String>()                         // stored persons whose rows changed
        var added: [(t: Int, row: Int, number: Int)] = []   // table, row index, row number to store
        var removed: [(source: String, row: Int)] = []
        var renumbered: [(source: String, from: Int, to: Int)] = []
        var changes: [SourceChange] = []
        var newHashes: [[SourceHashes.Entry]] = []
        var rewriteSource: [Bool] = []
        let personOfRow = try db.makeStatement(sql: "SELECT person FROM record WHERE source = ? AND row = ?")
        for (t, table) in tables.enumerated() {
            let name = table.source.name
            let mode = table.source.update ?? .replace
            let renumberedBefore = renumbered.count
            var change = SourceChange(source: name, mode: mode, rows: table.count, kept: 0, added: 0, removed: 0)
            let row = try Row.fetchOne(db, sql: "SELECT roles, settings, hashes FROM source WHERE name = ?", arguments: [name])
            let storedRoles = row?[0] as String?, storedSettings = row?[1] as String?, roles = Me.json(table.roles)
            let sameRoles = storedRoles == nil || storedRoles == roles
            let stored = SourceHashes.decode(row?[2] as Data?)
            let maxRow = Int(stored.lazy.map(\.row).max() ?? 0)
            // (hash, row index) pairs sorted as one flat array.
            var incoming = hashes[t].enumerated().map { SourceHashes.Entry(hash: $0.element, row: Int64($0.offset)) }
            incoming.sort { $0.hash != $1.hash ? $0.hash < $1.hash : $0.row < $1.row }
            var now: [SourceHashes.Entry] = mode == .append ? stored : []   // the source's rows after the update
            now.reserveCapacity(now.count + incoming.count)
            var i = 0
            for entry in incoming {
                let row = Int(entry.row), hash = entry.hash
                let number = mode == .append ? maxRow + Int(table.rows[row]) : Int(table.rows[row])
                while i < stored.count && stored[i].hash < hash {
                    if mode == .replace { removed.append((name, Int(stored[i].row))) }
                    i += 1
                }
                if sameRoles, i < stored.count, stored[i].hash == hash {
                    change.kept += 1
                    if mode == .replace {
                        if stored[i].row != number { renumbered.append((name, Int(stored[i].row), number)) }
                        now.append(.init(hash: hash, row: Int64(number)))
                    }
                    i += 1
                } else {
                    added.append((t, row, number))
                    now.append(.init(hash: hash, row: Int64(number)))
                    change.added += 1
                }
            }
            if mode == .replace { while i < stored.count { removed.append((name, Int(stored[i].row))); i += 1 } }
            newHashes.append(now)
            change.removed = removed.count - changes.reduce(0) { $0 + $1.removed }
            // A source whose rows, numbers, roles and settings are all the same is not rewritten.
            rewriteSource.append(change.added > 0 || change.removed > 0 || renumbered.count != renumberedBefore
                                 || storedRoles != roles || storedSettings != Me.json(table.source))
            changes.append(change)
        }
        var removedPerson: [String: String] = [:]   // "row|source" → its person
        for r in removed {
            guard let p = try String.fetchOne(personOfRow, arguments: [r.source, r.row]) else { continue }
            affected.insert(p)
            removedPerson["\(r.row)|\(r.source)"] = p
        }
        added.sort { ($0.t, $0.row) < ($1.t, $1.row) }
        progress?(String(format: "compare: %.2f s (%@)", watch.lap(),
                         changes.map { "\($0.source) +\($0.added) -\($0.removed)" }.joined(separator: ", ")))

        // 2. Link each added row: by valid ID number, else by the stored keys and model.
        var personOf = [String?](repeating: nil, count: added.count)
        var confidence = [Float](repeating: 0, count: added.count)
        var newByID: [String: Int] = [:]                 // canonical ID → first added row making that person
        var deferred: [Int] = []
        let byKey = try db.makeStatement(sql: "SELECT id FROM person WHERE person_key = ? AND active = 1")
        let parsed = added.map { a -> ResidentID in
            let table = tables[a.t]
            return ResidentID.parse(table.value("id", row: a.row), asOf: asOf)
        }
        for (k, id) in parsed.enumerated() {
            if let canonical = id.settledNumber {
                confidence[k] = 1
                if let known = try String.fetchOne(byKey, arguments: [canonical]) {
                    personOf[k] = known
                } else if newByID[canonical] == nil {
                    newByID[canonical] = k
                }
            } else {
                deferred.append(k)
            }
        }
        var newPersonOfRow = [Int](repeating: -1, count: added.count)   // index into `fresh`
        var fresh: [String] = []                                          // new person ids
        var taken = Set<String>()
        var random = SystemRandomNumberGenerator()
        let exists = try db.makeStatement(sql: "SELECT 1 FROM person WHERE id = ?")
        func freshID() throws -> String {
            var id: String
            repeat { id = String(format: "%016llx", random.next() as UInt64) }
                while try !taken.insert(id).inserted || Int.fetchOne(exists, arguments: [id]) != nil
            return id
        }
        for (k, id) in parsed.enumerated() where personOf[k] == nil && confidence[k] == 1 {
            let first = newByID[id.settledNumber!]!
            if first == k { newPersonOfRow[k] = fresh.count; fresh.append(try freshID()) } else { newPersonOfRow[k] = newPersonOfRow[first] }
        }
        if !deferred.isEmpty {
            let model = try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'link_model'")
                .flatMap { try? JSONDecoder().decode(FellegiSunterModel.self, from: Data($0.utf8)) }
            func query(_ k: Int) -> BaseMatcher.Query {
                let a = added[k], table = tables[a.t]
                func v(_ role: String) -> String? { let s = table.value(role, row: a.row); return s.isEmpty ? nil : s }
                return BaseMatcher.Query(name: v("name"), id: v("id"), birth: v("birth"), sex: v("sex"), phone: v("phone"))
            }
            // Candidates: every person a deferred row's keys find.
            let keyStatement = try db.makeStatement(sql: "SELECT person FROM block_key WHERE key = ? LIMIT 200")
            var candidates = Set<String>()
            for k in deferred {
                let q = query(k)
                let (packed, idBirth, _) = q.id.map { RecordLoader.residentID($0, today: today) } ?? (0, RecordTable.missingDate, 0)
                let phone = q.phone.flatMap { PhoneNumber.parse($0).normalized }.flatMap { PackedDigits.packPhone($0) } ?? 0
                let name = q.name.map { NormalizedName(normalizer.normalize($0), pinyin: normalizer.pinyin) }
                let day = q.birth.flatMap { DateParser.parse($0).date }?.dayNumber ?? idBirth
                for key in BaseKeys.query(id: packed, phone: phone, name: name, day: day) {
                    for p in try String.fetchAll(keyStatement, arguments: [key]) { candidates.insert(p) }
                }
            }
            // Each candidate as the base holds them, and each of their rows as last month's
            // files had them (a row changed in place is compared with its old self).
            var persons: [BasePerson] = []
            let fetch = try db.makeStatement(sql: "SELECT \(Me.personColumns) FROM person p WHERE p.id = ? AND p.active = 1")
            let recordsOf = try db.makeStatement(sql: "SELECT source, fields FROM record WHERE person = ?")
            var storedRoles: [String: [String]] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT name, roles FROM source") {
                storedRoles[row[0]] = (try? JSONDecoder().decode([String].self, from: Data((row[1] as String).utf8))) ?? []
            }
            for id in candidates.sorted() {
                guard let row = try Row.fetchOne(fetch, arguments: [id]) else { continue }
                let person = decode(row)
                persons.append(person)
                for r in try Row.fetchAll(recordsOf, arguments: [id]) {
                    guard let roles = storedRoles[r[0]] else { continue }
                    let fields = Me.fields(of: r[1] as String?)
                    func v(_ role: String) -> String? {
                        guard let i = roles.firstIndex(of: role), i < fields.count, !fields[i].isEmpty else { return nil }
                        return fields[i]
                    }
                    var version = person
                    version.name = v("name") ?? ""
                    version.sex = v("sex")
                    version.birthDate = v("birth")
                    version.idNumber = v("id")
                    version.phone = v("phone").flatMap { PhoneNumber.parse($0).normalized }
                    persons.append(version)
                }
            }
            let matcher = BaseMatcher(persons: persons, names: normalizer, model: model)
            var unlinked: [String: Int] = [:]   // folded name | birth → index into `fresh`
            for k in deferred {
                let q = query(k)
                if let best = matcher.match(q, limit: 1, floor: threshold).first {
                    personOf[k] = best.person.person
                    confidence[k] = Float(best.probability)
                    continue
                }
                let folded = q.name.map { normalizer.normalize($0).folded } ?? ""
                let birth = q.birth.flatMap { DateParser.parse($0).date }?.description ?? ""
                let group = folded.isEmpty ? "row:\(k)" : folded + "|" + birth
                if let known = unlinked[group] { newPersonOfRow[k] = known } else {
                    unlinked[group] = fresh.count
                    newPersonOfRow[k] = fresh.count
                    fresh.append(try freshID())
                }
            }
        }
        for k in added.indices {
            if let p = personOf[k] { affected.insert(p) } else { personOf[k] = fresh[newPersonOfRow[k]] }
        }
        progress?(String(format: "link: %.2f s (%d rows added, %d without a usable ID number, %d new persons)",
                         watch.lap(), added.count, deferred.count, fresh.count))
        // The date moved: persons whose age changed are relabelled too (everyone, when a rule
        // reads the month itself).
        let storedAsOf = try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'as_of'").flatMap { DateParser.parse($0).date }
        var aged = 0
        if let storedAsOf, storedAsOf != asOf {
            let everyone = run.readsMonth
            let boundaries = run.ageBoundaries
            // The birth dates that can cross a bound, narrowed in SQL (a day's slack each side;
            // the exact test follows): only those persons are read.
            var sql = "SELECT id, birth FROM person WHERE active = 1"
            var arguments: [String] = []
            if !everyone, let boundaries, !boundaries.isEmpty, storedAsOf < asOf {
                sql += " AND (" + boundaries.map { "birth BETWEEN date(?, '-\($0) years', '-1 day') AND date(?, '-\($0) years', '+1 day')" }
                    .joined(separator: " OR ") + ")"
                for _ in boundaries { arguments += [storedAsOf.description, asOf.description] }
            }
            let cursor = try Row.fetchCursor(db, sql: sql, arguments: StatementArguments(arguments))
            while let r = try cursor.next() {
                let id: String = r[0]
                if !everyone {
                    guard let text = r[1] as String?, let birth = DateParser.parse(text).date else { continue }
                    let before = birth.years(to: storedAsOf), now = birth.years(to: asOf)
                    guard before != now else { continue }
                    // Only ages a rule tells apart (any age, when a rule reads it otherwise).
                    if let boundaries, !boundaries.contains(where: { min(before, now) < $0 && $0 <= max(before, now) }) { continue }
                }
                if affected.insert(id).inserted { aged += 1 }
            }
        }
        if aged > 0 { progress?(String(format: "date: %.2f s (%d persons whose age crossed a rule's bound since %@)", watch.lap(), aged, storedAsOf!.description)) }

        // 3. The rows in the base: removed, renumbered, added (new persons first, as placeholders).
        let placeholder = try db.makeStatement(sql: """
            INSERT INTO person (id, person_key, name, county, township, village, grid, hukou_county, hukou_township, hukou_village,
                                link_confidence, active) VALUES (?, 'new:' || ?, '', '', '', '', '', '', '', '', 0, 1)
            """)
        for id in fresh { try placeholder.execute(arguments: [id, id]) }
        // A row changed in place (the same row number) is updated, not deleted and inserted.
        var inPlace = Set<String>()
        for a in added where tables[a.t].source.update ?? .replace == .replace { inPlace.insert("\(a.number)|\(tables[a.t].source.name)") }
        var replaced = Set<String>()
        let delete = try db.makeStatement(sql: "DELETE FROM record WHERE source = ? AND row = ?")
        // Rows in (source, row) order, the order of the record table: each page visited once.
        for r in removed.sorted(by: { ($0.source, $0.row) < ($1.source, $1.row) }) {
            let key = "\(r.row)|\(r.source)"
            if inPlace.contains(key) { replaced.insert(key) } else { try delete.execute(arguments: [r.source, r.row]) }
        }
        let move = try db.makeStatement(sql: "UPDATE record SET row = ? WHERE source = ? AND row = ?")
        for r in renumbered { try move.execute(arguments: [-r.to, r.source, r.from]) }
        if !renumbered.isEmpty { try db.execute(sql: "UPDATE record SET row = -row WHERE row < 0") }
        let insert = try db.makeStatement(sql: "INSERT OR REPLACE INTO record (source, row, person, fields, confidence) VALUES (?, ?, ?, ?, ?)")
        let rewrite = try db.makeStatement(sql: "UPDATE record SET person = ?, fields = ?, confidence = ? WHERE source = ? AND row = ?")
        let refill = try db.makeStatement(sql: "UPDATE record SET fields = ?, confidence = ? WHERE source = ? AND row = ?")
        for k in added.indices.sorted(by: { (tables[added[$0].t].source.name, added[$0].number) < (tables[added[$1].t].source.name, added[$1].number) }) {
            let a = added[k]
            let name = tables[a.t].source.name, text = Me.rowText(tables[a.t], a.row)
            let key = "\(a.number)|\(name)"
            if replaced.contains(key) {
                // The person column (and its index) is written only when the row changed hands.
                if removedPerson[key] == personOf[k] {
                    try refill.execute(arguments: [text, Double(confidence[k]), name, a.number])
                } else {
                    try rewrite.execute(arguments: [personOf[k]!, text, Double(confidence[k]), name, a.number])
                }
            } else {
                try insert.execute(arguments: [name, a.number, personOf[k]!, text, Double(confidence[k])])
            }
        }
        let settingsOf = try db.makeStatement(sql: "INSERT OR REPLACE INTO source (name, roles, settings, hashes) VALUES (?, ?, ?, ?)")
        for (t, table) in tables.enumerated() where rewriteSource[t] {
            try settingsOf.execute(arguments: [table.source.name, Me.json(table.roles), Me.json(table.source), SourceHashes.encode(newHashes[t])])
        }
        FileFault.step()
        progress?(String(format: "rows: %.2f s (%d removed, %d added)", watch.lap(), removed.count, added.count))

        // 4. The affected persons, relabelled from all their rows.
        let persons = Array(affected.union(fresh)).sorted()
        let local = Dictionary(uniqueKeysWithValues: persons.enumerated().map { ($0.element, Int32($0.offset)) })
        var sourceInfo: [String: (source: CoverageSource, roles: [String])] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT name, roles, settings FROM source") {
            let roles = (try? JSONDecoder().decode([String].self, from: Data((row[1] as String).utf8))) ?? []
            guard let source = try? JSONDecoder().decode(CoverageSource.self, from: Data((row[2] as String).utf8)) else { continue }
            sourceInfo[row[0]] = (source, roles)
        }
        for table in tables { sourceInfo[table.source.name] = (table.source, table.roles) }
        /// One source's rows of the affected persons.
        final class Gathered {
            var rows: [UInt32] = [], fields: [[String]] = [], person: [Int32] = [], confidence: [Float] = []
        }
        var gathered: [String: Gathered] = [:]
        // The persons in a temporary table, their rows in one join (not one query per person).
        try Me.fillAffected(persons, db)
        let cursor = try Row.fetchCursor(db, sql: "SELECT r.source, r.row, r.person, r.fields, r.confidence FROM temp.affected a CROSS JOIN record r ON r.person = a.id")
        while let r = try cursor.next() {
            let source: String = r[0]
            let entry: Gathered
            if let known = gathered[source] { entry = known } else { entry = Gathered(); gathered[source] = entry }
            entry.rows.append(UInt32(r[1] as Int))
            entry.person.append(local[r[2] as String]!)
            entry.fields.append(Me.fields(of: r[3] as String?))
            entry.confidence.append(Float((r[4] as Double?) ?? 0))
        }
        progress?(String(format: "gather: %.2f s (%d rows)", watch.lap(), gathered.values.reduce(0) { $0 + $1.rows.count }))
        // Population sources first, in the settings' order, then the base's other sources.
        let order = tables.map(\.source.name) + sourceInfo.keys.sorted()
        var seen = Set<String>()
        var named = order.filter { seen.insert($0).inserted && gathered[$0] != nil && sourceInfo[$0] != nil }
        named = named.filter { sourceInfo[$0]!.source.kind == .population } + named.filter { sourceInfo[$0]!.source.kind != .population }
        let small = named.map { name in
            SourceTable(source: sourceInfo[name]!.source, roles: sourceInfo[name]!.roles, rows: gathered[name]!.rows, fields: gathered[name]!.fields)
        }
        let seed = try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'area_seed'")
            .flatMap { try? JSONDecoder().decode(AreaSeed.self, from: Data($0.utf8)) }
        let (evaluated, sequence) = persons.isEmpty ? ([], []) : try run.evaluate(tables: small, person: named.map { gathered[$0]!.person },
                                                     confidence: named.map { gathered[$0]!.confidence },
                                                     persons: persons.count, seed: seed, names: normalizer)
        progress?(String(format: "label: %.2f s (%d persons)", watch.lap(), persons.count))

        // 5. Write them: only what changed; persons left without rows are gone.
        var assigned: [String] = []
        var withRows = Set<Int>()
        for k in evaluated.indices {
            withRows.insert(sequence[k])
            assigned.append(persons[sequence[k]])
        }
        let freshSet = Set(fresh)
        let goneIDs = persons.indices.filter { !withRows.contains($0) && !freshSet.contains(persons[$0]) }.map { persons[$0] }
        var summary = try Me.writePersons(evaluated, ids: assigned, gone: goneIDs, labelNames: run.labelNames, asOf: run.asOf,
                                          settings: settings, user: user, normalizer: normalizer, db)
        summary.sources = changes
        progress?(String(format: "write: %.2f s", watch.lap()))
        return summary
    }
}

extension PopulationBase {
    /// The label counts per village (`label_count`), from the persons; what each update's
    /// ledger counts persisting cases against.
    static func countLabels(_ db: Database) throws {
        try db.execute(sql: """
            DELETE FROM label_count;
            INSERT INTO label_count (label, county, township, village, n)
            SELECT pl.label, p.county, p.township, p.village, COUNT(*) FROM person_label pl JOIN person p ON p.id = pl.person
            WHERE p.active = 1 GROUP BY pl.label, p.county, p.township, p.village
            """)
    }

    /// Writes the persons an incremental update touched (`evaluated[k]` is person `ids[k]`),
    /// retires `gone`, and records the update: persons new and changed, the ledger per label
    /// and village (persisting cases from the base's label counts, kept up to date here).
    static func writePersons(_ evaluated: [CoveragePerson], ids: [String], gone: [String], labelNames: [String], asOf: CivilDate,
                             settings: String?, user: String?, normalizer: NameNormalizer, _ db: Database) throws -> UpdateSummary {
        if try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM label_count") == 0 { try countLabels(db) }
        try db.execute(sql: "INSERT INTO update_log (at, as_of, settings, user) VALUES (?, ?, ?, ?)",
                       arguments: [ISO8601DateFormatter().string(from: Date()), asOf.description, settings, user])
        let number = Int(db.lastInsertedRowID)
        let change = try db.makeStatement(sql: "INSERT INTO person_change (update_id, person, kind, detail) VALUES (?, ?, ?, ?)")
        // What the base holds for them now (a new person's placeholder counts as nothing).
        var stored: [String: Stored] = [:]
        try fillAffected(ids + gone, db)
        // CROSS JOIN: the few affected persons drive the join, not a scan of every person.
        let select = storedSelect.replacingOccurrences(of: "FROM person p", with: "FROM temp.affected a CROSS JOIN person p ON p.id = a.id")
        var rowids: [String: Int64] = [:]   // every affected person's row, new ones' placeholders too
        for row in try Row.fetchAll(db, sql: select) {
            let s = Self.stored(row)
            rowids[s.id] = row[17]
            if !s.key.hasPrefix("new:") { stored[s.id] = s }
        }
        // Keys that change are freed first (a key may move between the persons written here);
        // the gone give theirs up.
        let free = try db.makeStatement(sql: "UPDATE person SET person_key = 'moving:' || id WHERE id = ?")
        for (k, p) in evaluated.enumerated() where stored[ids[k]].map({ $0.key != p.key }) ?? false { try free.execute(arguments: [ids[k]]) }
        var delta: [String: Int] = [:]   // "label|county|township|village" → change of the label count
        var tally: [String: (new: Int, resolved: Int)] = [:]
        func key(_ l: Int, _ c: String, _ t: String, _ v: String) -> String { "\(l)|\(c)|\(t)|\(v)" }
        func count(_ l: Int, _ c: String, _ t: String, _ v: String, resolved: Bool) {
            var e = tally[key(l, c, t, v)] ?? (0, 0)
            if resolved { e.resolved += 1 } else { e.new += 1 }
            tally[key(l, c, t, v)] = e
        }
        var summary = UpdateSummary(update: number, persons: 0, new: 0, gone: 0, changed: 0, unchanged: 0, merged: 0, split: 0)
        let goneStored = gone.compactMap { id in stored[id].map { (id, $0) } }
        let goneKeys = Self.keys(goneStored.map { ($0.1.name, $0.1.idNumber, $0.1.phone, $0.1.birth.flatMap { DateParser.parse($0).date }) },
                                 normalizer: normalizer)
        let dropKey = try db.makeStatement(sql: "DELETE FROM block_key WHERE key = ? AND person = ?")
        for ((id, s), keys) in zip(goneStored, goneKeys) {
            summary.gone += 1
            try change.execute(arguments: [number, id, "gone", ""])
            try retire(id, s, db)
            for x in keys { try dropKey.execute(arguments: [x, id]) }
            for l in s.labels {
                count(l, s.county, s.township, s.village, resolved: true)
                delta[key(l, s.county, s.township, s.village), default: 0] -= 1
            }
        }
        let columns = signatureColumns
        let label = try db.makeStatement(sql: "INSERT INTO person_label (person, label) VALUES (?, ?)")
        let dropLabels = try db.makeStatement(sql: "DELETE FROM person_label WHERE person = ?")
        let addKey = try db.makeStatement(sql: "INSERT OR IGNORE INTO block_key (key, person) VALUES (?, ?)")
        let rewritten = evaluated.indices.filter { stored[ids[$0]]?.values != signature(evaluated[$0]) }
        // Keys: only those that changed (a new phone, a corrected name) are deleted and added,
        // and only for persons whose name, ID number, phone or birth date changed.
        let rekeyed = rewritten.filter { k in
            guard let s = stored[ids[k]] else { return true }
            let p = evaluated[k]
            return s.name != p.name || (s.idNumber ?? "") != (p.idNumber ?? "") || (s.phone ?? "") != (p.phone ?? "")
                || (s.birth ?? "") != (p.birthDate?.description ?? "")
        }
        let keys = personKeys(rekeyed.map { evaluated[$0] }, normalizer: normalizer)
        let before = Self.keys(rekeyed.map { k in
            let s = stored[ids[k]]
            return (s?.name ?? "", s?.idNumber, s?.phone, s?.birth.flatMap { DateParser.parse($0).date })
        }, normalizer: normalizer)
        let keyIndex = Dictionary(uniqueKeysWithValues: rekeyed.enumerated().map { ($0.element, $0.offset) })
        var written = 0
        // Persons in the order of their rows, keys in key order: each B-tree page is visited
        // once, in order, rather than at random.
        var droppedKeys: [(Int64, String)] = [], addedKeys: [(Int64, String)] = []
        for k in rewritten.sorted(by: { (rowids[ids[$0]] ?? .max, ids[$0]) < (rowids[ids[$1]] ?? .max, ids[$1]) }) {
            let p = evaluated[k], id = ids[k]
            // Only the columns whose values changed are set: an index is rewritten only when
            // one of its columns is.
            let values: [DatabaseValue] = [p.key.databaseValue, p.name.databaseValue, (p.sex.map { Int($0.rawValue) }).databaseValue,
                                           p.birthDate?.description.databaseValue ?? .null, p.idNumber.databaseValue, p.phone.databaseValue,
                                           p.area.county.databaseValue, p.area.township.databaseValue, p.area.village.databaseValue,
                                           p.area.grid.databaseValue, p.hukou.county.databaseValue, p.hukou.township.databaseValue,
                                           p.hukou.village.databaseValue, p.action.databaseValue, Double(p.linkConfidence).databaseValue]
            // (A key that changes was freed above, so it is among the changed columns.)
            let now = signatureParts(p)
            let was = stored[id]?.parts
            let changed = columns.indices.filter { was?[$0] != now[$0] }
            // (Every person written is in temp.affected, so its row was read above.)
            if !changed.isEmpty, let rowid = rowids[id] {
                let set = changed.map { "\(columns[$0]) = ?" } + ["active = 1"]
                try db.cachedStatement(sql: "UPDATE person SET \(set.joined(separator: ", ")) WHERE rowid = ?")
                    .execute(arguments: StatementArguments(changed.map { values[$0] } + [rowid.databaseValue]))
            }
            if let j = keyIndex[k] {
                let old = stored[id] == nil ? Set<Int64>() : Set(before[j]), new = Set(keys[j])
                for x in old.subtracting(new) { droppedKeys.append((x, id)) }
                for x in new.subtracting(old) { addedKeys.append((x, id)) }
            }
            written += 1
            if written % 500 == 0 { FileFault.step() }   // `ZHAOREN_FAULTS=kill:after=N` can kill the update here
        }
        for (x, id) in droppedKeys.sorted(by: { ($0.0, $0.1) < ($1.0, $1.1) }) { try dropKey.execute(arguments: [x, id]) }
        for (x, id) in addedKeys.sorted(by: { ($0.0, $0.1) < ($1.0, $1.1) }) { try addKey.execute(arguments: [x, id]) }
        for (k, p) in evaluated.enumerated() {
            let id = ids[k]
            let old = stored[id]
            let now = Set(p.labels)
            let moved = old.map { ($0.county, $0.township, $0.village) != (p.area.county, p.area.township, p.area.village) } ?? true
            if old?.labels != now {
                try dropLabels.execute(arguments: [id])
                for l in p.labels { try label.execute(arguments: [id, l]) }
            }
            if old?.labels != now || moved {
                for l in old?.labels ?? [] { delta[key(l, old!.county, old!.township, old!.village), default: 0] -= 1 }
                for l in now { delta[key(l, p.area.county, p.area.township, p.area.village), default: 0] += 1 }
            }
            if let before = old {
                let was = before.labels
                for l in now.subtracting(was) { count(l, p.area.county, p.area.township, p.area.village, resolved: false) }
                for l in was.subtracting(now) { count(l, before.county, before.township, before.village, resolved: true) }
                if was != now || before.action != p.action {
                    summary.changed += 1
                    let added = now.subtracting(was).sorted().map { labelNames[$0] }
                    let removed = was.subtracting(now).sorted().map { labelNames[$0] }
                    try change.execute(arguments: [number, id, "changed", "+" + added.joined(separator: ",") + " -" + removed.joined(separator: ",")])
                }
            } else {
                summary.new += 1
                for l in now { count(l, p.area.county, p.area.township, p.area.village, resolved: false) }
                try change.execute(arguments: [number, id, "new", ""])
            }
        }
        // The label counts moved by the deltas; the ledger: new and resolved from the persons
        // written, persisting = cases now − new ones.
        let bump = try db.makeStatement(sql: """
            INSERT INTO label_count (label, county, township, village, n) VALUES (?, ?, ?, ?, ?)
            ON CONFLICT (label, county, township, village) DO UPDATE SET n = n + excluded.n
            """)
        for (k, d) in delta where d != 0 {
            let f = k.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
            try bump.execute(arguments: [Int(f[0])!, f[1], f[2], f[3], d])
        }
        try db.execute(sql: "DELETE FROM label_count WHERE n <= 0")
        var lines: [String: (new: Int, resolved: Int, persisting: Int)] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT label, county, township, village, n FROM label_count") {
            let k = key(row[0], row[1], row[2], row[3])
            let t = tally[k] ?? (0, 0)
            lines[k] = (t.new, t.resolved, (row[4] as Int) - t.new)
        }
        for (k, t) in tally where lines[k] == nil { lines[k] = (t.new, t.resolved, 0) }
        let line = try db.makeStatement(sql: """
            INSERT INTO label_change (update_id, label, county, township, village, new, resolved, persisting) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """)
        for (k, e) in lines.sorted(by: { $0.key < $1.key }) {
            let f = k.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
            guard let l = Int(f[0]), l < labelNames.count else { continue }
            try line.execute(arguments: [number, labelNames[l], f[1], f[2], f[3], e.new, e.resolved, e.persisting])
        }
        summary.persons = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM person WHERE active = 1") ?? 0
        summary.unchanged = summary.persons - summary.new - summary.changed
        try db.execute(sql: "UPDATE meta SET value = ? WHERE key = 'as_of'", arguments: [asOf.description])
        if let settings { try db.execute(sql: "INSERT OR REPLACE INTO meta (key, value) VALUES ('settings', ?)", arguments: [settings]) }
        return summary
    }
}

extension PopulationBase {
    /// `temp.affected`: the ids of the persons an update works on, for joins.
    static func fillAffected(_ ids: [String], _ db: Database) throws {
        try db.execute(sql: "CREATE TEMP TABLE IF NOT EXISTS affected (id TEXT PRIMARY KEY) WITHOUT ROWID; DELETE FROM temp.affected")
        let insert = try db.makeStatement(sql: "INSERT OR IGNORE INTO temp.affected (id) VALUES (?)")
        for id in ids.sorted() { try insert.execute(arguments: [id]) }
    }
}

/// The content hashes of a source's rows, as one blob per source: (hash, row) pairs sorted by
/// hash then row, 16 bytes each, little-endian. An update reads and rewrites the blob whole
/// (a few megabytes per million rows) instead of an index scattered over the file.
enum SourceHashes {
    struct Entry: Sendable, Equatable {
        var hash: Int64
        var row: Int64
    }

    static func encode(_ entries: [Entry]) -> Data {
        let sorted = entries.sorted { $0.hash != $1.hash ? $0.hash < $1.hash : $0.row < $1.row }
        var data = Data(count: sorted.count * 16)
        data.withUnsafeMutableBytes { raw in
            for (k, e) in sorted.enumerated() {
                raw.storeBytes(of: e.hash.littleEndian, toByteOffset: k * 16, as: Int64.self)
                raw.storeBytes(of: e.row.littleEndian, toByteOffset: k * 16 + 8, as: Int64.self)
            }
        }
        return data
    }

    static func decode(_ data: Data?) -> [Entry] {
        guard let data, data.count % 16 == 0 else { return [] }
        return data.withUnsafeBytes { raw in
            (0..<(data.count / 16)).map { k in
                Entry(hash: Int64(littleEndian: raw.loadUnaligned(fromByteOffset: k * 16, as: Int64.self)),
                      row: Int64(littleEndian: raw.loadUnaligned(fromByteOffset: k * 16 + 8, as: Int64.self)))
            }
        }
    }
}
