import Zhaoren
import ZhaorenSupport

/// Places every person of the base in a county, township, village and grid, from what the
/// sources have, in this order of preference per record: split area columns (`county`,
/// `township`, `village`); a division or grid code (`area_code`, or a `grid` column of
/// digits: 6, 9, 12 or 15 digits); a full or partial address (`address`).
///
/// Township and village names are learned from the run's own data before addresses that
/// start below the county are read: the split columns, the full addresses of the sources
/// without codes, and the codes' villages named by the addresses written beside them (or by
/// the same person's other records), by majority. A code whose village no address names keeps
/// its digits as the name.
///
/// Per person, the worklist area is the residence (a source with ``CoverageSource/isResidence``,
/// where the grid worker found them) when it names a village, else the registration (户籍),
/// else another list's, else the deepest level any record names, else the county of a local ID
/// number. The registration is kept beside it (`hukou_*` in `persons.csv`).
struct AreaResolver {
    /// The areas named, interned; index 0 is ``AreaPath/unknown``.
    private(set) var areas: [AreaPath] = [.unknown]
    private var areaIndex: [AreaPath: UInt32] = [.unknown: 0]

    /// Resolves every person of `base`.
    static func resolve(tables: [SourceTable], base: PersonBase, settings: CoverageSettings) -> AreaResolution {
        var resolver = AreaResolver()
        return resolver.run(tables: tables, base: base, settings: settings)
    }

    /// The role slots of one table that carry places.
    private struct Slots {
        var county = -1, township = -1, village = -1, grid = -1, code = -1, address = -1
        init(_ table: SourceTable) {
            func i(_ role: String) -> Int { table.roleIndex(role) ?? -1 }
            county = i("county"); township = i("township"); village = i("village"); grid = i("grid")
            code = i("area_code"); address = i("address")
        }
        var hasColumns: Bool { county >= 0 || township >= 0 || village >= 0 }
    }

    /// How a row's place was found.
    private enum Evidence: UInt8 { case none, columns, code, address }

    private mutating func intern(_ area: AreaPath) -> UInt32 {
        if let known = areaIndex[area] { return known }
        let index = UInt32(areas.count)
        areas.append(area)
        areaIndex[area] = index
        return index
    }

    private static func level(_ area: AreaPath) -> AddressLevel {
        !area.village.isEmpty ? .village : (!area.township.isEmpty ? .township : (!area.county.isEmpty ? .county : .none))
    }

    private mutating func run(tables: [SourceTable], base: PersonBase, settings: CoverageSettings) -> AreaResolution {
        let preferred = settings.localRegionPrefixes
        let regions = AddressParser(preferredRegions: preferred)
        let slots = tables.map(Slots.init)
        let regionTable = RegionTable.shared

        // 1. Split columns: the county's code from its name, and the trusted gazetteer entries.
        var gazetteer = Gazetteer()
        var countyCodeOfValue: [[String]] = []
        for (t, table) in tables.enumerated() {
            let s = slots[t]
            let codes = s.county >= 0 ? table.values[s.county].map { regions.parse($0).countyCode } : []
            countyCodeOfValue.append(codes)
            guard s.county >= 0, s.township >= 0 else { continue }
            var seen = Set<UInt64>()
            for row in 0..<table.count {
                let c = Int(table.ids[s.county][row]), tw = Int(table.ids[s.township][row])
                let v = s.village >= 0 ? Int(table.ids[s.village][row]) : 0
                guard seen.insert(UInt64(c) << 42 | UInt64(tw) << 21 | UInt64(v)).inserted, !codes[c].isEmpty else { continue }
                gazetteer.add(countyCode: codes[c], township: table.values[s.township][tw],
                              village: s.village >= 0 ? table.values[s.village][v] : nil)
            }
        }

        // 2. Codes, once per distinct value.
        var codes: [[Result<AreaCode, AreaCode.Issue>]] = []
        for (t, table) in tables.enumerated() {
            let s = slots[t]
            var column: [Result<AreaCode, AreaCode.Issue>] = []
            if s.code >= 0 {
                column = table.values[s.code].map { AreaCode.parse($0, regions: regionTable) }
            } else if s.grid >= 0 {
                // A grid column of digits is a grid code; a grid name (团结村第3网格) is not.
                column = table.values[s.grid].map { value in
                    value.utf8.count >= 6 && value.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) ? AreaCode.parse(value, regions: regionTable) : .failure(.blank)
                }
            }
            codes.append(column)
        }

