import ZhaorenSupport

/// The city's places: counties → townships (real names) → villages and communities
/// (synthetic names) → grids, sized for the number of persons asked for.
struct Geography: Sendable {
    struct County: Sendable {
        var code: UInt32
        var name: String
        /// The 固原地区 code the county had until 2000 (still carried by older ID numbers).
        var oldCode: UInt32
        var weight: Double
        var huiShare: Double
    }

    struct Township: Sendable {
        var county: Int
        var name: String
        var isStreet: Bool
        /// The 3-digit township part of the 统计用区划代码: streets 001–099, towns 100–199,
        /// townships 200–399, as the statistics bureau numbers them.
        var code = 0
    }

    struct Village: Sendable {
        var township: Int
        var name: String
        var isCommunity: Bool
        /// Persons this village should hold.
        var target: Int
        var firstGrid: Int
        var gridCount: Int
        /// The 3-digit village part of the code: communities (居委会) 001–199, villages (村委会) 200–399.
        var code = 0
    }

    var counties: [County] = []
    var townships: [Township] = []
    var villages: [Village] = []
    /// For each grid, its village.
    var gridVillage: [UInt32] = []
    /// For each grid, its number within the village (1-based).
    var gridNumber: [UInt16] = []

    /// Grid names, e.g. `团结村第3网格`.
    private(set) var gridNames: [String] = []

    /// The name of grid `g`, e.g. `团结村第3网格`.
    func gridName(_ g: Int) -> String { gridNames[g] }

    /// 1 → 一, 12 → 十二, 20 → 二十, 35 → 三十五: numbers as names and clerks write them
    /// (新民一村, 二组), never in ASCII digits.
    static func chineseNumber(_ n: Int) -> String {
        let digits = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"]
        guard n > 0, n < 100 else { return String(n) }
        if n < 10 { return digits[n] }
        let tens = n / 10, ones = n % 10
        return (tens == 1 ? "" : digits[tens]) + "十" + (ones == 0 ? "" : digits[ones])
    }

    /// The 12-digit 统计用区划代码 of village `v` (county + township + village).
    func villageCode(_ v: Int) -> String {
        let village = villages[v]
        let township = townships[village.township]
        return String(counties[township.county].code) + Self.digits(township.code) + Self.digits(village.code)
    }

    /// The 15-digit code of grid `g`: its village's code and the grid's number.
    func gridCode(_ g: Int) -> String { villageCode(Int(gridVillage[g])) + Self.digits(Int(gridNumber[g])) }

    private static func digits(_ value: Int) -> String {
        let s = String(value)
        return String(repeating: "0", count: max(0, 3 - s.count)) + s
    }

    /// Lays out a city for `persons` people.
    init(persons: Int, _ rng: inout SeededGenerator) {
        for row in TSV.rows(EmbeddedTables.counties) {
            counties.append(County(code: UInt32(row[0]) ?? 0, name: String(row[1]), oldCode: UInt32(row[2]) ?? 0,
                                   weight: Double(row[3]) ?? 0, huiShare: Double(row[4]) ?? 0))
        }
        let countyIndex = Dictionary(uniqueKeysWithValues: counties.enumerated().map { ($1.code, $0) })
        for row in TSV.rows(EmbeddedTables.townships) {
            guard let c = countyIndex[UInt32(row[0]) ?? 0] else { continue }
            townships.append(Township(county: c, name: String(row[2]), isStreet: row[3] == "街道"))
        }
        // Division codes by kind, in table order within each county.
        var next: [Int: [Int]] = [:]
        for t in townships.indices {
            let kind = townships[t].isStreet ? 0 : (townships[t].name.hasSuffix("镇") ? 1 : 2)
            var counters = next[townships[t].county] ?? [1, 100, 200]
            townships[t].code = counters[kind]
            counters[kind] += 1
            next[townships[t].county] = counters
        }
        var villageStems: [String] = []
        var communityStems: [String] = []
        for row in TSV.rows(EmbeddedTables.villageNames) {
            if row[0] == "社区" { communityStems.append(String(row[1])) } else { villageStems.append(String(row[1])) }
        }
        let countySeats: Set<String> = ["吉强镇", "城关镇", "香水镇", "白阳镇"]
        // Persons per township: county weight split by township kind.
        for c in counties.indices {
            let members = townships.indices.filter { townships[$0].county == c }
            let weights = members.map { t -> Double in
                townships[t].isStreet ? 2.2 : (countySeats.contains(townships[t].name) ? 2.0
                    : (townships[t].name.hasSuffix("镇") ? 1.1 : 0.8))
            }
            let total = weights.reduce(0, +)
            for (k, t) in members.enumerated() {
                let people = Double(persons) * counties[c].weight * weights[k] / total
                let count = max(1, min(40, Int((people / 1500).rounded())))
                let communities = townships[t].isStreet ? count
                    : (countySeats.contains(townships[t].name) ? min(count - 1, max(0, count / 3)) : 0)
                var vStems = villageStems, cStems = communityStems
                rng.shuffle(&vStems)
                rng.shuffle(&cStems)
                for v in 0..<count {
                    let isCommunity = v < communities
                    let stem = isCommunity ? cStems[v % cStems.count] : vStems[(v - communities) % vStems.count]
                    let round = isCommunity ? v / cStems.count : (v - communities) / vStems.count
                    let name = (round > 0 ? "新" + stem + Self.chineseNumber(round) : stem) + (isCommunity ? "社区" : "村")
                    villages.append(Village(township: t, name: name, isCommunity: isCommunity,
                                            target: Int(people / Double(count)), firstGrid: 0, gridCount: 0,
                                            code: isCommunity ? 1 + v : 200 + v - communities))
                }
            }
        }
        // Make the targets add up to exactly `persons`.
        var assigned = villages.reduce(0) { $0 + $1.target }
        var i = 0
        while assigned != persons {
            let step = assigned < persons ? 1 : -1
            if step > 0 || villages[i].target > 0 {
                villages[i].target += step
                assigned += step
            }
            i = (i + 1) % villages.count
        }
        for v in villages.indices {
            villages[v].firstGrid = gridVillage.count
            let grids = max(1, villages[v].target / 350)
            villages[v].gridCount = grids
            for g in 0..<grids {
                gridVillage.append(UInt32(v))
                gridNumber.append(UInt16(g + 1))
                gridNames.append(villages[v].name + "第" + String(g + 1) + "网格")
            }
        }
    }
}
