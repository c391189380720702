import Foundation
import Zhaoren
import ZhaorenSupport

/// Deterministic English-language person records for testing the engine on Latin-script
/// data: `people.csv` (noisy, with duplicates), `register.csv` (one clean row for most
/// persons) and `truth/entities.csv`.
///
/// Names are drawn by US Census 1990 frequency; households share surname and address, twins
/// share a birth date; duplicates carry FEBRL-style noise (typos, OCR and phonetic errors,
/// spelling variants and nicknames, blanks, swapped names, day/month swaps, abbreviations,
/// moves, SSN typos). The same ``EnglishConfig`` gives byte-identical files.
///
/// ```swift
/// let records = EnglishRecords(EnglishConfig(persons: 2_000, seed: 1))
/// let summary = try records.write(to: URL(fileURLWithPath: "/tmp/english"))
/// summary.peopleRows   // about 2,900
/// ```
/// - Complexity: O(persons) time and memory.
public final class EnglishRecords: Sendable {
    /// What was asked for.
    public let config: EnglishConfig
    let tables: EnglishTables
    let population: EnglishPopulation

    /// Generates the hidden population.
    public init(_ config: EnglishConfig) {
        self.config = config
        tables = EnglishTables()
        population = EnglishPopulation.generate(config, tables, SeededGenerator(seed: config.seed))
    }

    /// Hidden persons.
    public var personCount: Int { population.count }

    /// The entity id of person `p` in the truth file (`E0000001` …).
    static func entity(_ p: Int) -> String {
        let s = String(p + 1)
        return "E" + String(repeating: "0", count: max(0, 7 - s.count)) + s
    }

    /// The rows of `people.csv` before writing: (person, copy) in file order; copy 0 is the
    /// first-recorded row, later copies are the noisy duplicates.
    func peopleOrder() -> [(person: Int32, copy: UInt8)] {
        var rng = SeededGenerator(seed: config.seed).derived("english-duplicates")
        let extra = WeightedPicker([65, 22, 9, 4])
        var order: [(person: Int32, copy: UInt8)] = []
        order.reserveCapacity(population.count * 3 / 2)
        for p in 0..<population.count {
            order.append((Int32(p), 0))
            if rng.chance(config.duplicatedShare) {
                for k in 0...extra.pick(&rng) { order.append((Int32(p), UInt8(k + 1))) }
            }
        }
        rng.shuffle(&order)
        return order
    }

    /// The people.csv row of `(p, copy)`: blanks at base rates on every row, and 1–3
    /// corruptions on each later copy (FEBRL's default of at most 3 modifications per record;
    /// several may hit the same field).
    func peopleRow(_ p: Int, copy: Int, _ rng: inout SeededGenerator, modifications: inout Int) -> EnglishRow {
        var row = EnglishRow(person: p, population, tables)
        if config.clean { return row }
        // Values left blank by whoever filled the form, on any row.
        if rng.chance(0.01) { row.given = "" }
        if rng.chance(0.005) { row.surname = "" }
        if rng.chance(0.01) { row.birth = nil }
        if rng.chance(0.02) { row.number = ""; row.streetName = ""; row.streetType = "" }
        if rng.chance(0.02) { row.suburb = "" }
        if rng.chance(0.02) { row.postcode = "" }
        if rng.chance(0.03) { row.ssn = "" }
        guard copy > 0 else { return row }
        let count = 1 + Self.modificationCounts.pick(&rng)
        for _ in 0..<count {
            EnglishModification.allCases[EnglishModification.picker.pick(&rng)].apply(&row, tables, population, &rng)
        }
        modifications += count
        return row
    }

    /// Draws 1, 2 or 3 modifications per duplicate (mean 1.85).
    static let modificationCounts = WeightedPicker([40, 35, 25])

    /// Writes `people.csv`, `register.csv` and `truth/entities.csv` into `folder` (created if
    /// missing); each file appears only complete.
    /// - Complexity: O(rows).
    @discardableResult
    public func write(to destination: URL) throws(ZhaorenError) -> EnglishSummary {
        let out = try OutputFolder(destination, expectedBytes: config.persons * 300)
        let folder = out.staging
        let truth = try CSVWriter(folder.appendingPathComponent("truth/entities.csv"), header: ["source", "row", "entity_id"], neutralizesFormulas: false)
        let people = try CSVWriter(folder.appendingPathComponent("people.csv"), header: EnglishRow.header, neutralizesFormulas: false)
        var rng = SeededGenerator(seed: config.seed).derived("english-people")
        var modifications = 0
        var copies = [UInt8](repeating: 0, count: population.count)
        for (p, copy) in peopleOrder() {
            let row = peopleRow(Int(p), copy: Int(copy), &rng, modifications: &modifications)
            for f in row.fields { people.row.field(f) }
            people.endRow()
            truth.row.field("people"); truth.row.int(people.dataRowCount); truth.row.field(Self.entity(Int(p))); truth.endRow()
            copies[Int(p)] = max(copies[Int(p)], copy)
        }
        try people.commit()
        let register = try CSVWriter(folder.appendingPathComponent("register.csv"), header: EnglishRow.header, neutralizesFormulas: false)
        var pick = SeededGenerator(seed: config.seed).derived("english-register")
        var members = (0..<population.count).filter { _ in pick.chance(config.registerShare) }
        pick.shuffle(&members)
        for p in members {
            var row = EnglishRow(person: p, population, tables)
            // The register writes surnames in capitals, as many official registers do.
            row.surname = row.surname.uppercased()
            for f in row.fields { register.row.field(f) }
            register.endRow()
            truth.row.field("register"); truth.row.int(register.dataRowCount); truth.row.field(Self.entity(p)); truth.endRow()
        }
        try register.commit()
        try truth.commit()
        try out.commit()
        return EnglishSummary(folder: destination, peopleRows: people.dataRowCount, registerRows: register.dataRowCount, truthRows: truth.dataRowCount,
                              duplicatedPersons: copies.reduce(0) { $0 + ($1 > 0 ? 1 : 0) }, modifications: modifications)
    }
}

extension EnglishRecords {
    /// The `--columns` argument that maps the files' headers to the engine's roles.
    public static let columns = "given_name=given_name,surname=surname,birth=date_of_birth,address=street,address=suburb,"
        + "address=state,postcode=postcode,other_id=ssn"
}
