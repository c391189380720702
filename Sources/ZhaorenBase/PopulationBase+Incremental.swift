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

    /// The content hash stored with a row.
    static func rowHash(_ text: String) -> Int64 { Int64(bitPattern: StableHash.of(text)) }

    static func json<T: Encodable>(_ value: T) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? "null"
    }

    /// Whether the base holds its rows, keys and model (built by a version with incremental updates).
    public func isIncremental() throws(ZhaorenError) -> Bool {
        try read { db in try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'rows'") == "1" }
    }

    /// Stores a run's rows (values, hash, person, confidence), the sources' roles, every
    /// person's blocking keys, the learned places and the linking model. `ids[k]` is the id of
    /// `result.persons[k]`. Returns the rows stored.
    static func storeRows(_ result: CoverageResult, ids: [String], _ db: Database) throws -> Int {
        guard let rows = result.rows else { return 0 }
        let source = try db.makeStatement(sql: "INSERT OR REPLACE INTO source (name, roles, settings) VALUES (?, ?, ?)")
        let record = try db.makeStatement(sql: """
            INSERT OR IGNORE INTO record (source, row, person, hash, fields, confidence) VALUES (?, ?, ?, ?, ?, ?)
            """)
        var stored = 0
        for (t, table) in rows.tables.enumerated() {
            try source.execute(arguments: [table.source.name, json(table.roles), json(table.source)])
            let texts = Array(0..<table.count).parallelMap(minimumChunk: 8192) { row in rowText(table, row) }
            let persons = rows.person[t], confidence = rows.confidence[t]
            for row in 0..<table.count where persons[row] >= 0 {
                let text = texts[row]
                try record.execute(arguments: [table.source.name, Int(table.rows[row]), ids[Int(persons[row])], rowHash(text), text,
                                               Double(confidence[row])])
                stored += db.changesCount
            }
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
            let (packed, idBirth, _) = p.idNumber.map { RecordLoader.residentID($0, today: today) } ?? (0, RecordTable.missingDate, 0)
            let phone = p.phone.flatMap { PackedDigits.packPhone($0) } ?? 0
            let day = p.birthDate?.dayNumber ?? idBirth
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
    public func update(run: CoverageRun, settings text: String? = nil, rejects: URL? = nil,
                       progress: (@Sendable (String) -> Void)? = nil) throws(ZhaorenError) -> UpdateSummary {
        guard try isIncremental() else {
            throw ZhaorenError(.settings, "this base holds no rows to compare with (built by an earlier version): rebuild it with zhaoren base build, or re-run the month with zhaoren base retrain", file: url.path)
        }
        guard run.labelNames == labelNames, run.actions == actions else {
            throw ZhaorenError(.settings, "the settings' label or action rules differ from the base's: apply them with zhaoren base retrain (a full run that keeps person ids)", file: url.path)
        }
        var watch = Stopwatch()
        defer { _ = watch }
        let sources = run.settings.sources.filter { $0.kind.isPersonList }
        let writer = try rejects.map { url throws(ZhaorenError) in try RejectWriter(url) }
        let tables = try SourceTable.read(sources, rejects: writer)
        try writer?.commit()
        progress?(String(format: "read: %.2f s", watch.lap()))
        let texts = tables.map { table in Array(0..<table.count).parallelMap(minimumChunk: 8192) { row in Self.rowText(table, row) } }
        let normalizer: NameNormalizer
        do { normalizer = try NameNormalizer() } catch { throw ZhaorenError(.icu, "cannot open the name normalizer: \(error)") }
        let threshold = run.settings.matchThreshold ?? 0.9
        let asOf = run.asOf
        do {
            return try database.write { db in
                try self.applyChanges(run: run, tables: tables, texts: texts, settings: text, threshold: threshold, asOf: asOf,
                                      normalizer: normalizer, progress: progress, db)
            }
        } catch let error as ZhaorenError {
            throw error
        } catch {
            throw ZhaorenError(.io, "cannot update the base: \(Self.reason(error))", file: url.path)
        }
    }

    /// A stored row: where it is and whose.
    private struct StoredRow { var row: Int; var person: String }

    // swiftlint:disable:next function_body_length
    private func applyChanges(run: CoverageRun, tables: [SourceTable], texts: [[String]], settings: String?, threshold: Double,
                              asOf: CivilDate, normalizer: NameNormalizer, progress: (@Sendable (String) -> Void)?,
                              _ db: Database) throws -> UpdateSummary {
        typealias Me = PopulationBase
        var watch = Stopwatch()
        let today = CivilDate.todayInChina()
        // 1. Compare each file with the stored rows by content.
        var affected = Set<String>()                         // stored persons whose rows changed
        var added: [(t: Int, row: Int, number: Int)] = []   // table, row index, row number to store
        var removed: [(source: String, row: Int)] = []
        var renumbered: [(source: String, from: Int, to: Int)] = []
        var changes: [SourceChange] = []
        for (t, table) in tables.enumerated() {
            let name = table.source.name
            let mode = table.source.update ?? .replace
            var change = SourceChange(source: name, mode: mode, rows: table.count, kept: 0, added: 0, removed: 0)
            let storedRoles = try String.fetchOne(db, sql: "SELECT roles FROM source WHERE name = ?", arguments: [name])
            let sameRoles = storedRoles == nil || storedRoles == Me.json(table.roles)
            var byHash: [Int64: [StoredRow]] = [:]
            var maxRow = 0
            let cursor = try Row.fetchCursor(db, sql: "SELECT row, hash, person FROM record WHERE source = ?", arguments: [name])
            while let r = try cursor.next() {
                let row: Int = r[0]
                maxRow = max(maxRow, row)
                byHash[sameRoles ? (r[1] as Int64? ?? 0) : 0, default: []].append(StoredRow(row: row, person: r[2]))
            }
            for k in byHash.keys { byHash[k]!.sort { $0.row > $1.row } }   // popped lowest row first
            for row in 0..<table.count {
                let hash = Me.rowHash(texts[t][row])
                let number = mode == .append ? maxRow + Int(table.rows[row]) : Int(table.rows[row])
                if sameRoles, var list = byHash[hash], let kept = list.popLast() {
                    byHash[hash] = list
                    change.kept += 1
                    if mode == .replace && kept.row != number { renumbered.append((name, kept.row, number)) }
                } else {
                    added.append((t, row, number))
                    change.added += 1
                }
            }
            if mode == .replace {
                for list in byHash.values {
                    for s in list {
                        removed.append((name, s.row))
                        affected.insert(s.person)
                        change.removed += 1
                    }
                }
            }
            changes.append(change)
        }
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
            if id.isValid, !id.issues.contains(.possiblyTruncated), let canonical = id.normalized {
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
        var ids = Set(try String.fetchAll(db, sql: "SELECT id FROM person"))
        var random = SystemRandomNumberGenerator()
        func freshID() -> String {
            var id: String
            repeat { id = String(format: "%016llx", random.next() as UInt64) } while !ids.insert(id).inserted
            return id
        }
        for (k, id) in parsed.enumerated() where personOf[k] == nil && confidence[k] == 1 {
            let first = newByID[id.normalized!]!
            if first == k { newPersonOfRow[k] = fresh.count; fresh.append(freshID()) } else { newPersonOfRow[k] = newPersonOfRow[first] }
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
                    let fields = ((r[1] as String?) ?? "").split(separator: Character(Me.fieldSeparator), omittingEmptySubsequences: false)
                    func v(_ role: String) -> String? {
                        guard let i = roles.firstIndex(of: role), i < fields.count, !fields[i].isEmpty else { return nil }
                        return String(fields[i])
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
                    fresh.append(freshID())
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
            let cursor = try Row.fetchCursor(db, sql: "SELECT id, birth FROM person WHERE active = 1")
            while let r = try cursor.next() {
                let id: String = r[0]
                if !everyone {
                    guard let text = r[1] as String?, let birth = DateParser.parse(text).date,
                          birth.years(to: storedAsOf) != birth.years(to: asOf) else { continue }
                }
                if affected.insert(id).inserted { aged += 1 }
            }
        }
        if aged > 0 { progress?(String(format: "date: %.2f s (%d persons whose age changed since %@)", watch.lap(), aged, storedAsOf!.description)) }

        // 3. The rows in the base: removed, renumbered, added (new persons first, as placeholders).
        let placeholder = try db.makeStatement(sql: """
            INSERT INTO person (id, person_key, name, county, township, village, grid, hukou_county, hukou_township, hukou_village,
                                link_confidence, active) VALUES (?, 'new:' || ?, '', '', '', '', '', '', '', '', 0, 1)
            """)
        for id in fresh { try placeholder.execute(arguments: [id, id]) }
        let delete = try db.makeStatement(sql: "DELETE FROM record WHERE source = ? AND row = ?")
        for r in removed { try delete.execute(arguments: [r.source, r.row]) }
        let move = try db.makeStatement(sql: "UPDATE record SET row = ? WHERE source = ? AND row = ?")
        for r in renumbered { try move.execute(arguments: [-r.to, r.source, r.from]) }
        try db.execute(sql: "UPDATE record SET row = -row WHERE row < 0")
        let insert = try db.makeStatement(sql: """
            INSERT OR REPLACE INTO record (source, row, person, hash, fields, confidence) VALUES (?, ?, ?, ?, ?, ?)
            """)
        for (k, a) in added.enumerated() {
            let text = texts[a.t][a.row]
            try insert.execute(arguments: [tables[a.t].source.name, a.number, personOf[k]!, Me.rowHash(text), text, Double(confidence[k])])
        }
        let settingsOf = try db.makeStatement(sql: "INSERT OR REPLACE INTO source (name, roles, settings) VALUES (?, ?, ?)")
        for table in tables { try settingsOf.execute(arguments: [table.source.name, Me.json(table.roles), Me.json(table.source)]) }
        FileFault.step()

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
        var gathered: [String: (rows: [UInt32], fields: [[String]], person: [Int32], confidence: [Float])] = [:]
        let rowsOf = try db.makeStatement(sql: "SELECT source, row, fields, confidence FROM record WHERE person = ?")
        for id in persons {
            let cursor = try Row.fetchCursor(rowsOf, arguments: [id])
            while let r = try cursor.next() {
                let source: String = r[0]
                var entry = gathered[source] ?? ([], [], [], [])
                entry.rows.append(UInt32(r[1] as Int))
                entry.fields.append(((r[2] as String?) ?? "").split(separator: Character(Me.fieldSeparator), omittingEmptySubsequences: false).map(String.init))
                entry.person.append(local[id]!)
                entry.confidence.append(Float((r[3] as Double?) ?? 0))
                gathered[source] = entry
            }
        }
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
                                                     persons: persons.count, seed: seed)
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
                                          settings: settings, normalizer: normalizer, db)
        summary.sources = changes
        progress?(String(format: "write: %.2f s", watch.lap()))
        return summary
    }
}

extension PopulationBase {
    /// Writes the persons an incremental update touched (`evaluated[k]` is person `ids[k]`),
    /// retires `gone`, and records the update: persons new and changed, the ledger per label
    /// and village (persisting cases counted over the whole base).
    static func writePersons(_ evaluated: [CoveragePerson], ids: [String], gone: [String], labelNames: [String], asOf: CivilDate,
                             settings: String?, normalizer: NameNormalizer, _ db: Database) throws -> UpdateSummary {
        try db.execute(sql: "INSERT INTO update_log (at, as_of, settings) VALUES (?, ?, ?)",
                       arguments: [ISO8601DateFormatter().string(from: Date()), asOf.description, settings])
        let number = Int(db.lastInsertedRowID)
        let change = try db.makeStatement(sql: "INSERT INTO person_change (update_id, person, kind, detail) VALUES (?, ?, ?, ?)")
        // What the base holds for them now (a new person's placeholder counts as nothing).
        let fetch = try db.makeStatement(sql: "\(storedSelect) WHERE p.id = ?")
        var stored: [String: Stored] = [:]
        for id in ids + gone {
            guard let row = try Row.fetchOne(fetch, arguments: [id]) else { continue }
            let s = Self.stored(row)
            if !s.key.hasPrefix("new:") { stored[id] = s }
        }
        // Keys are freed first: a key may move between the persons written here.
        let free = try db.makeStatement(sql: "UPDATE person SET person_key = 'moving:' || id WHERE id = ?")
        for id in ids + gone { try free.execute(arguments: [id]) }
        let upsert = try db.makeStatement(sql: """
            UPDATE person SET person_key = ?, name = ?, sex = ?, birth = ?, id_number = ?, phone = ?, county = ?, township = ?,
              village = ?, grid = ?, hukou_county = ?, hukou_township = ?, hukou_village = ?, action = ?, link_confidence = ?, active = 1
            WHERE id = ?
            """)
        let keyOnly = try db.makeStatement(sql: "UPDATE person SET person_key = ? WHERE id = ?")
        let label = try db.makeStatement(sql: "INSERT INTO person_label (person, label) VALUES (?, ?)")
        let dropLabels = try db.makeStatement(sql: "DELETE FROM person_label WHERE person = ?")
        let dropKeys = try db.makeStatement(sql: "DELETE FROM block_key WHERE person = ?")
        let addKey = try db.makeStatement(sql: "INSERT OR IGNORE INTO block_key (key, person) VALUES (?, ?)")
        let keys = personKeys(evaluated, normalizer: normalizer)
        var tally: [String: (new: Int, resolved: Int)] = [:]   // "label|county|township|village"
        func count(_ l: Int, _ c: String, _ t: String, _ v: String, resolved: Bool) {
            let key = "\(l)|\(c)|\(t)|\(v)"
            var e = tally[key] ?? (0, 0)
            if resolved { e.resolved += 1 } else { e.new += 1 }
            tally[key] = e
        }
        var summary = UpdateSummary(update: number, persons: 0, new: 0, gone: 0, changed: 0, unchanged: 0, merged: 0, split: 0)
        for (k, p) in evaluated.enumerated() {
            let id = ids[k]
            let old = stored[id]
            if old?.values == signature(p) {
                try keyOnly.execute(arguments: [p.key, id])
            } else {
                try upsert.execute(arguments: [p.key, p.name, p.sex.map { Int($0.rawValue) }, p.birthDate?.description, p.idNumber, p.phone,
                                               p.area.county, p.area.township, p.area.village, p.area.grid,
                                               p.hukou.county, p.hukou.township, p.hukou.village, p.action, Double(p.linkConfidence), id])
                try dropKeys.execute(arguments: [id])
                for x in keys[k] { try addKey.execute(arguments: [x, id]) }
            }
            let now = Set(p.labels)
            if old?.labels != now {
                try dropLabels.execute(arguments: [id])
                for l in p.labels { try label.execute(arguments: [id, l]) }
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
            if k % 500 == 499 { FileFault.step() }   // `ZHAOREN_FAULTS=kill:after=N` can kill the update here
        }
        for id in gone {
            guard let s = stored[id] else { continue }
            summary.gone += 1
            try change.execute(arguments: [number, id, "gone", ""])
            try retire(id, s, db)
            for l in s.labels { count(l, s.county, s.township, s.village, resolved: true) }
        }
        // The ledger: new and resolved from the persons written, persisting over the whole base.
        var lines: [String: (new: Int, resolved: Int, persisting: Int)] = [:]
        for row in try Row.fetchAll(db, sql: """
            SELECT pl.label, p.county, p.township, p.village, COUNT(*) FROM person_label pl JOIN person p ON p.id = pl.person
            WHERE p.active = 1 GROUP BY pl.label, p.county, p.township, p.village
            """) {
            let key = "\(row[0] as Int)|\(row[1] as String)|\(row[2] as String)|\(row[3] as String)"
            let t = tally[key] ?? (0, 0)
            lines[key] = (t.new, t.resolved, (row[4] as Int) - t.new)
        }
        for (key, t) in tally where lines[key] == nil { lines[key] = (t.new, t.resolved, 0) }
        let line = try db.makeStatement(sql: """
            INSERT INTO label_change (update_id, label, county, township, village, new, resolved, persisting) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """)
        for (key, e) in lines.sorted(by: { $0.key < $1.key }) {
            let f = key.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
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
