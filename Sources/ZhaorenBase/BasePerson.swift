import Foundation
import GRDB
import Zhaoren
import ZhaorenCoverage

/// One person of a ``PopulationBase`` as the service shows it: values in full here; the
/// service masks the ID number and phone unless its user may see them.
///
/// ```swift
/// let p = try base.person("3f9c0a5e71d2b4c8")
/// p?.labels      // ["应保未保", …]
/// ```
public struct BasePerson: Codable, Sendable, Hashable {
    /// The opaque id (16 hexadecimal digits).
    public var person: String
    public var name: String
    /// `男`, `女` or `nil`.
    public var sex: String?
    /// `YYYY-MM-DD`, if known.
    public var birthDate: String?
    /// The 18-character ID number, if known.
    public var idNumber: String?
    public var phone: String?
    public var county: String
    public var township: String
    public var village: String
    public var grid: String
    /// Where the person is registered (户籍), when a register places them (else empty).
    public var hukouCounty: String, hukouTownship: String, hukouVillage: String
    /// The names of the labels that hold.
    public var labels: [String]
    /// The recommended action's code and text, if any.
    public var action: String?
    public var actionText: String?
    /// The lowest match probability among the links that made this person.
    public var linkConfidence: Double
    /// The linked source rows (only filled by ``PopulationBase/person(_:)``).
    public var records: [SourceRow]
    /// The workers' notes, oldest first (only filled by ``PopulationBase/person(_:)``).
    public var notes: [BaseNote]

    enum CodingKeys: String, CodingKey {
        case person, name, sex, birthDate = "birth_date", idNumber = "id_number", phone, county, township, village, grid
        case hukouCounty = "hukou_county", hukouTownship = "hukou_township", hukouVillage = "hukou_village"
        case labels, action, actionText = "action_text", linkConfidence = "link_confidence", records, notes
    }

    /// The area as `县/乡镇/村`.
    public var areaPath: String { [county, township, village].joined(separator: "/") }

    /// Whether the person lives or is registered (户籍) in one of `areas`.
    public func lies(in areas: [BaseArea]) -> Bool {
        areas.contains { a in
            a.contains(county: county, township: township, village: village)
                || (!hukouCounty.isEmpty && a.contains(county: hukouCounty, township: hukouTownship, village: hukouVillage))
        }
    }
}

/// A worker's note on a person (核实情况): who wrote it, when, and what.
public struct BaseNote: Codable, Sendable, Hashable {
    public var user: String
    /// ISO 8601, UTC.
    public var at: String
    public var text: String
}

extension SourceRow: Codable {
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Keys.self)
        self.init(source: try c.decode(String.self, forKey: .source), row: try c.decode(Int.self, forKey: .row))
    }
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(source, forKey: .source)
        try c.encode(row, forKey: .row)
    }
    enum Keys: String, CodingKey { case source, row }
}

/// An area as staff are given it: a county, a township in it, or a village in that.
///
/// ```swift
/// let area = try BaseArea(parsing: "原州区/南关街道/南城社区")
/// area.contains(county: "原州区", township: "南关街道", village: "南城社区")   // true
/// ```
public struct BaseArea: Codable, Sendable, Hashable {
    public var county: String
    public var township: String?
    public var village: String?

    /// Parses `县[/乡镇[/村]]`; `*` alone is the whole city.
    public init(parsing text: String) throws(ZhaorenError) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        guard (1...3).contains(parts.count), !parts.contains(where: \.isEmpty) else {
            throw ZhaorenError(.invalidArgument, "an area is 县, 县/乡镇 or 县/乡镇/村 (or * for the whole city), not \"\(text.prefix(60))\"")
        }
        county = parts[0]
        township = parts.count > 1 ? parts[1] : nil
        village = parts.count > 2 ? parts[2] : nil
    }

    /// Whether the area holds a person living at the given place.
    public func contains(county c: String, township t: String, village v: String) -> Bool {
        if county == "*" { return true }
        return county == c && (township.map { $0 == t } ?? true) && (village.map { $0 == v } ?? true)
    }

    /// Whether `other` lies inside this area.
    public func contains(_ other: BaseArea) -> Bool {
        if county == "*" { return true }
        guard other.county == county else { return false }
        if let t = township { guard other.township == t else { return false } }
        if let v = village { guard other.village == v else { return false } }
        return true
    }

    public var description: String { [county, township, village].compactMap { $0 }.joined(separator: "/") }
}