        // 3. Full addresses of the sources without codes teach the gazetteer (a name seen in at
        // least two distinct addresses of a large file, so one odd spelling teaches nothing).
        // A source with county, township and village columns is placed by them; its addresses
        // are not read.
        let readsAddress = slots.map { $0.address >= 0 && !($0.county >= 0 && $0.township >= 0 && $0.village >= 0) }
        var parsed: [[ParsedAddress?]] = tables.map { _ in [] }
        let learner = AddressParser(gazetteer: gazetteer, preferredRegions: preferred)
        for (t, table) in tables.enumerated() where readsAddress[t] && slots[t].code < 0 {
            parsed[t] = table.values[slots[t].address].parallelMap { $0.isEmpty ? nil : learner.parse($0) }
        }
        var support: [Gazetteer.Township: [String: Int]] = [:]
        var addressCount = 0
        for column in parsed {
            for case let a? in column where a.isComplete && !a.countyCode.isEmpty && !a.townshipKnown
                && regionTable.lookup(a.countyCode)?.lastYear == nil {
                support[Gazetteer.Township(countyCode: a.countyCode, name: a.township), default: [:]][a.village, default: 0] += 1
                addressCount += 1
            }
        }
        let minimumSupport = addressCount >= 2000 ? 2 : 1
        for township in support.keys.sorted(by: { ($0.countyCode, $0.name) < ($1.countyCode, $1.name) }) {
            for (village, n) in support[township]!.sorted(by: { $0.key < $1.key }) where n >= minimumSupport {
                gazetteer.add(countyCode: township.countyCode, township: township.name, village: village)
            }
        }

        // The county a row of a source with codes is known to be in: its code's, else its
        // person's local ID number's.
        func hintCounty(_ t: Int, _ row: Int) -> UInt64 {
            if case .success(let code)? = slots[t].code >= 0 ? codes[t][Int(tables[t].ids[slots[t].code][row])] : nil,
               let county = UInt64(code.county) { return county }
            let p = Int(base.person[t][row])
            if p >= 0, let region = base.region[p], preferred.contains(where: { region.hasPrefix($0) }), let county = UInt64(region),
               regionTable.lookup(region)?.lastYear == nil { return county }
            return 0
        }

        // 4. Addresses of the sources with codes, read with what was learned and the code's county.
        let reader = AddressParser(gazetteer: gazetteer, preferredRegions: preferred)
        var hinted: [[UInt64: ParsedAddress]] = tables.map { _ in [:] }
        for (t, table) in tables.enumerated() where readsAddress[t] && slots[t].code >= 0 {
            let s = slots[t]
            var keys = Set<UInt64>()
            for row in 0..<table.count {
                let a = table.ids[s.address][row]
                guard !table.values[s.address][Int(a)].isEmpty else { continue }
                keys.insert(UInt64(a) << 24 | hintCounty(t, row))
            }
            let list = Array(keys)
            let values = table.values[s.address]
            let results = list.parallelMap { key -> ParsedAddress in
                let county = key & 0xFF_FFFF
                return reader.parse(values[Int(key >> 24)], countyHint: county == 0 ? nil : String(county))
            }
            hinted[t] = Dictionary(uniqueKeysWithValues: zip(list, results))
        }

        // 5. Name the codes' villages and townships by majority of the addresses beside them.
        var villageVotes: [String: [String: Int]] = [:]     // village code → "township|village" → votes
        var townshipVotes: [String: [String: Int]] = [:]    // township code → township → votes
        for (t, table) in tables.enumerated() where !codes[t].isEmpty {
            let s = slots[t]
            let codeColumn = s.code >= 0 ? s.code : s.grid
            for row in 0..<table.count {
                guard case .success(let code) = codes[t][Int(table.ids[codeColumn][row])], code.township != nil else { continue }
                var address: ParsedAddress? = nil
                if readsAddress[t] {
                    let a = table.ids[s.address][row]
                    address = hinted[t][UInt64(a) << 24 | hintCounty(t, row)]
                }
                guard let address, address.countyCode.isEmpty || address.countyCode == code.county else { continue }
                if !address.township.isEmpty, let township = code.township { townshipVotes[township, default: [:]][address.township, default: 0] += 1 }
                if address.isComplete, let village = code.village {
                    villageVotes[village, default: [:]][address.township + "|" + address.village, default: 0] += 1
                }
            }
        }
        // The same person's other records name a code's village when its own row has no address.
        addPersonVotes(tables: tables, base: base, slots: slots, codes: codes, parsed: parsed, votes: &villageVotes)
        func winner(_ votes: [String: Int]) -> String {
            votes.max { $0.value != $1.value ? $0.value < $1.value : $0.key > $1.key }!.key
        }
        var townshipName: [String: String] = [:]
        for (code, votes) in townshipVotes { townshipName[code] = winner(votes) }
        var villageName: [String: (township: String, village: String)] = [:]
        for (code, votes) in villageVotes {
            let parts = winner(votes).split(separator: "|", omittingEmptySubsequences: false)
            villageName[code] = (String(parts[0]), String(parts[1]))
            if townshipName[String(code.prefix(9))] == nil { townshipName[String(code.prefix(9))] = String(parts[0]) }
        }
        for code in villageName.keys.sorted() {
            let names = villageName[code]!
            gazetteer.add(countyCode: String(code.prefix(6)), township: names.township, village: names.village)
        }

