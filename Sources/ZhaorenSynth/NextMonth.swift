import Foundation
import Zhaoren
import ZhaorenSupport

/// Next month's department files for a generated city: what a population base's monthly
/// update receives. The registers are sent again as whole snapshots, most rows as they were:
///
/// - `police.csv`: a share of persons moved house (a new 户籍地址), new persons registered
///   (births and move-ins, with new valid ID numbers) at the end, the newly dead cancelled
///   (户籍状态 死亡注销);
/// - `grid_survey.csv`: a share of phone numbers changed, about half of the new persons found
///   by the grid workers;
/// - `insurance.csv`: a share of accounts whose payments stopped (中断缴费) or went on
///   (the last paid month moves on);
/// - `deaths.csv`: **only this month's deaths** (an `append` source in `coverage.json`);
/// - every other file as it was.
///
/// Rows change in place (row numbers stay), as a register's export in a stable order does.
/// `coverage.json` is copied with `"update": "append"` on the deaths list.
///
/// ```swift
/// let summary = try NextMonth(seed: 7).write(from: URL(fileURLWithPath: "city"), to: URL(fileURLWithPath: "city-next"))
/// summary.changed["police"]    // rows with a new address
/// ```
public struct NextMonth: Sendable {
    /// The share of persons new this month (of the police register's rows).
    public var newShare: Double
    /// The share of rows changed in each register.
    public var changedShare: Double
    /// The share of the police register's persons who died this month.
    public var deathShare: Double
    /// The random seed (the files are the same for the same seed and input).
    public var seed: UInt64

    /// The defaults: 1 % new persons, 2 % of rows changed, 0.05 % deaths.
    public init(newShare: Double = 0.01, changedShare: Double = 0.02, deathShare: Double = 0.0005, seed: UInt64 = 2) {
        self.newShare = newShare
        self.changedShare = changedShare
        self.deathShare = deathShare
        self.seed = seed
    }

    /// What ``write(from:to:)`` wrote.
    public struct Summary: Sendable {
        /// Rows per file, rows changed per file and rows added per file (by source name).
        public var rows: [String: Int] = [:], changed: [String: Int] = [:], added: [String: Int] = [:]
        /// The deaths of the month (the rows of `deaths.csv`).
        public var deaths = 0

        /// Writes `sheet` as `NAME.csv` into `folder` and counts it.
        mutating func wrote(_ sheet: Sheet, _ name: String, changed: Int, added: Int, in folder: URL) throws(ZhaorenError) {
            try NextMonth.write(sheet, to: folder.appendingPathComponent(name + ".csv"))
            rows[name] = sheet.rows.count
            self.changed[name] = changed
            self.added[name] = added
        }
    }

    /// A file read whole: its header, rows and encoding.
    struct Sheet {
        var header: [String]
        var rows: [[String]]
        var encoding: CSVWriter.Encoding
        func column(_ name: String) -> Int? { header.firstIndex(of: name) }
    }