extension PopulationBase {
    static let personColumns = """
        p.id, p.name, p.sex, p.birth, p.id_number, p.phone, p.county, p.township, p.village, p.grid,
        p.hukou_county, p.hukou_township, p.hukou_village, p.action, p.link_confidence,
        (SELECT group_concat(label, ',') FROM person_label WHERE person = p.id) AS labels
        """

    func decode(_ row: Row) -> BasePerson {
        let labels = ((row["labels"] as String?) ?? "").split(separator: ",").compactMap { Int($0) }.sorted()
            .map { $0 < labelNames.count ? labelNames[$0] : String($0) }
        let action: Int? = row["action"]
        let sex: Int? = row["sex"]
        return BasePerson(person: row["id"], name: row["name"], sex: sex.map { $0 == 1 ? "男" : $0 == 2 ? "女" : "" },
                          birthDate: row["birth"], idNumber: row["id_number"], phone: row["phone"],
                          county: row["county"], township: row["township"], village: row["village"], grid: row["grid"],
                          hukouCounty: row["hukou_county"], hukouTownship: row["hukou_township"], hukouVillage: row["hukou_village"],
                          labels: labels, action: action.flatMap { $0 < actions.count ? actions[$0].name : nil },
                          actionText: action.flatMap { $0 < actions.count ? actions[$0].text : nil },
                          linkConfidence: row["link_confidence"], records: [], notes: [])
    }

    /// Runs a read, turning database faults into `ZhaorenError(.io)`.
    func read<T: Sendable>(_ body: @Sendable (Database) throws -> T) throws(ZhaorenError) -> T {
        do { return try database.read(body) } catch {
            throw ZhaorenError(.io, "cannot read the base: \(Self.reason(error))", file: url.path)
        }
    }

    /// The person with id `id`, with records and notes; `nil` if there is none.
    public func person(_ id: String) throws(ZhaorenError) -> BasePerson? {
        try read { db -> BasePerson? in
            guard let row = try Row.fetchOne(db, sql: "SELECT \(Self.personColumns) FROM person p WHERE p.id = ? AND p.active = 1", arguments: [id]) else {
                return nil
            }
            var p = self.decode(row)
            p.records = try Row.fetchAll(db, sql: "SELECT source, row FROM (\(Self.rowsOfPerson)) ORDER BY source, row", arguments: [id])
                .map { SourceRow(source: $0["source"], row: $0["row"]) }
            p.notes = try Row.fetchAll(db, sql: "SELECT user, at, text FROM note WHERE person = ? ORDER BY id", arguments: [id])
                .map { BaseNote(user: $0["user"], at: $0["at"], text: $0["text"]) }
            return p
        }
    }

    /// The persons with a recommended action in `area`, as in the worklist files: by township,
    /// village, grid and name. Each carries its notes.
    public func worklist(_ area: BaseArea, limit: Int = 10_000) throws(ZhaorenError) -> [BasePerson] {
        var sql = "SELECT \(Self.personColumns) FROM person p WHERE p.action IS NOT NULL AND p.active = 1"
        var values: [String] = []
        if area.county != "*" {
            sql += " AND p.county = ?"; values.append(area.county)
            if let t = area.township { sql += " AND p.township = ?"; values.append(t) }
            if let v = area.village { sql += " AND p.village = ?"; values.append(v) }
        }
        sql += " ORDER BY p.township, p.village, p.grid, p.name, p.id LIMIT \(max(0, limit))"
        let query = sql, args = values
        return try read { db -> [BasePerson] in
            var notes: [String: [BaseNote]] = [:]
            for n in try Row.fetchAll(db, sql: "SELECT n.person, n.user, n.at, n.text FROM note n JOIN person p ON p.id = n.person WHERE p.action IS NOT NULL ORDER BY n.id") {
                notes[n["person"], default: []].append(BaseNote(user: n["user"], at: n["at"], text: n["text"]))
            }
            return try Row.fetchAll(db, sql: query, arguments: StatementArguments(args)).map { row in
                var p = self.decode(row)
                p.notes = notes[p.person] ?? []
                return p
            }
        }
    }