        // 6. Addresses not placed in a village yet are read again with everything learned.
        let final = AddressParser(gazetteer: gazetteer, preferredRegions: preferred)
        for t in tables.indices where !parsed[t].isEmpty {
            let values = tables[t].values[slots[t].address]
            let again = parsed[t].indices.filter { i in
                parsed[t][i].map { !$0.isComplete || $0.countyCode.isEmpty || regionTable.lookup($0.countyCode)?.lastYear != nil } ?? false
            }
            let results = again.parallelMap { final.parse(values[$0]) }
            for (i, result) in zip(again, results) where result.level >= parsed[t][i]!.level || !result.countyCode.isEmpty { parsed[t][i] = result }
        }
        for t in tables.indices where !hinted[t].isEmpty {
            let values = tables[t].values[slots[t].address]
            let again = hinted[t].filter { !$0.value.isComplete || $0.value.countyCode.isEmpty }.map(\.key)
            let results = again.parallelMap { key -> ParsedAddress in
                let county = key & 0xFF_FFFF
                return final.parse(values[Int(key >> 24)], countyHint: county == 0 ? nil : String(county))
            }
            for (key, result) in zip(again, results) where result.level >= hinted[t][key]!.level { hinted[t][key] = result }
        }

        // 7. Each row's place, and each person's.
        let countyName: (String) -> String = { code in regionTable.lookup(code)?.name ?? "" }
        let persons = base.count
        let none = UInt32(0)
        var residence = [UInt32](repeating: none, count: persons)
        var registration = [UInt32](repeating: none, count: persons)
        var other = [UInt32](repeating: none, count: persons)
        var deepest = [UInt32](repeating: none, count: persons)
        var quality: [AreaSourceQuality] = []
        for (t, table) in tables.enumerated() {
            let s = slots[t]
            var stats = AreaSourceQuality(source: table.source.name, rows: table.count)
            let hasPlaces = s.hasColumns || s.code >= 0 || readsAddress[t]
                || (s.grid >= 0 && codes[t].contains { if case .failure(.blank) = $0 { return false } else { return true } })
            stats.hasPlaces = hasPlaces
            guard hasPlaces else { quality.append(stats); continue }
            let category = table.source.isResidence ? 0 : (table.source.kind == .population ? 1 : 2)
            var columnMemo: [UInt64: UInt32] = [:]
            var codeMemo: [Int: UInt32] = [:]
            for row in 0..<table.count {
                var area = none, evidence = Evidence.none, level = AddressLevel.none
                func consider(_ candidate: UInt32, _ how: Evidence) {
                    let l = Self.level(areas[Int(candidate)])
                    if l > level { area = candidate; evidence = how; level = l }
                }
                // Columns.
                if s.hasColumns {
                    let c = s.county >= 0 ? Int(table.ids[s.county][row]) : 0
                    let tw = s.township >= 0 ? Int(table.ids[s.township][row]) : 0
                    let v = s.village >= 0 ? Int(table.ids[s.village][row]) : 0
                    let key = UInt64(c) << 42 | UInt64(tw) << 21 | UInt64(v)
                    let candidate: UInt32
                    if let known = columnMemo[key] {
                        candidate = known
                    } else {
                        var path = AreaPath.unknown
                        let county = s.county >= 0 ? table.values[s.county][c] : ""
                        path.county = county.isEmpty ? "" : (countyCodeOfValue[t][c].isEmpty ? county : countyName(countyCodeOfValue[t][c]))
                        path.township = s.township >= 0 ? table.values[s.township][tw] : ""
                        path.village = s.village >= 0 ? table.values[s.village][v] : ""
                        if path.county.isEmpty, !path.township.isEmpty {
                            // A list with township and village columns only: the gazetteer knows the county.
                            let found = final.parse(path.township + path.village)
                            if found.township == path.township || found.townshipKnown { path.county = found.county }
                        }
                        if path.township.isEmpty { path.village = "" }
                        candidate = intern(path)
                        columnMemo[key] = candidate
                    }
                    consider(candidate, .columns)
                }
                // Code.
                var grid = ""
                if !codes[t].isEmpty {
                    let valueID = Int(table.ids[s.code >= 0 ? s.code : s.grid][row])
                    switch codes[t][valueID] {
                    case .success(let code):
                        if let g = code.grid, let n = Int(g) { grid = "第\(n)网格" }
                        if level < .village {
                            let candidate: UInt32
                            if let known = codeMemo[valueID] {
                                candidate = known
                            } else {
                                var path = AreaPath(county: countyName(code.county), township: "", village: "", grid: "")
                                if let township = code.township { path.township = townshipName[township] ?? township }
                                if let village = code.village { path.village = villageName[village]?.village ?? village }
                                candidate = intern(path)
                                codeMemo[valueID] = candidate
                            }
                            consider(candidate, .code)
                        }
                        if let village = code.village, villageName[village] == nil { stats.codesWithoutNames += 1 }
                    case .failure(let issue):
                        if issue != .blank { stats.issues[issue.rawValue, default: 0] += 1 }
                        // A grid column of names (团结村第3网格) names the grid only.
                        else if s.code < 0 { grid = table.values[s.grid][valueID] }
                    }
                } else if s.grid >= 0 {
                    grid = table.values[s.grid][Int(table.ids[s.grid][row])]
                }
                // Address.
                if readsAddress[t], level < .village {
                    let a = Int(table.ids[s.address][row])
                    let text = table.values[s.address][a]
                    if !text.isEmpty {
                        var found: ParsedAddress?
                        if !parsed[t].isEmpty {
                            found = parsed[t][a]
                        } else {
                            found = hinted[t][UInt64(a) << 24 | hintCounty(t, row)]
                        }
                        if let found, found.level > .prefecture {
                            var path = AreaPath(county: found.county, township: found.township, village: found.village, grid: "")
                            if path.township.isEmpty { path.village = "" }
                            let candidate = intern(path)
                            consider(candidate, .address)
                            if Self.level(areas[Int(candidate)]) < .village { stats.issues["address_no_village", default: 0] += 1 }
                        } else {
                            stats.issues["address_unreadable", default: 0] += 1
                        }
                    }
                }
                if !grid.isEmpty, area != none {
                    var path = areas[Int(area)]
                    path.grid = grid
                    area = intern(path)
                }
                switch evidence {
                case .columns: stats.byColumns += 1
                case .code: stats.byCode += 1
                case .address: stats.byAddress += 1
                case .none: break
                }
                switch level {
                case .village: stats.village += 1
                case .township: stats.township += 1
                case .county, .prefecture, .province: stats.county += 1
                case .none: stats.none += 1
                }
                let p = Int(base.person[t][row])
                guard p >= 0, area != none else { continue }
                func better(_ current: UInt32) -> Bool { Self.level(areas[Int(current)]) < level }
                switch category {
                case 0: if better(residence[p]) { residence[p] = area }
                case 1: if better(registration[p]) { registration[p] = area }
                default: if better(other[p]) { other[p] = area }
                }
                if better(deepest[p]) { deepest[p] = area }
            }
            quality.append(stats)
        }