    /// Reads `from` (a folder `zhaoren generate` wrote) and writes next month's files into `to`.
    /// - Throws: `ZhaorenError(.io)` when a file cannot be read or written,
    ///   `ZhaorenError(.malformedInput)` when `from` has no police register.
    @discardableResult
    public func write(from folder: URL, to out: URL) throws(ZhaorenError) -> Summary {
        var rng = SeededGenerator(seed: seed).derived("next-month")
        var summary = Summary()
        do {
            try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        } catch {
            throw ZhaorenError(.io, "cannot create the folder: \(error.localizedDescription)", file: out.path)
        }
        let police = folder.appendingPathComponent("police.csv")
        guard FileManager.default.fileExists(atPath: police.path) else {
            throw ZhaorenError(.malformedInput, "no police.csv here: expected a folder written by zhaoren generate", file: folder.path)
        }
        var register = try Self.read(police)
        let month = Self.month(of: folder)

        // The police register: moves, the month's dead, new persons.
        let n = register.rows.count
        var changed = 0
        // A move takes another household's place: its address and, in a file with split area
        // columns, those too.
        let places = ["户籍地址", "县(区)", "乡镇", "村(社区)"].compactMap { register.column($0) }
        if !places.isEmpty {
            for r in 0..<n where rng.chance(changedShare) {
                let donor = register.rows[rng.below(n)]
                for c in places { register.rows[r][c] = donor[c] }
                changed += 1
            }
        }
        var dead: [Int] = []
        if let status = register.column("户籍状态") {
            for r in 0..<n where register.rows[r][status] == "正常" && rng.chance(deathShare) {
                register.rows[r][status] = "死亡注销"
                if let cancelled = register.column("注销日期") { register.rows[r][cancelled] = month.compact + "15" }
                dead.append(r)
            }
        }
        let newRows = max(1, Int((Double(n) * newShare).rounded()))
        var born: [[String: String]] = []   // the new persons, by field meaning
        let nameColumn = register.column("姓名"), idColumn = register.column("公民身份号码")
        var taken = Set(idColumn.map { c in register.rows.map { $0[c] } } ?? [])
        for k in 0..<newRows {
            var row = register.rows[rng.below(n)]
            let other = register.rows[rng.below(n)]
            let name = nameColumn.map { Self.newName(surnameOf: row[$0], givenOf: other[$0]) } ?? ""
            let region = idColumn.map { String(row[$0].prefix(6)) }.flatMap { $0.count == 6 && $0.allSatisfy(\.isNumber) ? $0 : nil } ?? "640402"
            // A newborn of the month, or an adult moving in; an order code no one holds.
            let newborn = rng.chance(0.6)
            let year = newborn ? month.year : 1950 + rng.below(55)
            let birth = String(format: "%04d%02d%02d", year, newborn ? month.month : 1 + rng.below(12), 1 + rng.below(28))
            let sex = rng.chance(0.5) ? 1 : 2
            var id = ""
            repeat {
                let order = rng.below(500) * 2 + (sex == 1 ? 1 : 0)   // odd for a man, even for a woman
                let body = region + birth + String(format: "%03d", order)
                id = body + String(UnicodeScalar(CheckDigits.residentID(body.utf8)!))
            } while !taken.insert(id).inserted
            func set(_ column: String, _ value: String) { if let c = register.column(column) { row[c] = value } }
            set("姓名", name); set("公民身份号码", id); set("性别", sex == 1 ? "男" : "女"); set("出生日期", birth)
            set("户籍状态", "正常"); set("注销日期", "")
            if let c = register.column("户号") { row[c] = "6404029" + String(format: "%08d", k + 1) }
            register.rows.append(row)
            born.append(["name": name, "id": id, "sex": sex == 1 ? "男" : "女", "birth": birth])
        }
        try summary.wrote(register, "police", changed: changed, added: newRows, in: out)

        // The grid survey: phones changed, about half the new persons found.
        let surveyURL = folder.appendingPathComponent("grid_survey.csv")
        if FileManager.default.fileExists(atPath: surveyURL.path) {
            var survey = try Self.read(surveyURL)
            let m = survey.rows.count
            var changedPhones = 0, found = 0
            if let phone = survey.column("联系电话"), m > 0 {
                for r in 0..<m where rng.chance(changedShare) {
                    survey.rows[r][phone] = "1" + ["35", "36", "38", "39", "50", "58", "87", "89"][rng.below(8)] + String(format: "%08d", rng.below(100_000_000))
                    changedPhones += 1
                }
                for person in born where rng.chance(0.5) {
                    var row = survey.rows[rng.below(m)]
                    func set(_ column: String, _ value: String) { if let c = survey.column(column) { row[c] = value } }
                    set("姓名", person["name"]!); set("证件号码", person["id"]!); set("性别", person["sex"]!); set("出生日期", person["birth"]!)
                    row[phone] = "1" + ["37", "51", "82"][rng.below(3)] + String(format: "%08d", rng.below(100_000_000))
                    survey.rows.append(row)
                    found += 1
                }
            }
            try summary.wrote(survey, "grid_survey", changed: changedPhones, added: found, in: out)
        }

        // Insurance accounts: payments stopped or went on.
        let insuranceURL = folder.appendingPathComponent("insurance.csv")
        if FileManager.default.fileExists(atPath: insuranceURL.path) {
            var insurance = try Self.read(insuranceURL)
            var moved = 0
            if let status = insurance.column("缴费状态"), let paid = insurance.column("最后缴费年月") {
                for r in insurance.rows.indices where insurance.rows[r][status] == "正常缴费" && rng.chance(changedShare) {
                    if rng.chance(0.3) { insurance.rows[r][status] = "中断缴费" } else { insurance.rows[r][paid] = month.compact }
                    moved += 1
                }
            }
            try summary.wrote(insurance, "insurance", changed: moved, added: 0, in: out)
        }

        // The deaths list: this month's deaths only.
        let deathHeader = ["姓名", "身份证号码", "性别", "死亡日期", "死亡地点", "登记机关"]
        var deaths = Sheet(header: deathHeader, rows: [], encoding: .utf8)
        for r in dead {
            let row = register.rows[r]
            func get(_ column: String) -> String { register.column(column).map { row[$0] } ?? "" }
            deaths.rows.append([get("姓名"), get("公民身份号码"), get("性别"), "\(month.year)年\(month.month)月\(1 + rng.below(28))日", "家中", "固原市原州区公安局"])
        }
        try Self.write(deaths, to: out.appendingPathComponent("deaths.csv"))
        summary.deaths = deaths.rows.count
        summary.rows["deaths"] = deaths.rows.count

        // Every other file as it was; the settings with the deaths list appended.
        let written: Set<String> = ["police.csv", "grid_survey.csv", "insurance.csv", "deaths.csv", "coverage.json"]
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        for name in names.sorted() where !written.contains(name) && !name.hasPrefix(".") {
            var isFolder: ObjCBool = false
            let from = folder.appendingPathComponent(name)
            guard FileManager.default.fileExists(atPath: from.path, isDirectory: &isFolder), !isFolder.boolValue else { continue }
            let to = out.appendingPathComponent(name)
            try? FileManager.default.removeItem(at: to)
            do { try FileManager.default.copyItem(at: from, to: to) } catch {
                throw ZhaorenError(.io, "cannot copy: \(error.localizedDescription)", file: from.path)
            }
        }
        let settingsURL = folder.appendingPathComponent("coverage.json")
        if let data = try? Data(contentsOf: settingsURL), var json = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
           var sources = json["sources"] as? [[String: Any]] {
            for k in sources.indices where (sources[k]["kind"] as? String) == "deaths" { sources[k]["update"] = "append" }
            json["sources"] = sources
            json["asOf"] = String(format: "%04d-%02d-01", month.next.year, month.next.month)
            if let text = try? JSONSerialization.data(withJSONObject: json, options: [.prettyPrinted, .sortedKeys]) {
                try AtomicFile.write(String(decoding: text, as: UTF8.self), to: out.appendingPathComponent("coverage.json"))
            }
        }
        return summary
    }