    /// Stores a worker's note on person `id`; returns it, or `nil` when there is no such person.
    public func addNote(person id: String, user: String, text: String, at: Date = Date()) throws(ZhaorenError) -> BaseNote? {
        let note = BaseNote(user: user, at: ISO8601DateFormatter().string(from: at), text: text)
        do {
            return try database.write { db -> BaseNote? in
                guard try Bool.fetchOne(db, sql: "SELECT 1 FROM person WHERE id = ?", arguments: [id]) != nil else { return nil }
                try db.execute(sql: "INSERT INTO note (person, user, at, text) VALUES (?, ?, ?, ?)",
                               arguments: [id, note.user, note.at, note.text])
                return note
            }
        } catch {
            throw ZhaorenError(.io, "cannot write the base: \(Self.reason(error))", file: url.path)
        }
    }

    /// Writes who read which persons through which endpoint (one row per person), in one transaction.
    public func audit(user: String, endpoint: String, persons: [String], at: Date = Date()) throws(ZhaorenError) {
        guard !persons.isEmpty else { return }
        let when = ISO8601DateFormatter().string(from: at)
        do {
            try database.write { db in
                let insert = try db.makeStatement(sql: "INSERT INTO audit (user, at, endpoint, person) VALUES (?, ?, ?, ?)")
                for p in persons { try insert.execute(arguments: [user, when, endpoint, p]) }
            }
        } catch {
            throw ZhaorenError(.io, "cannot write the base: \(Self.reason(error))", file: url.path)
        }
    }

    /// The audit rows, oldest first: (user, at, endpoint, person).
    public func auditTrail(limit: Int = 1_000) throws(ZhaorenError) -> [(user: String, at: String, endpoint: String, person: String)] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT user, at, endpoint, person FROM audit ORDER BY id LIMIT \(max(0, limit))")
                .map { (user: $0["user"] as String, at: $0["at"] as String, endpoint: $0["endpoint"] as String, person: $0["person"] as String) }
        }
    }

    /// The workers' notes as a worklist's 核实情况 cell, by person key (``ZhaorenCoverage/CoveragePerson/key``):
    /// `2026-12-03 南城社区：已入户核实；…`, oldest first, for the persons still in the base.
    public func notesByPersonKey() throws(ZhaorenError) -> [String: String] {
        try read { db in
            var out: [String: String] = [:]
            for row in try Row.fetchAll(db, sql: """
                SELECT p.person_key, n.at, n.user, n.text FROM note n JOIN person p ON p.id = n.person
                WHERE p.active = 1 ORDER BY n.id
                """) {
                let line = "\((row[1] as String).prefix(10)) \(row[2] as String)：\(row[3] as String)"
                let key: String = row[0]
                out[key] = out[key].map { $0 + "；" + line } ?? line
            }
            return out
        }
    }

    /// Every person (without records and notes), for the service's match index.
    public func matchFields() throws(ZhaorenError) -> [BasePerson] {
        try read { db in try Row.fetchAll(db, sql: "SELECT \(Self.personColumns) FROM person p WHERE p.active = 1 ORDER BY p.id").map(self.decode) }
    }

    /// Counts: persons, records, notes.
    public func counts() throws(ZhaorenError) -> (persons: Int, records: Int, notes: Int) {
        try read { db in
            (try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM person WHERE active = 1") ?? 0,
             try Int.fetchOne(db, sql: Self.rowCount) ?? 0,
             try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM note") ?? 0)
        }
    }
}
