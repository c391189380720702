import Foundation
import GRDB
import Zhaoren
import ZhaorenCoverage

/// Applying a new coverage run to a base: persons keep their ids, the month's changes are
/// recorded (the 台账), notes stay, all in one transaction.
///
/// This version reconciles a whole new run with the stored persons (the run itself re-links
/// every row): a new person takes the id of the stored person with the same key (the ID
/// number), else of the stored person whose source rows it shares the most of, else of the one
/// with the same name, birth date and village; stored persons claimed by no one are marked gone
/// (their notes stay). Two stored persons ending in one new person are recorded as a merge, a
/// stored person's rows ending in two new persons as a split.
extension PopulationBase {
    /// What an update changed.
    public struct UpdateSummary: Sendable, Equatable {
        /// The update's number (1 for the first update after the build).
        public var update: Int
        /// Persons in the base after the update (not counting gone ones).
        public var persons: Int
        /// Persons new this update, gone, whose labels or action changed, and untouched.
        public var new: Int, gone: Int, changed: Int, unchanged: Int
        /// Stored persons merged into another, and new persons split off a stored one.
        public var merged: Int, split: Int
        /// Per source file of an incremental update: rows read, kept, added and removed.
        public var sources: [SourceChange] = []
    }

    /// One line of the ledger: for a label in a village, persons for whom it became true this
    /// update (`new`), stopped being true (`resolved`), or stayed true (`persisting`).
    public struct LedgerLine: Sendable, Equatable, Codable {
        public var update: Int
        public var label: String
        public var county: String, township: String, village: String
        public var new: Int, resolved: Int, persisting: Int
    }

    /// Applies `result` (a full coverage run on this month's files, every row re-linked with a
    /// newly trained model) to the base, in one transaction: killed at any moment, the base is
    /// the old one or the new one. Persons keep their ids; the run is the whole truth (persons
    /// of sources it does not read are gone). With the run's rows (`run(keepRows: true)`), the
    /// stored rows, keys, places and model are replaced by the run's, for later incremental
    /// updates. This is `zhaoren base retrain`; a month's files go in with
    /// ``update(run:settings:rejects:progress:)``.
    /// - Throws: `ZhaorenError(.io)` when the base cannot be written (it is then unchanged).
    @discardableResult
    public func retrain(from result: CoverageResult, settings: String? = nil) throws(ZhaorenError) -> UpdateSummary {
        do {
            return try database.write { db in
                // The updates' row and key changes folded in first: the retrain reads and
                // rewrites the tables themselves.
                try Self.foldRowChanges(db, always: true)
                try Self.foldKeyChanges(db, always: true)
                let (summary, ids) = try Self.apply(result, settings: settings, db)
                if result.rows != nil {
                    try db.execute(sql: "DELETE FROM record; DELETE FROM record_change; DELETE FROM block_key; DELETE FROM block_key_change; DELETE FROM source")
                    _ = try Self.storeRows(result, ids: ids, db)
                }
                try Self.countLabels(db)
                return summary
            }
        } catch let error as ZhaorenError {
            throw error
        } catch {
            throw ZhaorenError(.io, "cannot update the base: \(Self.reason(error))", file: url.path)
        }
    }

    /// The number of the latest update (0 when the base was never updated).
    public func latestUpdate() throws(ZhaorenError) -> Int {
        try read { db in try Int.fetchOne(db, sql: "SELECT COALESCE(MAX(id), 0) FROM update_log") ?? 0 }
    }

    /// The ledger of update `number` (the latest when `nil`), by label and area.
    public func ledger(update number: Int? = nil) throws(ZhaorenError) -> [LedgerLine] {
        try read { db in
            let n = try number ?? Int.fetchOne(db, sql: "SELECT MAX(id) FROM update_log") ?? 0
            return try Row.fetchAll(db, sql: """
                SELECT update_id, label, county, township, village, new, resolved, persisting
                FROM label_change WHERE update_id = ? ORDER BY id
                """, arguments: [n]).map {
                LedgerLine(update: $0[0], label: $0[1], county: $0[2], township: $0[3], village: $0[4],
                           new: $0[5], resolved: $0[6], persisting: $0[7])
            }
        }
    }