    /// The month the city was generated for (its `coverage.json` `asOf`, else 2026-11).
    static func month(of folder: URL) -> (year: Int, month: Int, compact: String, next: (year: Int, month: Int)) {
        var year = 2026, month = 11
        if let data = try? Data(contentsOf: folder.appendingPathComponent("coverage.json")),
           let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any], let asOf = json["asOf"] as? String,
           let date = DateParser.parse(asOf).date {
            year = date.year
            month = date.month
        }
        let next = month == 12 ? (year + 1, 1) : (year, month + 1)
        return (year, month, String(format: "%04d%02d", year, month), next)
    }

    /// The generator's two-character surnames (欧阳, 上官 …), from its name tables.
    static let compoundSurnames = NameTables().surnames.filter { $0.chars.count == 2 }.map(\.text)

    /// A name of the surname of one name and the given name of another (two-character surnames kept whole).
    static func newName(surnameOf a: String, givenOf b: String) -> String {
        let surname = compoundSurnames.first { a.hasPrefix($0) } ?? String(a.prefix(1))
        let given = b.count > 1 ? String(b.dropFirst(compoundSurnames.contains { b.hasPrefix($0) } ? 2 : 1)) : "新"
        return surname + given
    }

    static func read(_ url: URL) throws(ZhaorenError) -> Sheet {
        let reader = try CSVReader(url: url)
        var rows: [[String]] = []
        try reader.forEachBatch { batch throws(ZhaorenError) in
            for row in batch { rows.append((0..<row.count).map { row.string($0) }) }
        }
        return Sheet(header: reader.header, rows: rows, encoding: reader.encoding == .gb18030 ? .gb18030 : .utf8)
    }

    static func write(_ sheet: Sheet, to url: URL) throws(ZhaorenError) {
        let sink = try CSVWriter(url, header: sheet.header, encoding: sheet.encoding, neutralizesFormulas: false)
        for row in sheet.rows { sink.writeRow(row) }
        try sink.commit()
    }
}
