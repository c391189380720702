import Foundation
import GRDB
import Testing
import Zhaoren
@testable import ZhaorenBase
import ZhaorenCoverage
import ZhaorenTestSupport

/// How an update stores its changes: the blocking keys it adds and drops go to a small change
/// table that lookups read beside the build's keys, folded in once it grows.
@Suite struct BaseStorageTests {
    /// Every (key, person) the lookup finds for `keys`.
    static func found(_ keys: Set<Int64>, _ base: PopulationBase) throws -> Set<String> {
        try base.read { db in
            var persons = Set<String>()
            let statement = try db.makeStatement(sql: PopulationBase.personsOfKey)
            for key in keys { persons.formUnion(try String.fetchAll(statement, arguments: [key])) }
            return persons
        }
    }

    @Test func keysAnUpdateChangesGoToTheChangeTableAndAreFoundThere() throws {
        let (base, folder) = try IncrementalFixture.base(#function)
        defer { Scratch.remove(folder) }
        let normalizer = try NameNormalizer()
        func keys(_ p: BasePerson) -> Set<Int64> {
            Set(PopulationBase.keys([(p.name, p.idNumber, p.phone, p.birthDate.flatMap { DateParser.parse($0).date })],
                                    normalizer: normalizer)[0])
        }
        let before = Dictionary(uniqueKeysWithValues: try base.matchFields().map { ($0.person, $0) })
        let built = try base.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM block_key") ?? 0 }
        #expect(try base.read { db in try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'block_keys'") } == String(built))

        let next = try CoverageSettings.load(IncrementalFixture.city.next.appendingPathComponent("coverage.json"))
        let summary = try base.update(run: try CoverageRun(settings: next), settings: "{}")
        #expect(summary.new > 0)
        // The build's keys are untouched; the month's went to the change table (too few to fold).
        let (kept, changes) = try base.read { db in
            (try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM block_key") ?? 0,
             try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM block_key_change") ?? 0)
        }
        #expect(kept == built)
        #expect(changes > 0 && changes * 8 < built)

        // Every active person is found by each of their keys; a person whose phone changed is no
        // longer found by keys only the old phone made.
        let after = try base.matchFields()
        var rekeyed = 0
        for p in after {
            let now = keys(p)
            #expect(try Self.found(now, base).contains(p.person))
            guard let old = before[p.person], old.phone != p.phone || old.name != p.name else { continue }
            let dropped = keys(old).subtracting(now)
            guard !dropped.isEmpty else { continue }
            rekeyed += 1
            #expect(try !Self.found(dropped, base).contains(p.person))
        }
        #expect(rekeyed > 0)

        // Folded into the build's keys once they are an eighth of them: the lookups find the same.
        let sample = Set(after.prefix(300).flatMap { keys($0) })
        let unfolded = try Self.found(sample, base)
        try base.database.write { db in
            try db.execute(sql: "UPDATE meta SET value = '1' WHERE key = 'block_keys'")
            try PopulationBase.foldKeyChanges(db)
        }
        let (folded, left, counted) = try base.read { db in
            (try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM block_key") ?? 0,
             try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM block_key_change") ?? 0,
             try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'block_keys'"))
        }
        #expect(left == 0 && counted == String(folded) && folded != built)
        #expect(try Self.found(sample, base) == unfolded)
    }
}

/// The merge of a month's rows with the stored ones, on rows read whole or with the unchanged
/// ones skipped.
@Suite struct SourceMergeTests {
    static func source(_ folder: URL, update: CoverageUpdateMode? = nil) throws -> CoverageSource {
        let url = folder.appendingPathComponent("police.csv")
        try "姓名,身份证号码\n张伟,640402199001011234\n李娜,640402198502022345\n张伟,640402199001011234\n赵敏,640402199504044567\n"
            .write(to: url, atomically: true, encoding: .utf8)
        return CoverageSource(name: "police", path: url.path, kind: .population, columns: ["name": "姓名", "id": "身份证号码"], update: update)
    }

    @Test func skippedRowsPairOffAndARowSkippedInErrorAsksForAWholeReading() throws {
        let folder = try Scratch.folder("source-merge")
        defer { Scratch.remove(folder) }
        let source = try Self.source(folder)
        let whole = try SourceTable.read(source, rejects: nil)
        let h = whole.rowHashes()   // 张伟, 李娜, 张伟, 赵敏 in rows 1...4
        let gone: Int64 = 42
        let stored = [SourceHashes.Entry(hash: h[0], row: 1), .init(hash: h[1], row: 2), .init(hash: gone, row: 3)]
            .sorted { $0.hash < $1.hash }
        let read = try SourceTable.read(source, rejects: nil, unchanged: [h[0]: 1, h[1]: 1])
        #expect(read.kept == [-1, -1, 0, 1])
        let merged = try #require(SourceMerge(read, stored: stored, sameRoles: true))
        // The second 张伟 and 赵敏 are added (from the read's table), row 3 is gone, nothing moved.
        #expect(merged.added.map(\.row) == [0, 1] || merged.added.map(\.row) == [1, 0])
        #expect(Set(merged.added.map(\.number)) == [3, 4])
        #expect(merged.removed == [3] && merged.renumbered.isEmpty)
        #expect(merged.change.kept == 2 && merged.change.added == 2 && merged.change.removed == 1 && merged.change.rows == 4)
        #expect(Set(merged.now.map(\.row)) == [1, 2, 3, 4] && merged.now.count == 4)
        // The same merge on the rows read whole.
        let full = try #require(SourceMerge(SourceChanges(whole: whole), stored: stored, sameRoles: true))
        #expect(Set(full.added.map(\.number)) == [3, 4] && full.removed == [3] && full.now == merged.now)

        // The base lost 张伟 since the reading skipped him: the merge cannot add him and says so.
        let changed = stored.filter { $0.hash != h[0] }
        #expect(SourceMerge(read, stored: changed, sameRoles: true) == nil)
        let again = try #require(SourceMerge(SourceChanges(whole: whole), stored: changed, sameRoles: true))
        #expect(Set(again.added.map(\.number)) == [1, 3, 4] && again.change.kept == 1)
        // Other roles: every row is new, so a reading that skipped any cannot serve.
        #expect(SourceMerge(read, stored: stored, sameRoles: false) == nil)
        #expect(try #require(SourceMerge(SourceChanges(whole: whole), stored: stored, sameRoles: false)).change.added == 4)
    }

    @Test func anAppendedSourceNumbersItsNewRowsAfterTheStoredOnes() throws {
        let folder = try Scratch.folder("source-merge-append")
        defer { Scratch.remove(folder) }
        let source = try Self.source(folder, update: .append)
        let whole = try SourceTable.read(source, rejects: nil)
        let h = whole.rowHashes()
        let stored = [SourceHashes.Entry(hash: h[1], row: 7)]
        let read = try SourceTable.read(source, rejects: nil, unchanged: [h[1]: 1])
        let merged = try #require(SourceMerge(read, stored: stored, sameRoles: true))
        // Rows 1, 3 and 4 of the file become rows 8, 10 and 11; nothing is removed.
        #expect(Set(merged.added.map(\.number)) == [8, 10, 11])
        #expect(merged.removed.isEmpty && merged.change.kept == 1)
        #expect(merged.now.count == 4 && merged.now.contains(.init(hash: h[1], row: 7)))
    }
}

/// The rows an update changes: kept beside the built ones, read as one, folded in unchanged.
@Suite struct RowChangeTests {
    /// Each stored row of `source` now (changes over built rows): row number → values.
    static func stored(_ source: String, _ base: PopulationBase) throws -> [Int: String] {
        try base.read { db in
            var out: [Int: String] = [:]
            for row in try Row.fetchAll(db, sql: """
                SELECT row, fields FROM record_change WHERE source = ?1 AND present = 1
                UNION ALL
                SELECT r.row, r.fields FROM record r WHERE r.source = ?1
                  AND NOT EXISTS (SELECT 1 FROM record_change c WHERE c.source = r.source AND c.row = r.row)
                """, arguments: [source]) {
                out[row[0]] = row[1]
            }
            return out
        }
    }

    @Test func rowsThatMoveKeepTheirContentAndFoldingChangesNothing() throws {
        let (base, folder) = try IncrementalFixture.base(#function)
        defer { Scratch.remove(folder) }
        let register = try IncrementalFixture.police()
        var settings = register.settings
        let p = register.index, lines = register.lines
        let file = folder.appendingPathComponent("police-next.csv")
        settings.sources[p].path = file.path
        let before = try base.counts()
        /// Writes the month's register, applies it and checks that every row of the file is
        /// stored under its number with its values; returns the police change and the number
        /// of row changes kept beside the built rows.
        func month(_ rows: [String]) throws -> (PopulationBase.SourceChange, Int) {
            try (rows.joined(separator: "\n") + "\n").write(to: file, atomically: true, encoding: .utf8)
            let summary = try base.update(run: try CoverageRun(settings: settings, asOf: IncrementalFixture.asOf), settings: "{}")
            let table = try SourceTable.read(settings.sources[p], rejects: nil)
            let expected = Dictionary(uniqueKeysWithValues: (0..<table.count).map { (Int(table.rows[$0]), PopulationBase.rowText(table, $0)) })
            #expect(try Self.stored("police", base) == expected)
            return (try #require(summary.sources.first { $0.source == "police" }),
                    try base.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM record_change") ?? 0 })
        }

        // Rows 1 and 2 swapped, a changed copy of row 5 last: three row changes kept aside.
        let first = [lines[0], lines[2], lines[1]] + lines[3...] + [lines[5] + "号"]
        let (police, changes) = try month(first)
        #expect(police.added == 1 && police.removed == 0 && police.kept == lines.count - 1)
        #expect(changes == 3)
        #expect(try base.counts().records == before.records + 1)
        let people = try base.matchFields().map(\.person)
        let rowsBefore = try people.map { try base.person($0)!.records }

        // Folded: the same rows, the same persons' rows, the change table empty.
        try base.database.write { db in try PopulationBase.foldRowChanges(db, always: true) }
        #expect(try base.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM record_change") } == 0)
        #expect(try people.map { try base.person($0)!.records } == rowsBefore)
        #expect(try base.counts().records == before.records + 1)
        #expect(try base.read { db in try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'records'") }
                == String(before.records + 1))

        // Row 10 gone: every later row moves up one, more changes than an eighth of the rows,
        // so they are folded in at once.
        let second = Array(first.prefix(10)) + first.dropFirst(11)
        let (moved, left) = try month(second)
        #expect(moved.removed == 1 && moved.added == 0)
        #expect(left == 0)
        #expect(try base.counts().records == before.records)

        // The same files again: nothing changes.
        let again = try base.update(run: try CoverageRun(settings: settings, asOf: IncrementalFixture.asOf))
        #expect(again.sources.allSatisfy { $0.added == 0 && $0.removed == 0 } && again.changed == 0)
    }
}

/// Persons an update leaves without rows.
@Suite struct GonePersonTests {
    @Test func aPersonWhoseOnlyRowLeavesTheRegisterIsGoneWithTheirNotes() throws {
        let (base, folder) = try IncrementalFixture.base(#function)
        defer { Scratch.remove(folder) }
        // A person known only by one police row (the rows after it move up one).
        let register = try IncrementalFixture.police()
        var settings = register.settings
        let p = register.index, lines = register.lines
        let persons = try base.matchFields()
        var found: (BasePerson, Int)?
        for person in persons {
            guard let rows = try base.person(person.person)?.records, rows.count == 1, rows[0].source == "police" else { continue }
            found = (person, rows[0].row)
            break
        }
        let (leaving, row) = try #require(found, "no person known by one police row alone")
        _ = try base.addNote(person: leaving.person, user: "村级核查员", text: "已迁出")
        let file = folder.appendingPathComponent("police-next.csv")
        var month = lines
        month.remove(at: row)   // data row `row` is line `row` after the header
        try (month.joined(separator: "\n") + "\n").write(to: file, atomically: true, encoding: .utf8)
        settings.sources[p].path = file.path
        let summary = try base.update(run: try CoverageRun(settings: settings, asOf: IncrementalFixture.asOf), settings: "{}")
        #expect(summary.sources[p].removed == 1 && summary.sources[p].added == 0)
        #expect(summary.gone == 1 && summary.new == 0)
        #expect(summary.persons == persons.count - 1)
        #expect(try base.person(leaving.person) == nil)
        #expect(try !base.matchFields().contains { $0.person == leaving.person })
        #expect(try base.personChanges(update: summary.update).contains { $0.person == leaving.person && $0.kind == "gone" })
        #expect(try base.counts().persons == persons.count - 1)
        // Their note stays in the base.
        #expect(try base.counts().notes == 1)
    }
}

/// Persons without an ID number are keyed by their first row; rows that move take the key along.
@Suite struct MovingKeyTests {
    @Test func aNewRowBeforeAPersonKeyedByRowMovesTheirKeyInsteadOfClashing() throws {
        let (base, folder) = try IncrementalFixture.base(#function)
        defer { Scratch.remove(folder) }
        let register = try IncrementalFixture.police()
        var settings = register.settings
        let p = register.index, lines = register.lines
        let header = lines[0].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        let name = try #require(header.firstIndex(of: "姓名")), id = try #require(header.firstIndex(of: "公民身份号码"))
        let birth = try #require(header.firstIndex(of: "出生日期"))
        /// A register row of someone new, without an ID number.
        func stranger(_ who: String, _ born: String) -> String {
            var fields = lines[1].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            fields[name] = who
            fields[id] = ""
            fields[birth] = born
            return fields.joined(separator: ",")
        }
        let file = folder.appendingPathComponent("police-next.csv")
        settings.sources[p].path = file.path
        func apply(_ rows: [String]) throws -> PopulationBase.UpdateSummary {
            try (rows.joined(separator: "\n") + "\n").write(to: file, atomically: true, encoding: .utf8)
            return try base.update(run: try CoverageRun(settings: settings, asOf: IncrementalFixture.asOf), settings: "{}")
        }
        // Month one: 司马甲 comes last, a new person keyed by their row.
        let first = try apply(lines + [stranger("司马甲", "19500101")])
        #expect(first.new == 1)
        let keyed = "police:\(lines.count)"
        let jia = try base.read { db in try String.fetchOne(db, sql: "SELECT id FROM person WHERE person_key = ?", arguments: [keyed]) }
        let jiaID = try #require(jia)
        // Month two: 欧阳乙 comes in before them, taking their row number; 司马甲 moves down one.
        let second = try apply(lines + [stranger("欧阳乙", "19600202"), stranger("司马甲", "19500101")])
        #expect(second.new == 1 && second.gone == 0)
        let keys = try base.read { db in
            try Row.fetchAll(db, sql: "SELECT id, name FROM person WHERE person_key IN (?, ?)", arguments: [keyed, "police:\(lines.count + 1)"])
                .map { ($0[0] as String, $0[1] as String) }
        }
        #expect(Set(keys.map(\.1)) == ["欧阳乙", "司马甲"])
        #expect(keys.first { $0.1 == "司马甲" }?.0 == jiaID)
        #expect(try base.person(jiaID)?.records == [SourceRow(source: "police", row: lines.count + 1)])
    }
}

extension IncrementalFixture {
    /// The first month's settings, the index of its police source, and the police register's
    /// lines (the header first), for tests that write a month's register of their own.
    static func police() throws -> (settings: CoverageSettings, index: Int, lines: [String]) {
        let settings = try CoverageSettings.load(city.folder.appendingPathComponent("coverage.json"))
        let p = try #require(settings.sources.firstIndex { $0.name == "police" })
        let lines = try String(contentsOfFile: settings.sources[p].path, encoding: .utf8)
            .split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
        return (settings, p, lines)
    }
}