        // 8. Per person.
        var person = [UInt32](repeating: none, count: persons)
        var hukou = [UInt32](repeating: none, count: persons)
        var origin = [AreaOrigin](repeating: .none, count: persons)
        let local = { (code: String) in preferred.contains { code.hasPrefix($0) } }
        var idCounty: [String: UInt32] = [:]
        for p in 0..<persons {
            hukou[p] = registration[p] != none ? registration[p] : other[p]
            if Self.level(areas[Int(residence[p])]) == .village {
                person[p] = residence[p]; origin[p] = .residence
            } else if Self.level(areas[Int(registration[p])]) == .village {
                person[p] = registration[p]; origin[p] = .registration
            } else if Self.level(areas[Int(other[p])]) == .village {
                person[p] = other[p]; origin[p] = .otherList
            } else if deepest[p] != none {
                person[p] = deepest[p]
                origin[p] = deepest[p] == residence[p] ? .residence : (deepest[p] == registration[p] ? .registration : .otherList)
            } else if let region = base.region[p], local(region) {
                if let known = idCounty[region] {
                    person[p] = known
                } else {
                    let index = intern(AreaPath(county: regionTable.lookup(region)?.name ?? region, township: "", village: "", grid: ""))
                    idCounty[region] = index
                    person[p] = index
                }
                origin[p] = .idNumber
            }
        }
        let withVillage = person.reduce(0) { $0 + (areas[Int($1)].village.isEmpty ? 0 : 1) }
        return AreaResolution(areas: areas, person: person, hukou: hukou, origin: origin, sources: quality,
                              personsWithVillage: withVillage, townshipsKnown: gazetteer.count.townships,
                              villagesKnown: gazetteer.count.villages)
    }

    /// Votes for the names of code villages from the same person's complete addresses in the
    /// sources without codes (the police register names the village a survey row only codes).
    private func addPersonVotes(tables: [SourceTable], base: PersonBase, slots: [Slots],
                                codes: [[Result<AreaCode, AreaCode.Issue>]], parsed: [[ParsedAddress?]],
                                votes: inout [String: [String: Int]]) {
        // The first complete address of each person, from the sources without codes.
        var known: [Int32: ParsedAddress] = [:]
        for (t, table) in tables.enumerated() where !parsed[t].isEmpty {
            let s = slots[t]
            for row in 0..<table.count {
                let p = base.person[t][row]
                guard p >= 0, known[p] == nil, let a = parsed[t][Int(table.ids[s.address][row])], a.isComplete, !a.countyCode.isEmpty else { continue }
                known[p] = a
            }
        }
        guard !known.isEmpty else { return }
        for (t, table) in tables.enumerated() where !codes[t].isEmpty {
            let column = slots[t].code >= 0 ? slots[t].code : slots[t].grid
            for row in 0..<table.count {
                guard case .success(let code) = codes[t][Int(table.ids[column][row])], let village = code.village,
                      let a = known[base.person[t][row]], a.countyCode == code.county else { continue }
                votes[village, default: [:]][a.township + "|" + a.village, default: 0] += 1
            }
        }
    }
}

