import Foundation
import Zhaoren
import ZhaorenSupport

/// A deterministic synthetic city modelled on 宁夏固原市: a hidden population (households,
/// names, ID numbers, deaths, jobs, pension accounts, enterprises) and the department files
/// that see it imperfectly, with the ground truth.
///
/// The same configuration gives byte-identical files, whatever the number of threads.
///
/// ```swift
/// let city = try SyntheticCity(CityConfig(persons: 2_000, seed: 1))
/// let summary = try city.write(to: URL(fileURLWithPath: "/tmp/city"))
/// summary.rows[.police]   // about 1,900
/// ```
/// - Complexity: O(persons) time and memory; about 60 bytes per person are kept, rows are streamed.
public final class SyntheticCity: Sendable {
    /// What was asked for.
    public let config: CityConfig
    let names: NameTables
    let noise: NoiseTables
    let geo: Geography
    let regions: RegionCodes
    let people: Population
    let firms: Enterprises
    let accounts: Accounts
    /// First account of each person (one extra entry at the end).
    let accountStart: [UInt32]

    /// Generates the hidden city. ICU tables (homophones, traditional forms) are built once here.
    public init(_ config: CityConfig) throws(ZhaorenError) {
        guard config.persons >= 1 else { throw ZhaorenError(.invalidArgument, "persons must be at least 1") }
        self.config = config
        var names = NameTables()
        noise = try NoiseTables.build(chars: &names.chars)
        self.names = names
        let base = SeededGenerator(seed: config.seed)
        var geoRng = base.derived("geography")
        geo = Geography(persons: config.persons, &geoRng)
        regions = RegionCodes()
        var people = Population.generate(config: config, names: names, geo: geo, regions: regions, base)
        let (firms, accounts) = Economy.generate(pop: &people, geo: geo, regions: regions, config: config, base)
        self.people = people
        self.firms = firms
        self.accounts = accounts
        var start = [UInt32](repeating: 0, count: people.count + 1)
        for a in 0..<accounts.count { start[Int(accounts.person[a]) + 1] += 1 }
        for p in 0..<people.count { start[p + 1] += start[p] }
        accountStart = start
    }

    /// Hidden persons.
    public var personCount: Int { people.count }
    /// Hidden enterprises (registered or only in the tax list).
    public var enterpriseCount: Int { firms.count }
    /// Pension accounts (rows of the insurance file).
    public var accountCount: Int { accounts.count }
    /// The city's own county codes (current ones; insurance accounts under any other code are out of region).
    public var cityRegionCodes: [String] { geo.counties.map { String($0.code) } }
    /// The 固原地区 codes abolished in 2000, still carried by older residents' ID numbers.
    public var formerRegionCodes: [String] { geo.counties.map { String($0.oldCode) } }

    /// The entity id of person `p` (0-based), e.g. `P0000001`.
    static func personEntity(_ p: Int) -> String { "P" + padded(p + 1, 7) }
    /// The entity id of enterprise `e` (0-based), e.g. `E000001`.
    static func enterpriseEntity(_ e: Int) -> String { "E" + padded(e + 1, 6) }

    static func padded(_ v: Int, _ width: Int) -> String {
        let s = String(v)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }
}
