import Foundation
import GRDB

/// The stored rows as updates leave them: the rows of the last build (or fold) in `record`, and
/// what updates changed since in `record_change`, one entry per changed (source, row): the row
/// as it is now (`present = 1`) or its removal (`present = 0`). A month's changes go into the
/// small change table in (source, row) order instead of touching half the pages of `record`;
/// every reader takes a row's change before its built version. The changes are folded into
/// `record` once they number an eighth of it, and before a retrain.
extension PopulationBase {
    /// A stored row now: its person, values and link confidence.
    struct StoredRow: Sendable, Equatable {
        var person: String
        var fields: String?
        var confidence: Double?
    }

    /// Rows `keys` as they are now, in the order given (`nil` for a row not stored): one join
    /// over a temporary table rather than two lookups per row (on the 1.2 M city's month,
    /// 56,000 removed rows: 0.5 s one by one). `fields` false leaves each row's values out.
    static func storedRows(_ keys: [SourceRowKey], fields: Bool = true, _ db: Database) throws -> [StoredRow?] {
        guard !keys.isEmpty else { return [] }
        try db.execute(sql: """
            CREATE TEMP TABLE IF NOT EXISTS wanted_row (source TEXT NOT NULL, row INTEGER NOT NULL, PRIMARY KEY (source, row)) WITHOUT ROWID;
            DELETE FROM temp.wanted_row
            """)
        let insert = try db.makeStatement(sql: "INSERT OR IGNORE INTO temp.wanted_row (source, row) VALUES (?, ?)")
        for key in keys.sorted() { try insert.execute(arguments: [key.source, key.row]) }
        let values = fields ? "c.fields, r.fields" : "NULL, NULL"
        var found: [SourceRowKey: StoredRow] = [:]
        found.reserveCapacity(keys.count)
        let cursor = try Row.fetchCursor(db, sql: """
            SELECT w.source, w.row, c.present, c.person, \(values), c.confidence, r.person, r.confidence
            FROM temp.wanted_row w
            LEFT JOIN record_change c ON c.source = w.source AND c.row = w.row
            LEFT JOIN record r ON r.source = w.source AND r.row = w.row
            """)
        while let r = try cursor.next() {
            let key = SourceRowKey(source: r[0], row: r[1])
            if let present: Int = r[2] {
                // The row's change decides: present, or removed by an earlier update.
                if present == 1 { found[key] = StoredRow(person: r[3], fields: r[4], confidence: r[6]) }
            } else if let person: String = r[7] {
                found[key] = StoredRow(person: person, fields: r[5], confidence: r[8])
            }
        }
        try db.execute(sql: "DELETE FROM temp.wanted_row")
        return keys.map { found[$0] }
    }

    /// The rows of person `?1` now: (source, row, person, fields, confidence).
    static let rowsOfPerson = """
        SELECT source, row, person, fields, confidence FROM record_change WHERE person = ?1 AND present = 1
        UNION ALL
        SELECT r.source, r.row, r.person, r.fields, r.confidence FROM record r WHERE r.person = ?1
          AND NOT EXISTS (SELECT 1 FROM record_change c WHERE c.source = r.source AND c.row = r.row)
        """

    /// The changed rows now of the persons in `temp.affected`: (source, row, person, fields,
    /// confidence). Their built rows are ``builtRowsOfAffected`` less the rows in
    /// ``changedRows(_:)``.
    static let changedRowsOfAffected = """
        SELECT c.source, c.row, c.person, c.fields, c.confidence FROM temp.affected a CROSS JOIN record_change c
          ON c.person = a.id WHERE c.present = 1
        """

    /// The built rows of the persons in `temp.affected`, changed or not: (source, row, person,
    /// fields, confidence). (Checking each against the change table in SQL cost a B-tree probe per
    /// row: on the 1.2 M city's month 0.65 s more than reading the change table's keys once.)
    static let builtRowsOfAffected = """
        SELECT r.source, r.row, r.person, r.fields, r.confidence FROM temp.affected a CROSS JOIN record r ON r.person = a.id
        """

    /// The (source, row) of every entry of the change table, for each source a set of rows.
    static func changedRows(_ db: Database) throws -> [String: Set<Int>] {
        var out: [String: Set<Int>] = [:]
        let cursor = try Row.fetchCursor(db, sql: "SELECT source, row FROM record_change")
        while let r = try cursor.next() { out[r[0] as String, default: []].insert(r[1]) }
        return out
    }

    /// The number of stored rows now.
    static let rowCount = """
        SELECT (SELECT COUNT(*) FROM record)
             - (SELECT COUNT(*) FROM record_change c JOIN record r ON r.source = c.source AND r.row = c.row)
             + (SELECT COUNT(*) FROM record_change WHERE present = 1)
        """

    /// Writes the changes of an update, keyed by (source, row): `nil` for a row removed.
    static func writeRowChanges(_ changes: [SourceRowKey: StoredRow?], _ db: Database) throws {
        let write = try db.makeStatement(sql: """
            INSERT OR REPLACE INTO record_change (source, row, person, fields, confidence, present) VALUES (?, ?, ?, ?, ?, ?)
            """)
        for key in changes.keys.sorted() {
            if let row = changes[key]! {
                try write.execute(arguments: [key.source, key.row, row.person, row.fields, row.confidence, 1])
            } else {
                try write.execute(arguments: [key.source, key.row, "", nil, nil, 0])
            }
        }
    }

    /// Folds the rows' changes into `record` once they number an eighth of it (`always`: in
    /// any case, as a retrain does before it rewrites the rows); `record`'s count is kept in
    /// `meta`.
    static func foldRowChanges(_ db: Database, always: Bool = false) throws {
        try fold("record_change", into: "record", countedAs: "records", always: always, db, sql: """
            DELETE FROM record WHERE (source, row) IN (SELECT source, row FROM record_change);
            INSERT INTO record (source, row, person, fields, confidence)
                SELECT source, row, person, fields, confidence FROM record_change WHERE present = 1;
            DELETE FROM record_change
            """)
    }

    /// Runs `sql` (folding side table `changes` into `table`) once the changes number an eighth
    /// of `table`'s rows, or `always`; `table`'s count is kept in `meta` under `countedAs`.
    static func fold(_ changes: String, into table: String, countedAs key: String, always: Bool, _ db: Database, sql: String) throws {
        let pending = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(changes)") ?? 0
        guard pending > 0 else { return }
        var count = try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = ?", arguments: [key]).flatMap { Int($0) } ?? -1
        if count < 0 { count = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(table)") ?? 0 }
        if always || pending * 8 >= count {
            try db.execute(sql: sql)
            count = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(table)") ?? 0
        }
        try db.execute(sql: "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", arguments: [key, String(count)])
    }
}

/// A stored row's key: source name and row number, ordered as the tables are.
struct SourceRowKey: Hashable, Comparable, Sendable {
    var source: String
    var row: Int

    static func < (a: SourceRowKey, b: SourceRowKey) -> Bool { (a.source, a.row) < (b.source, b.row) }
}