/// Where a person's worklist area came from.
public enum AreaOrigin: String, Sendable, Hashable, CaseIterable {
    /// No record places the person.
    case none
    /// A residence source (where the grid worker found them).
    case residence
    /// The registration (户籍) source.
    case registration
    /// Another list's places.
    case otherList = "other_list"
    /// Only the county of a local ID number.
    case idNumber = "id_number"
}

/// Every person's area, as ``AreaResolver`` found it.
struct AreaResolution: Sendable {
    var areas: [AreaPath]
    var person: [UInt32]
    var hukou: [UInt32]
    var origin: [AreaOrigin]
    var sources: [AreaSourceQuality]
    var personsWithVillage: Int
    var townshipsKnown: Int
    var villagesKnown: Int
}

/// How well one source's rows were placed in villages.
///
/// ```swift
/// let q = result.quality.areas[0]
/// print(q.source, q.village, q.rows)   // grid_survey 1081230 1102101
/// ```
public struct AreaSourceQuality: Sendable, Hashable, Codable {
    /// The source's name.
    public var source: String
    /// Rows read.
    public var rows: Int
    /// Whether the source has any place column (area columns, a code or an address).
    public var hasPlaces = false
    /// Rows placed in a village, a township only, a county only, nowhere.
    public var village = 0, township = 0, county = 0, none = 0
    /// Rows whose place came from split columns, a code, an address.
    public var byColumns = 0, byCode = 0, byAddress = 0
    /// Rows whose code names a village no address named (its digits stand for the name).
    public var codesWithoutNames = 0
    /// Problems by kind: `code_wrong_length`, `code_not_digits`, `code_unknown_county`,
    /// `address_unreadable` (names nothing below the prefecture), `address_no_village`.
    public var issues: [String: Int] = [:]

    public init(source: String, rows: Int) {
        self.source = source
        self.rows = rows
    }

    /// The share of rows placed in a village (nil for a source without place columns).
    public var villageShare: Double? { hasPlaces && rows > 0 ? Double(village) / Double(rows) : nil }
}
