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
    /// `seed`: the places an earlier run learned (an incremental update reads a few rows, too
    /// few to learn village names from).
    static func resolve(tables: [SourceTable], base: PersonBase, settings: CoverageSettings, seed: AreaSeed? = nil) -> AreaResolution {
        var resolver = AreaResolver()
        return resolver.run(tables: tables, base: base, settings: settings, seed: seed)
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
        /// The column holding codes: `area_code`, else `grid` (whose values may be codes or names).
        var codeColumn: Int { code >= 0 ? code : grid }
    }

    /// One distinct code value, parsed: integers only, so that rows are placed without strings.
    private struct CodeInfo {
        /// 0 a code; 1 blank; 2 not digits; 3 wrong length; 4 unknown county; 5 a grid name (not a code).
        var issue: UInt8 = 1
        var county: UInt32 = 0
        /// Index into the township and village code tables (-1 when the code does not name one).
        var township: Int32 = -1, village: Int32 = -1
        /// The grid number of a 15-digit code (0 when none).
        var grid: UInt16 = 0
    }

    /// How a row's place was found.
    private enum Evidence: UInt8 { case none, columns, code, address }

    private var areaLevel: [AddressLevel] = [.none]

    private mutating func intern(_ area: AreaPath) -> UInt32 {
        if let known = areaIndex[area] { return known }
        let index = UInt32(areas.count)
        areas.append(area)
        areaLevel.append(Self.level(area))
        areaIndex[area] = index
        return index
    }

    private static func level(_ area: AreaPath) -> AddressLevel {
        !area.village.isEmpty ? .village : (!area.township.isEmpty ? .township : (!area.county.isEmpty ? .county : .none))
    }

    private mutating func run(tables: [SourceTable], base: PersonBase, settings: CoverageSettings, seed: AreaSeed?) -> AreaResolution {
        let preferred = settings.localRegionPrefixes
        let regions = AddressParser(preferredRegions: preferred)
        let slots = tables.map(Slots.init)
        let regionTable = RegionTable.shared
        let isLocal = { (code: String) in preferred.contains { code.hasPrefix($0) } }
        let inForce = { (code: String) in regionTable.lookup(code)?.lastYear == nil }

        // 1. Split columns: the county's code from its name, and the trusted gazetteer entries.
        var gazetteer = Gazetteer()
        for entry in seed?.places ?? [] where entry.count == 3 {
            gazetteer.add(countyCode: entry[0], township: entry[1], village: entry[2].isEmpty ? nil : entry[2])
        }
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

        // 2. Codes, once per distinct value, into integer form.
        var townshipCodes: [String] = [], villageCodes: [String] = []
        var townshipCodeIndex: [String: Int32] = [:], villageCodeIndex: [String: Int32] = [:]
        var codes: [[CodeInfo]] = []
        for (t, table) in tables.enumerated() {
            let s = slots[t]
            guard s.codeColumn >= 0 else { codes.append([]); continue }
            let gridColumn = s.code < 0
            codes.append(table.values[s.codeColumn].map { value -> CodeInfo in
                var info = CodeInfo()
                if value.isEmpty { return info }
                // A grid column of names (团结村第3网格) names the grid only.
                if gridColumn, !(value.utf8.count >= 6 && value.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 })) { info.issue = 5; return info }
                switch AreaCode.parse(value, regions: regionTable) {
                case .failure(let issue):
                    info.issue = issue == .blank ? 1 : issue == .notDigits ? 2 : issue == .wrongLength ? 3 : 4
                case .success(let code):
                    info.issue = 0
                    info.county = UInt32(code.county) ?? 0
                    if let township = code.township {
                        if let known = townshipCodeIndex[township] { info.township = known } else {
                            info.township = Int32(townshipCodes.count)
                            townshipCodeIndex[township] = info.township
                            townshipCodes.append(township)
                        }
                    }
                    if let village = code.village {
                        if let known = villageCodeIndex[village] { info.village = known } else {
                            info.village = Int32(villageCodes.count)
                            villageCodeIndex[village] = info.village
                            villageCodes.append(village)
                        }
                    }
                    info.grid = code.grid.flatMap { UInt16($0) } ?? 0
                }
                return info
            })
        }

        // Addresses are parsed once per distinct value (and county hint); rows point at results.
        // A source with county, township and village columns is placed by them; its addresses
        // are not read.
        let readsAddress = slots.map { $0.address >= 0 && !($0.county >= 0 && $0.township >= 0 && $0.village >= 0) }
        var results: [ParsedAddress] = []
        /// Per table, per row: the index of its address's result (-1 for none).
        var rowResult: [[Int32]] = tables.map { _ in [] }
        /// Per table (sources without codes), per distinct address: its result (-1 for blank).
        var valueResult: [[Int32]] = tables.map { _ in [] }

        // 3. Full addresses of the sources without codes teach the gazetteer (a name seen in at
        // least two distinct addresses of a large file, so one odd spelling teaches nothing).
        let learner = AddressParser(gazetteer: gazetteer, preferredRegions: preferred)
        for (t, table) in tables.enumerated() where readsAddress[t] && slots[t].codeColumn < 0 {
            let values = table.values[slots[t].address]
            let parsed = values.parallelMap { $0.isEmpty ? nil : learner.parse($0) }
            var indices = [Int32](repeating: -1, count: values.count)
            for (i, result) in parsed.enumerated() {
                guard let result else { continue }
                indices[i] = Int32(results.count)
                results.append(result)
            }
            valueResult[t] = indices
            rowResult[t] = table.ids[slots[t].address].map { indices[Int($0)] }
        }
        var support: [Gazetteer.Township: [String: Int]] = [:]
        var addressCount = 0
        for a in results where a.isComplete && !a.countyCode.isEmpty && !a.townshipKnown && inForce(a.countyCode) {
            support[Gazetteer.Township(countyCode: a.countyCode, name: a.township), default: [:]][a.village, default: 0] += 1
            addressCount += 1
        }
        let minimumSupport = addressCount >= 2000 ? 2 : 1
        for township in support.keys.sorted(by: { ($0.countyCode, $0.name) < ($1.countyCode, $1.name) }) {
            for (village, n) in support[township]!.sorted(by: { $0.key < $1.key }) where n >= minimumSupport {
                gazetteer.add(countyCode: township.countyCode, township: township.name, village: village)
            }
        }

        // The county a row is known to be in: its code's, else its person's local ID number's.
        var personCounty = [UInt32](repeating: 0, count: base.count)
        for p in 0..<base.count {
            if let region = base.region[p], isLocal(region), inForce(region) { personCounty[p] = UInt32(region) ?? 0 }
        }
        func hint(_ t: Int, _ row: Int) -> UInt32 {
            let s = slots[t]
            if s.codeColumn >= 0 {
                let info = codes[t][Int(tables[t].ids[s.codeColumn][row])]
                if info.issue == 0 { return info.county }
            }
            let p = Int(base.person[t][row])
            return p >= 0 ? personCounty[p] : 0
        }

        // 4. Addresses of the sources with codes, read with what was learned and the row's county:
        // every row whose code does not name a village, and enough rows of each coded village
        // to name it by majority (a village code names the rest).
        let reader = AddressParser(gazetteer: gazetteer, preferredRegions: preferred)
        let samplesPerVillage = 40
        var sampled = [UInt16](repeating: 0, count: villageCodes.count)
        var hintedKeys: [[UInt64]] = tables.map { _ in [] }
        var hintedBase = [Int](repeating: 0, count: tables.count)   // the result index of each table's first key
        for (t, table) in tables.enumerated() where readsAddress[t] && slots[t].codeColumn >= 0 {
            let s = slots[t]
            var slot: [UInt64: Int32] = [:]
            var keys: [UInt64] = []
            var rows = [Int32](repeating: -1, count: table.count)
            for row in 0..<table.count {
                let a = table.ids[s.address][row]
                guard !table.values[s.address][Int(a)].isEmpty else { continue }
                let info = codes[t][Int(table.ids[s.codeColumn][row])]
                if info.issue == 0, info.village >= 0 {
                    guard sampled[Int(info.village)] < samplesPerVillage else { continue }
                    sampled[Int(info.village)] += 1
                }
                let key = UInt64(a) << 24 | UInt64(hint(t, row))
                if let known = slot[key] { rows[row] = known; continue }
                let index = Int32(results.count + keys.count)
                slot[key] = index
                keys.append(key)
                rows[row] = index
            }
            let values = table.values[s.address]
            hintedBase[t] = results.count
            results += keys.parallelMap { key -> ParsedAddress in
                let county = key & 0xFF_FFFF
                return reader.parse(values[Int(key >> 24)], countyHint: county == 0 ? nil : String(county))
            }
            hintedKeys[t] = keys
            rowResult[t] = rows
        }

        // 5. Name the codes' villages and townships by majority of the addresses beside them, or
        // of the same person's complete address in a source without codes.
        var pairIndex: [String: Int32] = [:], pairs: [(township: String, village: String)] = []
        var resultPair = [Int32](repeating: -1, count: results.count)
        var townshipNameIndex: [String: Int32] = [:], townshipNames: [String] = []
        var resultTownship = [Int32](repeating: -1, count: results.count)
        for (r, a) in results.enumerated() {
            if !a.township.isEmpty {
                if let known = townshipNameIndex[a.township] { resultTownship[r] = known } else {
                    resultTownship[r] = Int32(townshipNames.count)
                    townshipNameIndex[a.township] = resultTownship[r]
                    townshipNames.append(a.township)
                }
            }
            guard a.isComplete else { continue }
            let key = a.township + "|" + a.village
            if let known = pairIndex[key] { resultPair[r] = known } else {
                resultPair[r] = Int32(pairs.count)
                pairIndex[key] = resultPair[r]
                pairs.append((a.township, a.village))
            }
        }
        let resultCounty = results.map { UInt32($0.countyCode) ?? 0 }
        var personResult = [Int32](repeating: -1, count: base.count)
        for t in tables.indices where !valueResult[t].isEmpty {
            for (row, r) in rowResult[t].enumerated() where r >= 0 && resultPair[Int(r)] >= 0 && resultCounty[Int(r)] != 0 {
                let p = Int(base.person[t][row])
                if p >= 0, personResult[p] < 0 { personResult[p] = r }
            }
        }
        var villageVotes: [UInt64: Int] = [:]     // village code index << 32 | name pair → votes
        var townshipVotes: [UInt64: Int] = [:]    // township code index << 32 | township name → votes
        for (t, table) in tables.enumerated() where !codes[t].isEmpty {
            let column = slots[t].codeColumn
            let own = rowResult[t]
            for row in 0..<table.count {
                let info = codes[t][Int(table.ids[column][row])]
                guard info.issue == 0, info.township >= 0 else { continue }
                var r = own.isEmpty ? -1 : own[row]
                if r >= 0, resultCounty[Int(r)] != 0, resultCounty[Int(r)] != info.county { r = -1 }
                if r >= 0, resultTownship[Int(r)] >= 0 { townshipVotes[UInt64(info.township) << 32 | UInt64(resultTownship[Int(r)]), default: 0] += 1 }
                if info.village >= 0 {
                    if r >= 0, resultPair[Int(r)] >= 0 {
                        villageVotes[UInt64(info.village) << 32 | UInt64(resultPair[Int(r)]), default: 0] += 2
                    } else {
                        let p = Int(base.person[t][row])
                        let q = p >= 0 ? personResult[p] : -1
                        if q >= 0, resultCounty[Int(q)] == info.county {
                            villageVotes[UInt64(info.village) << 32 | UInt64(resultPair[Int(q)]), default: 0] += 1
                        }
                    }
                }
            }
        }
        func winners(_ votes: [UInt64: Int], count: Int) -> [Int32] {
            var best = [(name: Int32, votes: Int)](repeating: (-1, 0), count: count)
            for (key, n) in votes {
                let code = Int(key >> 32), name = Int32(truncatingIfNeeded: key)
                if n > best[code].votes || (n == best[code].votes && name < best[code].name) { best[code] = (name, n) }
            }
            return best.map(\.name)
        }
        var villageName = winners(villageVotes, count: villageCodes.count)     // → index into pairs
        var townshipName = winners(townshipVotes, count: townshipCodes.count)  // → index into townshipNames
        // Codes this run's rows do not name take the names an earlier run learned.
        if let seed {
            for (v, code) in villageCodes.enumerated() where villageName[v] < 0 {
                guard let name = seed.villages[code], name.count == 2 else { continue }
                let key = name[0] + "|" + name[1]
                if let known = pairIndex[key] { villageName[v] = known } else {
                    villageName[v] = Int32(pairs.count)
                    pairIndex[key] = villageName[v]
                    pairs.append((name[0], name[1]))
                }
            }
            for (t, code) in townshipCodes.enumerated() where townshipName[t] < 0 {
                guard let name = seed.townships[code] else { continue }
                if let known = townshipNameIndex[name] { townshipName[t] = known } else {
                    townshipName[t] = Int32(townshipNames.count)
                    townshipNameIndex[name] = townshipName[t]
                    townshipNames.append(name)
                }
            }
        }
        for (v, pair) in villageName.enumerated() where pair >= 0 {
            let code = villageCodes[v]
            let name = pairs[Int(pair)]
            gazetteer.add(countyCode: String(code.prefix(6)), township: name.township, village: name.village)
            if let t = townshipCodeIndex[String(code.prefix(9))], townshipName[Int(t)] < 0 {
                townshipName[Int(t)] = townshipNameIndex[name.township] ?? -1
            }
        }

        // 6. Addresses not placed in a village yet are read again with everything learned.
        let final = AddressParser(gazetteer: gazetteer, preferredRegions: preferred)
        var again: [(index: Int, text: String, hint: UInt32)] = []
        for t in tables.indices where !valueResult[t].isEmpty {
            let values = tables[t].values[slots[t].address]
            for (v, r) in valueResult[t].enumerated() where r >= 0 {
                let a = results[Int(r)]
                if !a.isComplete || a.countyCode.isEmpty || !inForce(a.countyCode) { again.append((Int(r), values[v], 0)) }
            }
        }
        for t in tables.indices where !hintedKeys[t].isEmpty {
            let values = tables[t].values[slots[t].address]
            for (k, key) in hintedKeys[t].enumerated() {
                let r = hintedBase[t] + k
                let a = results[r]
                if !a.isComplete || a.countyCode.isEmpty { again.append((r, values[Int(key >> 24)], UInt32(key & 0xFF_FFFF))) }
            }
        }
        let reread = again.parallelMap { item in final.parse(item.text, countyHint: item.hint == 0 ? nil : String(item.hint)) }
        for (item, result) in zip(again, reread) where result.level >= results[item.index].level || !result.countyCode.isEmpty {
            results[item.index] = result
        }

        // 7. Each row's place, and each person's.
        var countyNames: [UInt32: String] = [:]
        func countyName(_ code: UInt32) -> String {
            if let known = countyNames[code] { return known }
            let name = regionTable.lookup(String(code))?.name ?? String(code)
            countyNames[code] = name
            return name
        }
        var resultArea = [UInt32](repeating: 0, count: results.count)
        for (r, found) in results.enumerated() where found.level > .prefecture {
            var path = AreaPath(county: found.county, township: found.township, village: found.village, grid: "")
            if path.township.isEmpty { path.village = "" }
            resultArea[r] = intern(path)
        }
        let persons = base.count
        let none = UInt32(0)
        var residence = [UInt32](repeating: none, count: persons)
        var registration = [UInt32](repeating: none, count: persons)
        var other = [UInt32](repeating: none, count: persons)
        var deepest = [UInt32](repeating: none, count: persons)
        var quality: [AreaSourceQuality] = []
        var gridMemo: [UInt64: UInt32] = [:]
        for (t, table) in tables.enumerated() {
            let s = slots[t]
            var stats = AreaSourceQuality(source: table.source.name, rows: table.count)
            let hasPlaces = s.hasColumns || s.code >= 0 || readsAddress[t] || codes[t].contains { $0.issue != 1 && $0.issue != 5 }
            stats.hasPlaces = hasPlaces
            guard hasPlaces || s.grid >= 0 else { quality.append(stats); continue }
            let category = table.source.isResidence ? 0 : (table.source.kind == .population ? 1 : 2)
            var columnMemo: [UInt64: UInt32] = [:]
            // Per distinct code value: its area (computed on first use).
            var codeArea = [UInt32](repeating: UInt32.max, count: codes[t].count)
            var issues = [Int](repeating: 0, count: 6)
            var unreadable = 0, noVillage = 0
            for row in 0..<table.count {
                var area = none, evidence = Evidence.none, level = AddressLevel.none
                @inline(__always) func consider(_ candidate: UInt32, _ how: Evidence) {
                    let l = areaLevel[Int(candidate)]
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
                        path.county = county.isEmpty ? "" : (countyCodeOfValue[t][c].isEmpty ? county : countyName(UInt32(countyCodeOfValue[t][c]) ?? 0))
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
                var grid: UInt64 = 0   // 1…999 a grid number; 1 << 32 | value id for a grid name
                if s.codeColumn >= 0 {
                    let valueID = Int(table.ids[s.codeColumn][row])
                    let info = codes[t][valueID]
                    if info.issue == 0 {
                        if info.grid > 0 { grid = UInt64(info.grid) }
                        if level < .village {
                            if codeArea[valueID] == UInt32.max {
                                var path = AreaPath(county: countyName(info.county), township: "", village: "", grid: "")
                                if info.township >= 0 {
                                    let name = townshipName[Int(info.township)]
                                    path.township = name >= 0 ? townshipNames[Int(name)] : townshipCodes[Int(info.township)]
                                }
                                if info.village >= 0 {
                                    let name = villageName[Int(info.village)]
                                    path.village = name >= 0 ? pairs[Int(name)].village : villageCodes[Int(info.village)]
                                }
                                codeArea[valueID] = intern(path)
                            }
                            consider(codeArea[valueID], .code)
                        }
                        if info.village >= 0, villageName[Int(info.village)] < 0 { stats.codesWithoutNames += 1 }
                    } else if info.issue == 5 {
                        grid = 1 << 32 | UInt64(valueID)
                    } else {
                        issues[Int(info.issue)] += 1
                    }
                }
                // Address.
                if readsAddress[t], level < .village {
                    let r = rowResult[t][row]
                    if r >= 0 {
                        let candidate = resultArea[Int(r)]
                        if candidate == none { unreadable += 1 } else {
                            consider(candidate, .address)
                            if areaLevel[Int(candidate)] < .village { noVillage += 1 }
                        }
                    }
                }
                if grid != 0, area != none {
                    let key = UInt64(area) << 33 | grid
                    if let known = gridMemo[key] {
                        area = known
                    } else {
                        var path = areas[Int(area)]
                        path.grid = grid >> 32 == 1 ? table.values[s.grid][Int(grid & 0xFFFF_FFFF)] : "第\(grid)网格"
                        let gridded = intern(path)
                        gridMemo[key] = gridded
                        area = gridded
                    }
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
                @inline(__always) func better(_ current: UInt32) -> Bool { areaLevel[Int(current)] < level }
                switch category {
                case 0: if better(residence[p]) { residence[p] = area }
                case 1: if better(registration[p]) { registration[p] = area }
                default: if better(other[p]) { other[p] = area }
                }
                if better(deepest[p]) { deepest[p] = area }
            }
            for (i, name) in [(2, "code_not_digits"), (3, "code_wrong_length"), (4, "code_unknown_county")] where issues[i] > 0 {
                stats.issues[name] = issues[i]
            }
            if unreadable > 0 { stats.issues["address_unreadable"] = unreadable }
            if noVillage > 0 { stats.issues["address_no_village"] = noVillage }
            quality.append(stats)
        }

        // 8. Per person.
        var person = [UInt32](repeating: none, count: persons)
        var hukou = [UInt32](repeating: none, count: persons)
        var origin = [AreaOrigin](repeating: .none, count: persons)
        var idCounty: [String: UInt32] = [:]
        for p in 0..<persons {
            hukou[p] = registration[p] != none ? registration[p] : other[p]
            if areaLevel[Int(residence[p])] == .village {
                person[p] = residence[p]; origin[p] = .residence
            } else if areaLevel[Int(registration[p])] == .village {
                person[p] = registration[p]; origin[p] = .registration
            } else if areaLevel[Int(other[p])] == .village {
                person[p] = other[p]; origin[p] = .otherList
            } else if deepest[p] != none {
                person[p] = deepest[p]
                origin[p] = deepest[p] == residence[p] ? .residence : (deepest[p] == registration[p] ? .registration : .otherList)
            } else if let region = base.region[p], isLocal(region) {
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
        let withVillage = person.reduce(0) { $0 + (areaLevel[Int($1)] == .village ? 1 : 0) }
        // What this run learned, for a later run on a few rows.
        var learned = AreaSeed()
        var hasVillage = Set<Int>()
        for v in gazetteer.villages {
            hasVillage.insert(v.township)
            let t = gazetteer.townships[v.township]
            learned.places.append([t.countyCode, t.name, v.name])
        }
        for (k, t) in gazetteer.townships.enumerated() where !hasVillage.contains(k) { learned.places.append([t.countyCode, t.name, ""]) }
        for (v, pair) in villageName.enumerated() where pair >= 0 {
            learned.villages[villageCodes[v]] = [pairs[Int(pair)].township, pairs[Int(pair)].village]
        }
        for (t, name) in townshipName.enumerated() where name >= 0 { learned.townships[townshipCodes[t]] = townshipNames[Int(name)] }
        return AreaResolution(areas: areas, person: person, hukou: hukou, origin: origin, sources: quality,
                              personsWithVillage: withVillage, townshipsKnown: gazetteer.count.townships,
                              villagesKnown: gazetteer.count.villages, seed: learned)
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
    /// The places learned from the data (for ``AreaSeed``).
    var seed = AreaSeed()
}

/// The places a coverage run learned from its data, kept so that a later run on a few rows
/// (an incremental update of a population base) names places as the full run did: the
/// gazetteer's townships and villages, and the names of division codes' villages and
/// townships (learned by majority of the addresses written beside them).
///
/// ```swift
/// let seed = result.areaSeed                         // from a full run
/// let data = try JSONEncoder().encode(seed)          // stored with the base
/// ```
public struct AreaSeed: Sendable, Codable, Equatable {
    /// Gazetteer entries: county code, township, village (empty for a township alone).
    public var places: [[String]] = []
    /// Village division code (12 digits) → township and village names.
    public var villages: [String: [String]] = [:]
    /// Township division code (9 digits) → township name.
    public var townships: [String: String] = [:]

    /// An empty seed.
    public init() {}
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