    /// The person-level changes of update `number`: (person, kind, detail), kind one of `new`,
    /// `gone`, `merged`, `split`, `changed`.
    public func personChanges(update number: Int) throws(ZhaorenError) -> [(person: String, kind: String, detail: String)] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT person, kind, detail FROM person_change WHERE update_id = ? ORDER BY id", arguments: [number])
                .map { (person: $0[0] as String, kind: $0[1] as String, detail: $0[2] as String) }
        }
    }

    /// A stored person, as reconciliation needs it.
    struct Stored {
        var id: String, key: String, name: String, birth: String?, village: String
        var labels: Set<Int>, action: Int?
        var county: String, township: String
        var idNumber: String? = nil, phone: String? = nil
        /// Every stored column but the id (``signatureColumns``), as text.
        var parts: [String]
        /// The parts joined: equal for a person whose values did not change.
        var values: String { parts.joined(separator: "\u{1F}") }
    }

    /// The person columns compared between months, in the order of ``signatureParts(_:)``.
    static let signatureColumns = ["person_key", "name", "sex", "birth", "id_number", "phone", "county", "township", "village", "grid",
                                   "hukou_county", "hukou_township", "hukou_village", "action", "link_confidence"]

    /// The columns of a person compared between months, as text.
    static func signatureParts(_ p: CoveragePerson) -> [String] {
        [p.key, p.name, p.sex.map { String($0.rawValue) } ?? "", p.birthDate?.description ?? "", p.idNumber ?? "", p.phone ?? "",
         p.area.county, p.area.township, p.area.village, p.area.grid, p.hukou.county, p.hukou.township, p.hukou.village,
         p.action.map(String.init) ?? "", String(Double(p.linkConfidence))]
    }

    /// The columns of a person compared between months, joined (a separator no value holds).
    static func signature(_ p: CoveragePerson) -> String { signatureParts(p).joined(separator: "\u{1F}") }

    /// The stored columns ``stored(_:)`` reads.
    static let storedSelect = """
        SELECT p.id, p.person_key, p.name, p.sex, p.birth, p.id_number, p.phone, p.county, p.township, p.village, p.grid,
               p.hukou_county, p.hukou_township, p.hukou_village, p.action, p.link_confidence,
               (SELECT group_concat(label, ',') FROM person_label WHERE person = p.id) AS labels, p.rowid
        FROM person p
        """

    /// A stored person from a row of ``storedSelect`` (read by position: a column looked up by
    /// name costs a case-insensitive search per value).
    static func stored(_ row: Row) -> Stored {
        let labels = Set(((row[16] as String?) ?? "").split(separator: ",").compactMap { Int($0) })
        let sex: Int? = row[3], action: Int? = row[14], confidence: Double = row[15]
        func text(_ column: Int) -> String { (row[column] as String?) ?? "" }
        let texts = (0..<14).map { $0 == 3 ? "" : text($0) }   // column 3 (sex) is a number
        let parts = [texts[1], texts[2], sex.map(String.init) ?? "", texts[4], texts[5], texts[6], texts[7], texts[8], texts[9],
                     texts[10], texts[11], texts[12], texts[13], action.map(String.init) ?? "", String(confidence)]
        return Stored(id: texts[0], key: texts[1], name: texts[2], birth: row[4], village: texts[9],
                      labels: labels, action: action, county: texts[7], township: texts[8],
                      idNumber: row[5], phone: row[6], parts: parts)
    }

    static func apply(_ result: CoverageResult, settings: String?, _ db: Database) throws -> (UpdateSummary, [String]) {
        // Labels and actions by name (a settings change may renumber them).
        let oldLabels = try String.fetchAll(db, sql: "SELECT name FROM label ORDER BY id")
        var stored: [String: Stored] = [:]
        for row in try Row.fetchAll(db, sql: "\(storedSelect) WHERE p.active = 1") {
            let s = Self.stored(row)
            stored[s.id] = s
        }
        var byKey: [String: String] = [:], byRecord: [SourceRow: String] = [:], byNameBirth: [String: [String]] = [:]
        for s in stored.values {
            byKey[s.key] = s.id
            byNameBirth["\(s.name)|\(s.birth ?? "")|\(s.village)", default: []].append(s.id)
        }
        for row in try Row.fetchAll(db, sql: "SELECT r.source, r.row, r.person FROM record r JOIN person p ON p.id = r.person WHERE p.active = 1") {
            byRecord[SourceRow(source: row[0], row: row[1])] = row[2]
        }
        // Reconcile: each new person takes a stored id or a new one.
        var claimed: [String: Int] = [:]           // stored id → new person index
        var assigned = [String?](repeating: nil, count: result.persons.count)
        var merges: [(from: String, into: Int)] = [], splits: [(from: String, new: Int)] = []
        for (k, p) in result.persons.enumerated() {      // by key first
            if let id = byKey[p.key], claimed[id] == nil { claimed[id] = k; assigned[k] = id }
        }
        for (k, p) in result.persons.enumerated() where assigned[k] == nil {   // then by shared rows
            var overlap: [String: Int] = [:]
            for r in p.records { if let id = byRecord[r] { overlap[id, default: 0] += 1 } }
            let ranked = overlap.sorted { ($0.value, $1.key) > ($1.value, $0.key) }
            if let best = ranked.first(where: { claimed[$0.key] == nil }) {
                claimed[best.key] = k; assigned[k] = best.key
            } else if let taken = ranked.first {
                splits.append((from: taken.key, new: k))
            }
        }
        for (k, p) in result.persons.enumerated() where assigned[k] == nil {   // then by name, birth and village
            let key = "\(p.name)|\(p.birthDate?.description ?? "")|\(p.area.village)"
            if let id = byNameBirth[key]?.first(where: { claimed[$0] == nil }) { claimed[id] = k; assigned[k] = id }
        }
        // Stored persons left over whose rows went into a claimed person were merged into it.
        var newByRecord: [SourceRow: Int] = [:]
        for (k, p) in result.persons.enumerated() { for r in p.records { newByRecord[r] = k } }
        var storedRecords: [String: [SourceRow]] = [:]
        for (r, id) in byRecord where claimed[id] == nil { storedRecords[id, default: []].append(r) }
        var goneIDs: [String] = []
        for s in stored.values.sorted(by: { $0.id < $1.id }) where claimed[s.id] == nil {
            let into = (storedRecords[s.id] ?? []).sorted { ($0.source, $0.row) < ($1.source, $1.row) }
                .lazy.compactMap { newByRecord[$0] }.first { assigned[$0] != nil }
            if let into { merges.append((from: s.id, into: into)) } else { goneIDs.append(s.id) }
        }
        // The update's number and log.
        try db.execute(sql: "INSERT INTO update_log (at, as_of, settings) VALUES (?, ?, ?)",
                       arguments: [ISO8601DateFormatter().string(from: Date()), result.asOf.description, settings])
        let number = Int(db.lastInsertedRowID)
        let change = try db.makeStatement(sql: "INSERT INTO person_change (update_id, person, kind, detail) VALUES (?, ?, ?, ?)")
        // Labels and actions of the new run replace the tables (the ledger keeps label names);
        // label numbers of stored persons are renumbered by name when they moved.
        let relabel = oldLabels.map { result.labelNames.firstIndex(of: $0) }
        let renumbered = relabel.enumerated().contains { $0.element != $0.offset } || oldLabels.count != result.labelNames.count
        if renumbered {
            try db.execute(sql: "DELETE FROM person_label")
            for s in stored.values {
                stored[s.id]!.labels = Set(s.labels.compactMap { $0 < relabel.count ? relabel[$0] : nil })
            }
        }
        if renumbered {
            try db.execute(sql: "DELETE FROM label")
            for (k, name) in result.labelNames.enumerated() {
                try db.execute(sql: "INSERT INTO label (id, name) VALUES (?, ?)", arguments: [k, name])
            }
        }
        try db.execute(sql: "DELETE FROM action")
        for (k, a) in result.actions.enumerated() {
            try db.execute(sql: "INSERT INTO action (id, name, text) VALUES (?, ?, ?)", arguments: [k, a.name, a.text])
        }
        // Stored rows per person, to see whose rows changed.
        var rowsOf: [String: [SourceRow]] = [:]
        for (r, id) in byRecord { rowsOf[id, default: []].append(r) }
        // Persons: only those whose values, labels or rows changed are written.
        let upsert = try db.makeStatement(sql: """
            INSERT INTO person (id, person_key, name, sex, birth, id_number, phone, county, township, village, grid,
                                hukou_county, hukou_township, hukou_village, action, link_confidence, active)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)
            ON CONFLICT(id) DO UPDATE SET person_key = excluded.person_key, name = excluded.name, sex = excluded.sex,
              birth = excluded.birth, id_number = excluded.id_number, phone = excluded.phone, county = excluded.county,
              township = excluded.township, village = excluded.village, grid = excluded.grid, hukou_county = excluded.hukou_county,
              hukou_township = excluded.hukou_township, hukou_village = excluded.hukou_village, action = excluded.action,
              link_confidence = excluded.link_confidence, active = 1
            """)
        let label = try db.makeStatement(sql: "INSERT INTO person_label (person, label) VALUES (?, ?)")
        let record = try db.makeStatement(sql: "INSERT OR REPLACE INTO record (source, row, person) VALUES (?, ?, ?)")
        let dropLabels = try db.makeStatement(sql: "DELETE FROM person_label WHERE person = ?")
        let dropRecords = try db.makeStatement(sql: "DELETE FROM record WHERE person = ?")
        // Keys that move to another person (a merge) are freed first.
        var keyOwner: [String: String] = [:]
        for (k, p) in result.persons.enumerated() { if let id = assigned[k] { keyOwner[p.key] = id } }
        let free = try db.makeStatement(sql: "UPDATE person SET person_key = 'moving:' || id WHERE id = ?")
        for s in stored.values where keyOwner[s.key] != s.id { try free.execute(arguments: [s.id]) }
        var tally: [String: (new: Int, resolved: Int, persisting: Int)] = [:]   // "label|county|township|village"
        func count(_ label: Int, _ c: String, _ t: String, _ v: String, _ kind: Int) {
            let key = "\(label)|\(c)|\(t)|\(v)"
            var e = tally[key] ?? (0, 0, 0)
            if kind == 0 { e.new += 1 } else if kind == 1 { e.resolved += 1 } else { e.persisting += 1 }
            tally[key] = e
        }
        var ids = Set(stored.keys)
        var random = SystemRandomNumberGenerator()
        var summary = UpdateSummary(update: number, persons: result.persons.count, new: 0, gone: 0, changed: 0, unchanged: 0,
                                    merged: merges.count, split: splits.count)
        for (k, p) in result.persons.enumerated() {
            let id: String
            if let known = assigned[k] { id = known } else {
                var fresh: String
                repeat { fresh = String(format: "%016llx", random.next() as UInt64) } while !ids.insert(fresh).inserted
                id = fresh
                assigned[k] = fresh
            }
            let old = stored[id]
            let sameValues = old?.values == signature(p)
            let sameLabels = !renumbered && old?.labels == Set(p.labels)
            let sameRows = old != nil && Set(rowsOf[id] ?? []) == Set(p.records)
            if !sameValues {
                try upsert.execute(arguments: [id, p.key, p.name, p.sex.map { Int($0.rawValue) }, p.birthDate?.description, p.idNumber, p.phone,
                                               p.area.county, p.area.township, p.area.village, p.area.grid,
                                               p.hukou.county, p.hukou.township, p.hukou.village, p.action, Double(p.linkConfidence)])
            }
            if !sameLabels {
                if old != nil && !renumbered { try dropLabels.execute(arguments: [id]) }
                for l in p.labels { try label.execute(arguments: [id, l]) }
            }
            if !sameRows {
                if old != nil { try dropRecords.execute(arguments: [id]) }
                for r in p.records { try record.execute(arguments: [r.source, r.row, id]) }
            }
            let now = Set(p.labels)
            if let before = stored[id] {
                let was = before.labels
                for l in now { count(l, p.area.county, p.area.township, p.area.village, was.contains(l) ? 2 : 0) }
                for l in was.subtracting(now) { count(l, before.county, before.township, before.village, 1) }
                let oldAction = before.action.flatMap { $0 < result.actions.count ? $0 : nil }
                if was != now || oldAction != p.action {
                    summary.changed += 1
                    let added = now.subtracting(was).sorted().map { result.labelNames[$0] }
                    let removed = was.subtracting(now).sorted().map { result.labelNames[$0] }
                    try change.execute(arguments: [number, id, "changed", "+" + added.joined(separator: ",") + " -" + removed.joined(separator: ",")])
                } else {
                    summary.unchanged += 1
                }
            } else {
                summary.new += 1
                for l in now { count(l, p.area.county, p.area.township, p.area.village, 0) }
                try change.execute(arguments: [number, id, "new", ""])
            }
            if k % 500 == 499 { FileFault.step() }   // `ZHAOREN_FAULTS=kill:after=N` can kill the update here
        }
        for (from, into) in merges {
            try change.execute(arguments: [number, from, "merged", assigned[into]!])
            try retire(from, stored[from]!, db)
            for l in stored[from]!.labels { count(l, stored[from]!.county, stored[from]!.township, stored[from]!.village, 1) }
        }
        for (from, new) in splits { try change.execute(arguments: [number, assigned[new]!, "split", from]) }
        for id in goneIDs {
            summary.gone += 1
            try change.execute(arguments: [number, id, "gone", ""])
            try retire(id, stored[id]!, db)
            for l in stored[id]!.labels { count(l, stored[id]!.county, stored[id]!.township, stored[id]!.village, 1) }
        }
        let line = try db.makeStatement(sql: """
            INSERT INTO label_change (update_id, label, county, township, village, new, resolved, persisting) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """)
        for (key, e) in tally.sorted(by: { $0.key < $1.key }) {
            let f = key.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
            try line.execute(arguments: [number, result.labelNames[Int(f[0])!], f[1], f[2], f[3], e.new, e.resolved, e.persisting])
        }
        try db.execute(sql: "UPDATE meta SET value = ? WHERE key = 'as_of'", arguments: [result.asOf.description])
        if let settings { try db.execute(sql: "INSERT OR REPLACE INTO meta (key, value) VALUES ('settings', ?)", arguments: [settings]) }
        return (summary, assigned.map { $0! })
    }

    /// Marks a stored person gone: no records, labels or action; notes stay. (Blocking keys
    /// left behind find no one: candidates are read among active persons.)
    static func retire(_ id: String, _ s: Stored, _ db: Database) throws {
        try db.execute(sql: "UPDATE person SET active = 0, action = NULL, person_key = 'retired:' || id WHERE id = ?", arguments: [id])
        try db.execute(sql: "DELETE FROM person_label WHERE person = ?", arguments: [id])
        try db.execute(sql: "DELETE FROM record WHERE person = ?", arguments: [id])
    }
}

extension PopulationBase {
    /// Column `column` of ``signatureColumns`` of person `p`, as the base stores it.
    static func databaseValue(_ p: CoveragePerson, column: Int) -> DatabaseValue {
        switch column {
        case 0: p.key.databaseValue
        case 1: p.name.databaseValue
        case 2: (p.sex.map { Int($0.rawValue) }).databaseValue
        case 3: p.birthDate?.description.databaseValue ?? .null
        case 4: p.idNumber.databaseValue
        case 5: p.phone.databaseValue
        case 6: p.area.county.databaseValue
        case 7: p.area.township.databaseValue
        case 8: p.area.village.databaseValue
        case 9: p.area.grid.databaseValue
        case 10: p.hukou.county.databaseValue
        case 11: p.hukou.township.databaseValue
        case 12: p.hukou.village.databaseValue
        case 13: p.action.databaseValue
        case 14: Double(p.linkConfidence).databaseValue
        default: preconditionFailure("no person column \(column) in signatureColumns")
        }
    }
}
