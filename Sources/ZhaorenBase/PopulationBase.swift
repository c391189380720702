#if canImport(Glibc)
import Glibc
#endif
import Foundation
import GRDB
import Zhaoren
import ZhaorenCoverage

/// The population base as one SQLite file: every person of a coverage run with an opaque,
/// stable id, their linked source rows, area, labels and recommended action, and the workers'
/// notes. Copy the file and you have the base.
///
/// ```swift
/// let result = try CoverageRun(settings: settings).run()
/// let summary = try PopulationBase.build(from: result, to: URL(fileURLWithPath: "base.sqlite"))
/// let base = try PopulationBase(opening: URL(fileURLWithPath: "base.sqlite"))
/// let person = try base.person(summary.firstPersonID!)
/// ```
public final class PopulationBase: Sendable {
    /// The database (a pool: reads run concurrently with a write).
    let database: DatabasePool
    /// The file.
    public let url: URL
    /// The label names, by label number.
    public let labelNames: [String]
    /// The actions, by action number.
    public let actions: [CoverageAction]
    /// The reference date of the run the base was built from.
    public let asOf: String

    /// The schema, one migration per version.
    static var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()
        m.registerMigration("v1") { db in
            try db.create(table: "meta") { t in
                t.primaryKey("key", .text)
                t.column("value", .text).notNull()
            }
            try db.create(table: "label") { t in
                t.primaryKey("id", .integer)
                t.column("name", .text).notNull()
            }
            try db.create(table: "action") { t in
                t.primaryKey("id", .integer)
                t.column("name", .text).notNull()
                t.column("text", .text).notNull()
            }
            try db.create(table: "person") { t in
                t.primaryKey("id", .text)
                t.column("person_key", .text).notNull().unique()
                t.column("name", .text).notNull()
                t.column("sex", .integer)
                t.column("birth", .text)
                t.column("id_number", .text)
                t.column("phone", .text)
                t.column("county", .text).notNull()
                t.column("township", .text).notNull()
                t.column("village", .text).notNull()
                t.column("grid", .text).notNull()
                t.column("hukou_county", .text).notNull()
                t.column("hukou_township", .text).notNull()
                t.column("hukou_village", .text).notNull()
                t.column("action", .integer)
                t.column("link_confidence", .double).notNull()
            }
            try db.create(index: "person_by_id_number", on: "person", columns: ["id_number"])
            try db.create(index: "person_by_area", on: "person", columns: ["county", "township", "village"])
            try db.create(index: "person_by_name", on: "person", columns: ["name", "birth"])
            try db.create(table: "person_label") { t in
                t.column("person", .text).notNull().references("person", onDelete: .cascade)
                t.column("label", .integer).notNull().references("label")
                t.primaryKey(["person", "label"])
            }
            try db.create(table: "record") { t in
                t.column("source", .text).notNull()
                t.column("row", .integer).notNull()
                t.column("person", .text).notNull().references("person", onDelete: .cascade)
                t.primaryKey(["source", "row"])
            }
            try db.create(index: "record_by_person", on: "record", columns: ["person"])
            try db.create(table: "note") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("person", .text).notNull().references("person")
                t.column("user", .text).notNull()
                t.column("at", .text).notNull()
                t.column("text", .text).notNull()
            }
            try db.create(index: "note_by_person", on: "note", columns: ["person"])
            // Who read which person, when and through which endpoint (no values).
            try db.create(table: "audit") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("user", .text).notNull()
                t.column("at", .text).notNull()
                t.column("endpoint", .text).notNull()
                t.column("person", .text).notNull()
            }
        }
        m.registerMigration("v2") { db in
            // Persons no longer in the month's files stay (with their notes), marked gone.
            try db.alter(table: "person") { t in t.add(column: "active", .integer).notNull().defaults(to: 1) }
            // Every update: when, the run's reference date and settings.
            try db.create(table: "update_log") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("at", .text).notNull()
                t.column("as_of", .text).notNull()
                t.column("settings", .text)
            }
            // Per update: persons new, gone, merged, split, changed.
            try db.create(table: "person_change") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("update_id", .integer).notNull().references("update_log")
                t.column("person", .text).notNull()
                t.column("kind", .text).notNull()
                t.column("detail", .text).notNull()
            }
            // Per update, label and village: cases new, resolved and persisting (the 台账).
            try db.create(table: "label_change") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("update_id", .integer).notNull().references("update_log")
                t.column("label", .text).notNull()
                t.column("county", .text).notNull()
                t.column("township", .text).notNull()
                t.column("village", .text).notNull()
                t.column("new", .integer).notNull()
                t.column("resolved", .integer).notNull()
                t.column("persisting", .integer).notNull()
            }
        }
        m.registerMigration("v3") { db in
            // What an incremental update needs: each row's values and the link's confidence,
            // the sources' roles and rows' content hashes, and the persons' blocking keys.
            try db.alter(table: "record") { t in
                t.add(column: "fields", .text)
                t.add(column: "confidence", .double)
            }
            try db.create(table: "source") { t in
                t.primaryKey("name", .text)
                t.column("roles", .text).notNull()      // JSON array, the order of `record.fields`
                t.column("settings", .text).notNull()   // the source's settings (JSON)
                t.column("hashes", .blob)               // (hash, row) pairs, sorted: see `SourceHashes`
            }
            // Who ran an update through the service (NULL from the command line).
            try db.alter(table: "update_log") { t in t.add(column: "user", .text) }
            try db.create(table: "block_key", options: .withoutRowID) { t in
                t.column("key", .integer).notNull()
                t.column("person", .text).notNull()
                t.primaryKey(["key", "person"])
            }
            // Persons per label and village, kept by updates (the ledger's persisting cases).
            try db.create(table: "label_count") { t in
                t.column("label", .integer).notNull()
                t.column("county", .text).notNull()
                t.column("township", .text).notNull()
                t.column("village", .text).notNull()
                t.column("n", .integer).notNull()
                t.primaryKey(["label", "county", "township", "village"])
            }
        }
        m.registerMigration("v4", foreignKeyChecks: .immediate) { db in   // (a new table: no need to check every row of the file)
            // The blocking keys an update adds (present = 1) or drops (present = 0), beside the
            // keys of the last build: a month's changes go into this small table, in key order,
            // instead of touching most pages of `block_key`. Folded into it once they grow to an
            // eighth of it (``PopulationBase/foldKeyChanges(_:)``).
            try db.create(table: "block_key_change", options: .withoutRowID) { t in
                t.column("key", .integer).notNull()
                t.column("person", .text).notNull()
                t.column("present", .integer).notNull()
                t.primaryKey(["key", "person"])
            }
        }
        m.registerMigration("v5", foreignKeyChecks: .immediate) { db in
            // The rows updates changed since the build, beside `record` (see `StoredRow`).
            try db.create(table: "record_change", options: .withoutRowID) { t in
                t.column("source", .text).notNull()
                t.column("row", .integer).notNull()
                t.column("person", .text).notNull()   // "" for a removed row
                t.column("fields", .text)
                t.column("confidence", .double)
                t.column("present", .integer).notNull()
                t.primaryKey(["source", "row"])
            }
            try db.create(index: "record_change_by_person", on: "record_change", columns: ["person"])
        }
        return m
    }

    /// The memory map of a connection to the base: the whole file (8 GiB at most).
    static let mmapSize = 8_589_934_592

    /// Opens a base.
    /// - Throws: `ZhaorenError(.io)` when the file is missing or not a base.
    public init(opening url: URL) throws(ZhaorenError) {
        self.url = url
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw ZhaorenError(.io, "no base here; build one with zhaoren base build", file: url.path)
        }
        do {
            var config = Configuration()
            config.busyMode = .timeout(10)
            config.foreignKeysEnabled = true
            // In WAL mode a commit stays atomic and survives a killed process without syncing
            // the log (only a power cut may lose the last commit, never mix two).
            // Pages read through a memory map, not a system call each (an update reads rows
            // scattered over the whole file).
            config.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = NORMAL; PRAGMA mmap_size = \(Self.mmapSize)") }
            database = try DatabasePool(path: url.path, configuration: config)
            try Self.migrator.migrate(database)
            let (labels, actions, meta) = try database.read { db in
                (try String.fetchAll(db, sql: "SELECT name FROM label ORDER BY id"),
                 try Row.fetchAll(db, sql: "SELECT name, text FROM action ORDER BY id").map { CoverageAction(name: $0["name"], text: $0["text"]) },
                 try Dictionary(uniqueKeysWithValues: Row.fetchAll(db, sql: "SELECT key, value FROM meta").map { ($0["key"] as String, $0["value"] as String) }))
            }
            labelNames = labels
            self.actions = actions
            asOf = meta["as_of"] ?? ""
            guard meta["format"] == Self.format else {
                throw ZhaorenError(.malformedInput, "not a zhaoren population base (or one of another version)", file: url.path)
            }
        } catch let error as ZhaorenError {
            throw error
        } catch {
            throw ZhaorenError(.io, "cannot open the base: \(Self.reason(error))", file: url.path)
        }
    }

    /// The `format` meta value this version writes and reads.
    static let format = "zhaoren-base-1"

    /// SQLite's message, without the SQL statement (which may hold values).
    static func reason(_ error: any Error) -> String {
        if let e = error as? DatabaseError { return e.message ?? "SQLite error \(e.resultCode.rawValue)" }
        return String(describing: error)
    }

    /// What ``build(from:settings:to:)`` wrote.
    public struct BuildSummary: Sendable {
        /// Persons stored.
        public var persons: Int
        /// Source rows stored (every row linked to a person).
        public var records: Int
        /// The id of the first person stored (for examples and smoke tests), if any.
        public var firstPersonID: String?
    }

    /// Writes a new base from a coverage run into `url`, atomically: the file is built beside it
    /// and renamed into place, so a reader sees the old base or the new one. Person ids are new
    /// random opaque ids (16 hexadecimal digits), unrelated to any value of the person.
    /// - Throws: `ZhaorenError(.io)` when the file cannot be written.
    @discardableResult
    public static func build(from result: CoverageResult, settings: String? = nil, to url: URL) throws(ZhaorenError) -> BuildSummary {
        let folder = url.deletingLastPathComponent()
        let temporary = folder.appendingPathComponent(".\(url.lastPathComponent).\(getpid()).tmp")
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            for suffix in ["", "-wal", "-shm", "-journal"] { try? FileManager.default.removeItem(atPath: temporary.path + suffix) }
            var summary = BuildSummary(persons: 0, records: 0, firstPersonID: nil)
            do {
                var config = Configuration()
                config.foreignKeysEnabled = true
                let queue = try DatabaseQueue(path: temporary.path, configuration: config)
                // A file nobody reads until it is renamed into place: no journal, no syncs while
                // filling it (it is synced once before the rename).
                try queue.writeWithoutTransaction { db in
                    try db.execute(sql: "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA cache_size = -262144")
                }
                try migrator.migrate(queue)
                try queue.write { db in
                    let meta = try db.makeStatement(sql: "INSERT INTO meta (key, value) VALUES (?, ?)")
                    try meta.execute(arguments: ["format", format])
                    try meta.execute(arguments: ["as_of", result.asOf.description])
                    try meta.execute(arguments: ["built_at", ISO8601DateFormatter().string(from: Date())])
                    if let settings { try meta.execute(arguments: ["settings", settings]) }
                    for (k, name) in result.labelNames.enumerated() {
                        try db.execute(sql: "INSERT INTO label (id, name) VALUES (?, ?)", arguments: [k, name])
                    }
                    for (k, a) in result.actions.enumerated() {
                        try db.execute(sql: "INSERT INTO action (id, name, text) VALUES (?, ?, ?)", arguments: [k, a.name, a.text])
                    }
                    let person = try db.makeStatement(sql: """
                        INSERT INTO person (id, person_key, name, sex, birth, id_number, phone, county, township, village, grid,
                                            hukou_county, hukou_township, hukou_village, action, link_confidence)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """)
                    let label = try db.makeStatement(sql: "INSERT INTO person_label (person, label) VALUES (?, ?)")
                    let record = try db.makeStatement(sql: "INSERT OR IGNORE INTO record (source, row, person) VALUES (?, ?, ?)")
                    var ids = Set<String>()
                    var random = SystemRandomNumberGenerator()
                    var personIDs: [String] = []
                    personIDs.reserveCapacity(result.persons.count)
                    for p in result.persons {
                        var id: String
                        repeat { id = String(format: "%016llx", random.next() as UInt64) } while !ids.insert(id).inserted
                        personIDs.append(id)
                        if summary.firstPersonID == nil { summary.firstPersonID = id }
                        try person.execute(arguments: [id, p.key, p.name, p.sex.map { Int($0.rawValue) }, p.birthDate?.description,
                                                       p.idNumber, p.phone, p.area.county, p.area.township, p.area.village, p.area.grid,
                                                       p.hukou.county, p.hukou.township, p.hukou.village, p.action, Double(p.linkConfidence)])
                        for l in p.labels { try label.execute(arguments: [id, l]) }
                        if result.rows == nil {
                            for r in p.records {
                                try record.execute(arguments: [r.source, r.row, id])
                                summary.records += db.changesCount
                            }
                        }
                        summary.persons += 1
                    }
                    if result.rows != nil { summary.records = try storeRows(result, ids: personIDs, db) }
                    try countLabels(db)
                }
                try queue.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA journal_mode = DELETE") }
                try queue.close()
            }
            let handle = try FileHandle(forUpdating: temporary)
            try handle.synchronize()
            try handle.close()
            // One rename: a reader opening the path sees the old base or the new one.
            guard rename(temporary.path, url.path) == 0 else {
                throw ZhaorenError(.io, "cannot put the base in place: \(String(cString: strerror(errno)))", file: url.path)
            }
            return summary
        } catch let error as ZhaorenError {
            try? FileManager.default.removeItem(at: temporary)
            throw error
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw ZhaorenError(.io, "cannot write the base: \(reason(error))", file: url.path)
        }
    }
}
