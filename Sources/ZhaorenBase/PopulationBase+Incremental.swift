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
            let hashes = table.rowHashes()
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
        var keyCount = 0
        for (k, list) in keys.enumerated() {
            for x in list {
                try key.execute(arguments: [x, ids[k]])
                keyCount += db.changesCount
            }
        }
        let meta = try db.makeStatement(sql: "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)")
        try meta.execute(arguments: ["rows", "1"])
        try meta.execute(arguments: ["block_keys", String(keyCount)])
        try meta.execute(arguments: ["records", String(stored)])
        try meta.execute(arguments: ["area_seed", json(result.areaSeed)])
        if let model = result.linkModel { try meta.execute(arguments: ["link_model", json(model)]) } else {
            try db.execute(sql: "DELETE FROM meta WHERE key = 'link_model'")
        }
        return stored
    }

    /// The persons a blocking key finds (at most 200): those updates added first (a key shared
    /// by 200 built persons still finds them), then the last build's less those updates dropped.
    static let personsOfKey = """
        SELECT person FROM block_key_change WHERE key = ?1 AND present = 1
        UNION ALL
        SELECT person FROM block_key b WHERE b.key = ?1
          AND NOT EXISTS (SELECT 1 FROM block_key_change c WHERE c.key = ?1 AND c.person = b.person)
        LIMIT 200
        """

    /// Folds the updates' key changes into `block_key` once they number an eighth of it (its
    /// count kept in `meta`): until then a month's keys touch only the small change table.
    /// Both walk in key order, so the fold visits each page of `block_key` once.
    static func foldKeyChanges(_ db: Database, always: Bool = false) throws {
        try fold("block_key_change", into: "block_key", countedAs: "block_keys", always: always, db, sql: """
            DELETE FROM block_key WHERE (key, person) IN (SELECT key, person FROM block_key_change WHERE present = 0);
            INSERT OR IGNORE INTO block_key (key, person) SELECT key, person FROM block_key_change WHERE present = 1;
            DELETE FROM block_key_change
            """)
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
        // The contents the base holds, so that the reading decodes only the rows that are new
        // (a month's snapshot is mostly last month's). Should they change before the update's
        // transaction, a source read this way is read again whole there.
        let held = try read { db in
            try sources.map { try Data.fetchOne(db, sql: "SELECT hashes FROM source WHERE name = ?", arguments: [$0.name]) }
        }
        let unchanged = Parallel.map(held.count) { k in ContentCounts(SourceHashes.decode(held[k]).map(\.hash)) }
        // Meanwhile another thread opens the name normalizer and finds the persons whose age
        // crossed a bound (a scan of the persons, checked again in the transaction).
        let asOf = run.asOf
        let (everyone, boundaries) = (run.readsMonth, run.ageBoundaries)
        // (The scan is a head start: should it fail, the transaction scans again.)
        let (side, files) = Parallel.overlap({ [self] () -> (Result<NameNormalizer, ZhaorenError>, Aged?) in
            let normalizer = Result { () throws(ZhaorenError) in
                do { return try NameNormalizer() } catch { throw ZhaorenError(.icu, "cannot open the name normalizer: \(error)") }
            }
            // (Read without the memory map: the scan's pages would count as the process's own.)
            let early = try? self.read { db in
                try db.execute(sql: "PRAGMA mmap_size = 0")
                defer { try? db.execute(sql: "PRAGMA mmap_size = \(Self.mmapSize)") }
                return try Self.aged(everyone: everyone, boundaries: boundaries, asOf: asOf, db)
            }
            return (normalizer, early)
        }, while: { Result { () throws(ZhaorenError) in try SourceTable.read(sources, rejects: writer, unchanged: unchanged) } })
        let reads = try files.get()
        try writer?.commit()
        progress?(String(format: "read: %.2f s (%d rows, %d new or changed)", watch.lap(),
                         reads.reduce(0) { $0 + $1.hashes.count }, reads.reduce(0) { $0 + $1.table.count }))
        let normalizer = try side.0.get(), early = side.1
        let threshold = run.settings.matchThreshold ?? 0.9
        do {
            let summary = try database.write { db in
                try self.applyChanges(run: run, reads: reads, early: early, settings: text, user: user, threshold: threshold,
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
    private func applyChanges(run: CoverageRun, reads: [SourceChanges], early: Aged?, settings: String?, user: String?, threshold: Double,
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
        var reads = reads
        let storedSources = try reads.map { read in
            let row = try Row.fetchOne(db, sql: "SELECT roles, settings, hashes FROM source WHERE name = ?", arguments: [read.table.source.name])
            return (roles: row?[0] as String?, settings: row?[1] as String?, hashes: row?[2] as Data?)
        }
        // The sources merged on the cores at once (sorting a million hashes each).
        let roleTexts = reads.map { Me.json($0.table.roles) }
        let firstMerges = Parallel.map(reads.count) { [reads] t in
            SourceMerge(reads[t], stored: SourceHashes.decode(storedSources[t].hashes),
                        sameRoles: storedSources[t].roles == nil || storedSources[t].roles == roleTexts[t])
        }
        for t in reads.indices {
            let source = reads[t].table.source
            let name = source.name
            let storedRoles = storedSources[t].roles, storedSettings = storedSources[t].settings, roles = roleTexts[t]
            let sameRoles = storedRoles == nil || storedRoles == roles
            var merged = firstMerges[t]
            if merged == nil {
                let stored = SourceHashes.decode(storedSources[t].hashes)
                reads[t] = SourceChanges(whole: try SourceTable.read(source, rejects: nil))
                merged = SourceMerge(reads[t], stored: stored, sameRoles: sameRoles)
            }
            guard let merged else { throw ZhaorenError(.io, "source \(name) changed while it was read: run the update again") }
            added += merged.added.map { (t, $0.row, $0.number) }
            removed += merged.removed.map { (name, $0) }
            renumbered += merged.renumbered.map { (name, $0.from, $0.to) }
            newHashes.append(merged.now)
            // A source whose rows, numbers, roles and settings are all the same is not rewritten.
            rewriteSource.append(merged.change.added > 0 || merged.change.removed > 0 || !merged.renumbered.isEmpty
                                 || storedRoles != roles || storedSettings != Me.json(source))
            changes.append(merged.change)
        }
        let tables = reads.map(\.table)
        // The persons who lose a row are relabelled.
        for row in try Me.storedRows(removed.map { SourceRowKey(source: $0.source, row: $0.row) }, fields: false, db) {
            if let p = row?.person { affected.insert(p) }
        }
        // A person without an ID number is keyed by their first row ("police:17"): when their
        // rows move, the key moves too, so they are rewritten (their old key freed first) before
        // another person can take it.
        // (Each moved row as it is, read once: its content goes to its new number below.)
        let movedRows = try Me.storedRows(renumbered.map { SourceRowKey(source: $0.source, row: $0.from) }, db)
        let keyOf = try db.makeStatement(sql: "SELECT person_key FROM person WHERE id = ?")
        for moved in movedRows {
            guard let p = moved?.person, !affected.contains(p),
                  let key = try String.fetchOne(keyOf, arguments: [p]), key.contains(":") else { continue }
            affected.insert(p)
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
            let keyStatement = try db.makeStatement(sql: Me.personsOfKey)
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
            let recordsOf = try db.makeStatement(sql: Me.rowsOfPerson)
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
                    let fields = Me.fields(of: r[3] as String?)   // (source, row, person, fields, confidence)
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
        // reads the month itself). Found while the files were read, unless an update came between.
        let found = try Me.aged(everyone: run.readsMonth, boundaries: run.ageBoundaries, asOf: asOf, known: early, db)
        let storedAsOf = found.storedAsOf
        let when = early.map { $0.update == found.update && $0.storedAsOf == found.storedAsOf } == true ? ", found while the files were read" : ""
        var aged = 0
        for id in found.ids where affected.insert(id).inserted { aged += 1 }
        if aged > 0 { progress?(String(format: "date: %.2f s (%d persons whose age crossed a rule's bound since %@%@)", watch.lap(), aged, storedAsOf!.description, when)) }

        // 3. The rows in the base: removed, renumbered, added (new persons first, as placeholders).
        let placeholder = try db.makeStatement(sql: """
            INSERT INTO person (id, person_key, name, county, township, village, grid, hukou_county, hukou_township, hukou_village,
                                link_confidence, active) VALUES (?, 'new:' || ?, '', '', '', '', '', '', '', '', 0, 1)
            """)
        for id in fresh { try placeholder.execute(arguments: [id, id]) }
        // What becomes of each changed (source, row), written to the change table in one
        // ordered pass: removed rows first, rows moved to their new numbers (as they were),
        // then the month's rows, each overriding what an earlier step put at its number.
        var rowChanges: [SourceRowKey: StoredRow?] = [:]
        for r in removed { rowChanges[SourceRowKey(source: r.source, row: r.row)] = .some(nil) }
        for r in renumbered { rowChanges[SourceRowKey(source: r.source, row: r.from)] = .some(nil) }
        for (r, row) in zip(renumbered, movedRows) { rowChanges[SourceRowKey(source: r.source, row: r.to)] = .some(row) }
        for (k, a) in added.enumerated() {
            let name = tables[a.t].source.name
            rowChanges[SourceRowKey(source: name, row: a.number)] =
                .some(StoredRow(person: personOf[k]!, fields: Me.rowText(tables[a.t], a.row), confidence: Double(confidence[k])))
        }
        progress?(String(format: "rows: %.2f s (%d removed, %d added)", watch.lap(), removed.count, added.count))
        /// Writes the row changes and the sources' contents (done while the persons are labelled).
        func writeRows() throws {
            try Me.writeRowChanges(rowChanges, db)
            try Me.foldRowChanges(db)
            let settingsOf = try db.makeStatement(sql: "INSERT OR REPLACE INTO source (name, roles, settings, hashes) VALUES (?, ?, ?, ?)")
            for (t, table) in tables.enumerated() where rewriteSource[t] {
                try settingsOf.execute(arguments: [table.source.name, Me.json(table.roles), Me.json(table.source), SourceHashes.encode(newHashes[t])])
            }
            FileFault.step()
        }

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
        /// One source's rows of the affected persons (each row's values as stored, one text).
        final class Gathered {
            var rows: [UInt32] = [], fields: [String?] = [], person: [Int32] = [], confidence: [Float] = []
        }
        var gathered: [String: Gathered] = [:]
        func gather(_ source: String, _ row: Int, _ person: String, _ fields: String?, _ confidence: Double?) {
            let entry: Gathered
            if let known = gathered[source] { entry = known } else { entry = Gathered(); gathered[source] = entry }
            entry.rows.append(UInt32(row))
            entry.person.append(local[person]!)
            entry.fields.append(fields)
            entry.confidence.append(Float(confidence ?? 0))
        }
        // Their rows as they will be once this month's changes are written (they are written
        // while the persons are labelled): this month's changes from memory, earlier updates'
        // changes and the built rows from the base, each row from the first of the three that
        // has it. The persons in a temporary table, their rows in a join (not one query per
        // person).
        try Me.fillAffected(persons, db)
        var changedRows = try Me.changedRows(db)
        for (key, row) in rowChanges {
            changedRows[key.source, default: []].insert(key.row)
            if let row, local[row.person] != nil { gather(key.source, key.row, row.person, row.fields, row.confidence) }
        }
        for (sql, built) in [(Me.changedRowsOfAffected, false), (Me.builtRowsOfAffected, true)] {
            let cursor = try Row.fetchCursor(db, sql: sql)
            while let r = try cursor.next() {
                let source: String = r[0], row: Int = r[1]
                if built ? changedRows[source]?.contains(row) == true : rowChanges.keys.contains(SourceRowKey(source: source, row: row)) { continue }
                gather(source, row, r[2], r[3], r[4])
            }
        }
        // Each source's rows in file order, as a full run reads them (a person's values are
        // chosen among their rows in that order), whatever order the tables hold them in.
        for entry in gathered.values where zip(entry.rows, entry.rows.dropFirst()).contains(where: { $0.0 > $0.1 }) {
            let order = entry.rows.indices.sorted { entry.rows[$0] < entry.rows[$1] }
            entry.rows = order.map { entry.rows[$0] }
            entry.fields = order.map { entry.fields[$0] }
            entry.person = order.map { entry.person[$0] }
            entry.confidence = order.map { entry.confidence[$0] }
        }
        progress?(String(format: "gather: %.2f s (%d rows)", watch.lap(), gathered.values.reduce(0) { $0 + $1.rows.count }))
        // Population sources first, in the settings' order, then the base's other sources.
        let order = tables.map(\.source.name) + sourceInfo.keys.sorted()
        var seen = Set<String>()
        var named = order.filter { seen.insert($0).inserted && gathered[$0] != nil && sourceInfo[$0] != nil }
        named = named.filter { sourceInfo[$0]!.source.kind == .population } + named.filter { sourceInfo[$0]!.source.kind != .population }
        let parts = named.map { name in
            (source: sourceInfo[name]!.source, roles: sourceInfo[name]!.roles, rows: gathered[name]!.rows, fields: gathered[name]!.fields,
             person: gathered[name]!.person, confidence: gathered[name]!.confidence)
        }
        gathered = [:]
        let withRows = Set(parts.flatMap { $0.person.map(Int.init) })   // the persons who still have rows
        let seed = try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'area_seed'")
            .flatMap { try? JSONDecoder().decode(AreaSeed.self, from: Data($0.utf8)) }
        // The persons are labelled on another core while this one reads what the base holds
        // for them and writes the month's rows (the connection stays on its thread).
        let (labelled, held) = try Parallel.overlap({ () throws -> (persons: [CoveragePerson], order: [Int]) in
            guard !persons.isEmpty else { return ([], []) }
            let small = Parallel.map(parts.count) { SourceTable(source: parts[$0].source, roles: parts[$0].roles, rows: parts[$0].rows,
                                                                fields: parts[$0].fields.map(Me.fields(of:))) }
            return try run.evaluate(tables: small, person: parts.map(\.person), confidence: parts.map(\.confidence),
                                    persons: persons.count, seed: seed, names: normalizer)
        }, while: {
            let held = try Me.storedPersons(persons, db)
            try writeRows()
            return held
        })
        let (evaluated, sequence) = labelled
        progress?(String(format: "label: %.2f s (%d persons, their stored values read and the rows written meanwhile)", watch.lap(), persons.count))

        // 5. Write them: only what changed; persons left without rows are gone.
        // (The run labels every person it is given, those left without rows too.)
        // Persons are passed by their number in `persons` (arrays, not dictionaries by id).
        let kept = evaluated.indices.filter { withRows.contains(sequence[$0]) }
        let freshSet = Set(fresh)
        let gone = persons.indices.filter { !withRows.contains($0) && !freshSet.contains(persons[$0]) }
        // (Persons are large values: the whole array is passed when no one is gone, not copied.)
        var summary = try Me.writePersons(kept.count == evaluated.count ? evaluated : kept.map { evaluated[$0] }, slots: kept.map { sequence[$0] }, gone: gone, ids: persons,
                                          held: held, labelNames: run.labelNames, asOf: run.asOf,
                                          settings: settings, user: user, normalizer: normalizer, db)
        summary.sources = changes
        progress?(String(format: "write: %.2f s", watch.lap()))
        return summary
    }
}

extension PopulationBase {
    /// The persons whose age crossed a bound since the base's date (see ``aged(everyone:boundaries:asOf:known:_:)``).
    typealias Aged = (ids: [String], storedAsOf: CivilDate?, update: Int?)

    /// The persons whose age crossed one of `boundaries` between the base's reference date and
    /// `asOf` (every active person when a rule reads the month itself: `everyone`; any change of
    /// age when `boundaries` is nil, see ``CoverageRun/ageBoundaries``), the base's date and
    /// its last update. `known`, a scan made before the update's transaction, is taken when the
    /// base's date and last update are still the same.
    static func aged(everyone: Bool, boundaries: Set<Int>?, asOf: CivilDate, known: Aged? = nil, _ db: Database) throws -> Aged {
        let update = try Int.fetchOne(db, sql: "SELECT MAX(id) FROM update_log")
        let storedAsOf = try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'as_of'").flatMap { DateParser.parse($0).date }
        if let known, known.update == update, known.storedAsOf == storedAsOf { return known }
        guard let storedAsOf, storedAsOf != asOf else { return ([], storedAsOf, update) }
        // The birth dates that can cross a bound, narrowed in SQL (a day's slack each side;
        // the exact test follows): only those persons are read.
        var sql = "SELECT id, birth FROM person WHERE active = 1"
        var arguments: [String] = []
        if !everyone, let boundaries, !boundaries.isEmpty, storedAsOf < asOf {
            sql += " AND (" + boundaries.map { "birth BETWEEN date(?, '-\($0) years', '-1 day') AND date(?, '-\($0) years', '+1 day')" }
                .joined(separator: " OR ") + ")"
            for _ in boundaries { arguments += [storedAsOf.description, asOf.description] }
        }
        var ids: [String] = []
        let cursor = try Row.fetchCursor(db, sql: sql, arguments: StatementArguments(arguments))
        while let r = try cursor.next() {
            if !everyone {
                guard let text = r[1] as String?, let birth = DateParser.parse(text).date else { continue }
                let before = birth.years(to: storedAsOf), now = birth.years(to: asOf)
                guard before != now else { continue }
                // Only ages a rule tells apart (any age, when a rule reads it otherwise).
                if let boundaries, !boundaries.contains(where: { min(before, now) < $0 && $0 <= max(before, now) }) { continue }
            }
            ids.append(r[0])
        }
        return (ids, storedAsOf, update)
    }
}

extension PopulationBase {
    /// The label counts per village (`label_count`), from the persons; what each update's
    /// ledger counts persisting cases against.
    static func countLabels(_ db: Database) throws {
        try db.execute(sql: "INSERT OR REPLACE INTO meta (key, value) SELECT 'persons', COUNT(*) FROM person WHERE active = 1 AND person_key NOT LIKE 'new:%'")
        try db.execute(sql: """
            DELETE FROM label_count;
            INSERT INTO label_count (label, county, township, village, n)
            SELECT pl.label, p.county, p.township, p.village, COUNT(*) FROM person_label pl JOIN person p ON p.id = pl.person
            WHERE p.active = 1 GROUP BY pl.label, p.county, p.township, p.village
            """)
    }

    /// What the base holds for the persons an update works on, by their number in its list:
    /// their stored values (`nil` for a new person's placeholder) and the rowid of every one's
    /// row, placeholders too.
    struct Held {
        var stored: [Stored?]
        var rowids: [Int64?]
    }

    /// What the base holds for persons `ids` (see ``Held``).
    static func storedPersons(_ ids: [String], _ db: Database) throws -> Held {
        var held = Held(stored: Array(repeating: nil, count: ids.count), rowids: Array(repeating: nil, count: ids.count))
        let slot = Dictionary(uniqueKeysWithValues: ids.enumerated().map { ($0.element, $0.offset) })
        try fillAffected(ids, db)
        // CROSS JOIN: the few affected persons drive the join, not a scan of every person.
        let select = storedSelect.replacingOccurrences(of: "FROM person p", with: "FROM temp.affected a CROSS JOIN person p ON p.id = a.id")
        let cursor = try Row.fetchCursor(db, sql: select)
        while let row = try cursor.next() {
            let s = Self.stored(row)
            guard let k = slot[s.id] else { continue }
            held.rowids[k] = row[17]
            if !s.key.hasPrefix("new:") { held.stored[k] = s }
        }
        return held
    }

    /// A label counted in a village (the label counts and the ledger's lines).
    struct LabelPlace: Hashable {
        var label: Int, county: String, township: String, village: String
        /// The order of the ledger's lines (as a full run's: by "label|county|township|village",
        /// then by the parts, should a name hold a "|").
        var order: (String, Int, String, String, String) { ("\(label)|\(county)|\(township)|\(village)", label, county, township, village) }
    }

    /// Writes the persons an incremental update touched (`evaluated[k]` is person
    /// `ids[slots[k]]`, what the base held for it `held.stored[slots[k]]`), retires the persons
    /// `gone` (numbers in `ids`), and records the update: persons new and changed, the ledger
    /// per label and village (persisting cases from the base's label counts, kept up to date
    /// here).
    static func writePersons(_ evaluated: [CoveragePerson], slots: [Int], gone: [Int], ids: [String], held: Held,
                             labelNames: [String], asOf: CivilDate,
                             settings: String?, user: String?, normalizer: NameNormalizer, _ db: Database) throws -> UpdateSummary {
        if try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM label_count") == 0 { try countLabels(db) }
        // The active persons before (kept in meta by the build, a retrain and each update).
        let activeBefore = try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'persons'").flatMap { Int($0) }
            ?? Int.fetchOne(db, sql: "SELECT COUNT(*) FROM person WHERE active = 1 AND person_key NOT LIKE 'new:%'") ?? 0
        try db.execute(sql: "INSERT INTO update_log (at, as_of, settings, user) VALUES (?, ?, ?, ?)",
                       arguments: [ISO8601DateFormatter().string(from: Date()), asOf.description, settings, user])
        let number = Int(db.lastInsertedRowID)
        let change = try db.makeStatement(sql: "INSERT INTO person_change (update_id, person, kind, detail) VALUES (?, ?, ?, ?)")
        // What the base holds for them now (read while they were labelled).
        let stored = held.stored
        // Keys that change are freed first (a key may move between the persons written here);
        // the gone give theirs up.
        let free = try db.makeStatement(sql: "UPDATE person SET person_key = 'moving:' || id WHERE id = ?")
        for k in evaluated.indices {
            guard let key = stored[slots[k]]?.key, key != evaluated[k].key else { continue }
            try free.execute(arguments: [ids[slots[k]]])
        }
        var delta: [LabelPlace: Int] = [:]                       // change of each label count
        var tally: [LabelPlace: (new: Int, resolved: Int)] = [:]
        func count(_ place: LabelPlace, resolved: Bool) {
            if resolved { tally[place, default: (0, 0)].resolved += 1 } else { tally[place, default: (0, 0)].new += 1 }
        }
        var summary = UpdateSummary(update: number, persons: 0, new: 0, gone: 0, changed: 0, unchanged: 0, merged: 0, split: 0)
        let goneStored = gone.compactMap { k in stored[k].map { (ids[k], $0) } }
        let goneKeys = Self.keys(goneStored.map { ($0.1.name, $0.1.idNumber, $0.1.phone, $0.1.birth.flatMap { DateParser.parse($0).date }) },
                                 normalizer: normalizer)
        let dropKey = try db.makeStatement(sql: "INSERT OR REPLACE INTO block_key_change (key, person, present) VALUES (?, ?, 0)")
        for ((id, s), keys) in zip(goneStored, goneKeys) {
            summary.gone += 1
            try change.execute(arguments: [number, id, "gone", ""])
            try retire(id, s, db)
            for x in keys { try dropKey.execute(arguments: [x, id]) }
            for l in s.labels {
                let place = LabelPlace(label: l, county: s.county, township: s.township, village: s.village)
                count(place, resolved: true)
                delta[place, default: 0] -= 1
            }
        }
        let columns = signatureColumns
        let label = try db.makeStatement(sql: "INSERT INTO person_label (person, label) VALUES (?, ?)")
        let dropLabels = try db.makeStatement(sql: "DELETE FROM person_label WHERE person = ?")
        let addKey = try db.makeStatement(sql: "INSERT OR REPLACE INTO block_key_change (key, person, present) VALUES (?, ?, 1)")
        // Each person's columns as text, compared with what the base holds: only persons whose
        // values changed are rewritten.
        let now = evaluated.map(signatureParts)
        let rewritten = evaluated.indices.filter { stored[slots[$0]]?.parts != now[$0] }
        // Keys: only those that changed (a new phone, a corrected name) are deleted and added,
        // and only for persons whose name, ID number, phone or birth date changed.
        let rekeyed = rewritten.filter { k in
            guard let s = stored[slots[k]] else { return true }
            return s.name != evaluated[k].name || (s.idNumber ?? "") != (evaluated[k].idNumber ?? "")
                || (s.phone ?? "") != (evaluated[k].phone ?? "") || (s.birth ?? "") != (evaluated[k].birthDate?.description ?? "")
        }
        let keys = personKeys(rekeyed.map { evaluated[$0] }, normalizer: normalizer)
        let before = Self.keys(rekeyed.map { k in
            let s = stored[slots[k]]
            return (s?.name ?? "", s?.idNumber, s?.phone, s?.birth.flatMap { DateParser.parse($0).date })
        }, normalizer: normalizer)
        var keyIndex = [Int](repeating: -1, count: evaluated.count)
        for (j, k) in rekeyed.enumerated() { keyIndex[k] = j }
        // One statement per set of changed columns (a bit per column), prepared once.
        var updates: [Int: Statement] = [:]
        func update(_ changed: [Int]) throws -> Statement {
            let bits = changed.reduce(0) { $0 | 1 << $1 }
            if let known = updates[bits] { return known }
            let set = changed.map { "\(columns[$0]) = ?" } + ["active = 1"]
            let statement = try db.makeStatement(sql: "UPDATE person SET \(set.joined(separator: ", ")) WHERE rowid = ?")
            updates[bits] = statement
            return statement
        }
        var written = 0
        // Persons in the order of their rows, keys in key order: each B-tree page is visited
        // once, in order, rather than at random.
        var droppedKeys: [(Int64, String)] = [], addedKeys: [(Int64, String)] = []
        let rowids = held.rowids
        for k in rewritten.sorted(by: { (rowids[slots[$0]] ?? .max, slots[$0]) < (rowids[slots[$1]] ?? .max, slots[$1]) }) {
            let slot = slots[k], id = ids[slot]
            // Only the columns whose values changed are set: an index is rewritten only when
            // one of its columns is. (A key that changes was freed above, so it is among them.)
            let changed = columns.indices.filter { stored[slot]?.parts[$0] != now[k][$0] }
            // (Every person written is in temp.affected, so its row was read above.)
            if !changed.isEmpty, let rowid = rowids[slot] {
                try update(changed).execute(arguments: StatementArguments(changed.map { databaseValue(evaluated[k], column: $0) } + [rowid.databaseValue]))
            }
            if keyIndex[k] >= 0 {
                let j = keyIndex[k]
                let old = stored[slot] == nil ? Set<Int64>() : Set(before[j]), new = Set(keys[j])
                for x in old.subtracting(new) { droppedKeys.append((x, id)) }
                for x in new.subtracting(old) { addedKeys.append((x, id)) }
            }
            written += 1
            if written % 500 == 0 { FileFault.step() }   // `ZHAOREN_FAULTS=kill:after=N` can kill the update here
        }
        for (x, id) in droppedKeys.sorted(by: { ($0.0, $0.1) < ($1.0, $1.1) }) { try dropKey.execute(arguments: [x, id]) }
        for (x, id) in addedKeys.sorted(by: { ($0.0, $0.1) < ($1.0, $1.1) }) { try addKey.execute(arguments: [x, id]) }
        try foldKeyChanges(db)
        for k in evaluated.indices {
            let slot = slots[k], id = ids[slot]
            // (Fields read in place: a person or a stored row copied whole costs a retain per value.)
            let labels = evaluated[k].labels, area = evaluated[k].area
            let now = Set(labels)
            let place = { (l: Int) in LabelPlace(label: l, county: area.county, township: area.township, village: area.village) }
            guard stored[slot] != nil else {
                summary.new += 1   // (a placeholder until now: no labels to drop)
                for l in labels { try label.execute(arguments: [id, l]) }
                for l in now {
                    count(place(l), resolved: false)
                    delta[place(l), default: 0] += 1
                }
                try change.execute(arguments: [number, id, "new", ""])
                continue
            }
            let was = stored[slot]!.labels
            let (county, township, village) = (stored[slot]!.county, stored[slot]!.township, stored[slot]!.village)
            let oldPlace = { (l: Int) in LabelPlace(label: l, county: county, township: township, village: village) }
            let moved = (county, township, village) != (area.county, area.township, area.village)
            if was != now {
                try dropLabels.execute(arguments: [id])
                for l in labels { try label.execute(arguments: [id, l]) }
            }
            if was != now || moved {
                for l in was { delta[oldPlace(l), default: 0] -= 1 }
                for l in now { delta[place(l), default: 0] += 1 }
            }
            guard was != now || stored[slot]!.action != evaluated[k].action else { continue }
            let added = now.subtracting(was), removed = was.subtracting(now)
            for l in added { count(place(l), resolved: false) }
            for l in removed { count(oldPlace(l), resolved: true) }
            summary.changed += 1
            try change.execute(arguments: [number, id, "changed", "+" + added.sorted().map { labelNames[$0] }.joined(separator: ",")
                                           + " -" + removed.sorted().map { labelNames[$0] }.joined(separator: ",")])
        }
        // The label counts moved by the deltas; the ledger: new and resolved from the persons
        // written, persisting = cases now − new ones.
        let bump = try db.makeStatement(sql: """
            INSERT INTO label_count (label, county, township, village, n) VALUES (?, ?, ?, ?, ?)
            ON CONFLICT (label, county, township, village) DO UPDATE SET n = n + excluded.n
            """)
        for (place, d) in delta where d != 0 {
            try bump.execute(arguments: [place.label, place.county, place.township, place.village, d])
        }
        try db.execute(sql: "DELETE FROM label_count WHERE n <= 0")
        var lines: [LabelPlace: (new: Int, resolved: Int, persisting: Int)] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT label, county, township, village, n FROM label_count") {
            let place = LabelPlace(label: row[0], county: row[1], township: row[2], village: row[3])
            let t = tally[place] ?? (0, 0)
            lines[place] = (t.new, t.resolved, (row[4] as Int) - t.new)
        }
        for (place, t) in tally where lines[place] == nil { lines[place] = (t.new, t.resolved, 0) }
        let line = try db.makeStatement(sql: """
            INSERT INTO label_change (update_id, label, county, township, village, new, resolved, persisting) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """)
        for (place, e) in lines.map({ ($0.key.order, $0.key, $0.value) }).sorted(by: { $0.0 < $1.0 }).map({ ($0.1, $0.2) })
            where place.label >= 0 && place.label < labelNames.count {
            try line.execute(arguments: [number, labelNames[place.label], place.county, place.township, place.village, e.new, e.resolved, e.persisting])
        }
        summary.persons = activeBefore + summary.new - summary.gone
        try db.execute(sql: "INSERT OR REPLACE INTO meta (key, value) VALUES ('persons', ?)", arguments: [String(summary.persons)])
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

/// A month's rows of one source merged with the rows the base holds, by content: both sides
/// sorted by hash, equal rows paired off (lowest row numbers first); what is left over on the
/// month's side is added, on the base's side removed (a `replace` source) or kept (`append`).
struct SourceMerge {
    /// The counts for the update's summary.
    var change: PopulationBase.SourceChange
    /// The rows to add: index in the read's table, row number to store.
    var added: [(row: Int, number: Int)] = []
    /// The stored row numbers no longer in the file.
    var removed: [Int] = []
    /// Rows kept whose number moved.
    var renumbered: [(from: Int, to: Int)] = []
    /// The source's (hash, row) entries after the update.
    var now: [SourceHashes.Entry] = []

    /// `nil` when a row to add was one the reading skipped (the stored rows changed since they
    /// were read, or the roles did, so that equal hashes no longer mean equal rows): the
    /// source must then be read whole. With `sameRoles` false every row is added.
    init?(_ read: SourceChanges, stored: [SourceHashes.Entry], sameRoles: Bool) {
        let source = read.table.source
        let mode = source.update ?? .replace
        let maxRow = Int(stored.lazy.map(\.row).max() ?? 0)
        change = PopulationBase.SourceChange(source: source.name, mode: mode, rows: read.hashes.count, kept: 0, added: 0, removed: 0)
        // (hash, row index) pairs sorted as one flat array.
        var incoming = read.hashes.enumerated().map { SourceHashes.Entry(hash: $0.element, row: Int64($0.offset)) }
        incoming.sort { $0.hash != $1.hash ? $0.hash < $1.hash : $0.row < $1.row }
        now = mode == .append ? stored : []
        now.reserveCapacity(now.count + incoming.count)
        var i = 0
        for entry in incoming {
            let row = Int(entry.row), hash = entry.hash
            let number = mode == .append ? maxRow + Int(read.rows[row]) : Int(read.rows[row])
            while i < stored.count && stored[i].hash < hash {
                if mode == .replace { removed.append(Int(stored[i].row)) }
                i += 1
            }
            if sameRoles, i < stored.count, stored[i].hash == hash {
                change.kept += 1
                if mode == .replace {
                    if stored[i].row != number { renumbered.append((Int(stored[i].row), number)) }
                    now.append(.init(hash: hash, row: Int64(number)))
                }
                i += 1
            } else {
                guard read.kept[row] >= 0 else { return nil }
                added.append((Int(read.kept[row]), number))
                now.append(.init(hash: hash, row: Int64(number)))
                change.added += 1
            }
        }
        if mode == .replace { while i < stored.count { removed.append(Int(stored[i].row)); i += 1 } }
        change.removed = removed.count
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
        // An update's entries come out of its merge already in order: sorted only when not.
        func before(_ a: Entry, _ b: Entry) -> Bool { a.hash != b.hash ? a.hash < b.hash : a.row < b.row }
        let inOrder = zip(entries, entries.dropFirst()).allSatisfy { !before($0.1, $0.0) }
        let sorted = inOrder ? entries : entries.sorted(by: before)
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
