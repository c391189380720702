import Zhaoren
import ZhaorenSupport

extension Population {
    /// Living persons by birth year, in 10k (NBS births as tabulated in domain-china.md §6,
    /// 1949–2023; earlier years and 2024–2026 estimated), before survival.
    static func births(_ year: Int) -> Double {
        let table: [Double] = [
            1275, 1419, 1349, 1622, 1637, 2232, 1965, 1961, 2138, 1889,   // 1949–1958
            1635, 1402, 949,                                             // 1959–1961
            2451, 2934, 2721, 2679, 2554, 2543, 2731, 2690, 2710, 2551, 2550, 2447, 2226, 2102, // 1962–1975
            1849, 1783, 1733, 1715, 1776,                                // 1976–1980
            2064, 2230, 2052, 2050, 2196, 2374, 2508, 2445, 2396, 2374, 2250, // 1981–1991
            2113, 2120, 2098, 2052, 2057, 2028, 1934, 1827, 1765,        // 1992–2000
            1702, 1647, 1599, 1593, 1617, 1585, 1594, 1608, 1615, 1592, 1604, 1635, 1640, 1687, 1655, // 2001–2015
            1786, 1723, 1523, 1465, 1202, 1062, 956, 902,                // 2016–2023
            954, 900, 880,                                               // 2024–2026 (estimated)
        ]
        if year < 1949 { return 1200 }
        return table[min(year - 1949, table.count - 1)]
    }

    /// Share of a birth cohort still alive at `age` (a rough life table; inference).
    static func survival(_ age: Int) -> Double {
        let points: [(Int, Double)] = [(0, 1), (40, 0.98), (50, 0.96), (60, 0.92), (70, 0.82), (80, 0.55), (90, 0.18), (100, 0.02), (105, 0)]
        for k in 1..<points.count where age <= points[k].0 {
            let (a0, s0) = points[k - 1], (a1, s1) = points[k]
            return s0 + (s1 - s0) * Double(age - a0) / Double(a1 - a0)
        }
        return 0
    }

    /// Mobile prefixes in assigned blocks (libphonenumber CN, domain-china.md §3).
    static let mobilePrefixes: [UInt64] = [130, 131, 132, 133, 134, 135, 136, 137, 138, 139, 150, 151, 152, 153, 155, 156,
                                           157, 158, 159, 166, 170, 171, 172, 173, 175, 176, 177, 178, 180, 181, 182, 183,
                                           184, 185, 186, 187, 188, 189, 191, 193, 195, 198, 199]

    /// Generates the hidden population of `geo`, exactly `config.persons` people.
    /// - Complexity: O(persons), single-threaded and deterministic.
    static func generate(config: CityConfig, names: NameTables, geo: Geography, regions: RegionCodes,
                         _ base: SeededGenerator) -> Population {
        var pop = Population()
        let n = config.persons
        pop.reserve(n)
        var rng = base.derived("population")
        let asOf = config.asOf
        let asOfDay = asOf.dayNumber
        let ages = Array(0...100)
        let ageWeights = ages.map { births(asOf.year - $0) * survival($0) }
        let anyAge = WeightedPicker(ageWeights)
        let adultAge = WeightedPicker(ages.map { $0 >= 25 ? ageWeights[$0] * ($0 >= 70 ? 0.6 : 1) : 0 })
        let elderAge = WeightedPicker(ages.map { $0 >= 60 ? ageWeights[$0] : 0 })
        let sizePicker = WeightedPicker([0.10, 0.19, 0.22, 0.25, 0.15, 0.09])
        var orderCounts: [UInt64: UInt16] = [:]
        orderCounts.reserveCapacity(n)
        _ = anyAge

        func birthDay(age: Int, _ rng: inout SeededGenerator) -> Int32 {
            // Born between exactly `age + 1` years and `age` years before the reference date.
            let latest = CivilDate(year: asOf.year - age, month: asOf.month, day: min(asOf.day, 28))!.dayNumber - 1
            return latest - Int32(rng.below(365))
        }

        for v in geo.villages.indices {
            let village = geo.villages[v]
            let county = geo.counties[geo.townships[village.township].county]
            var remaining = village.target
            var house = 0
            while remaining > 0 {
                let h = pop.householdCount
                house += 1
                let migrant = rng.chance(village.isCommunity ? 0.06 : 0.025)
                let minority = migrant && rng.chance(0.12)
                let hui = !minority && rng.chance(migrant ? 0.2 : county.huiShare)
                let ethnic: UInt8 = minority ? (rng.chance(0.8) ? 2 : 3) : (hui ? 1 : (rng.chance(0.01) ? UInt8(4 + rng.below(3)) : 0))
                let householdRegion: UInt32 = minority ? regions.codes[regions.minority.pick(&rng)]
                    : (migrant ? regions.codes[regions.elsewhere.pick(&rng)] : county.code)
                pop.householdVillage.append(UInt32(v))
                pop.householdGrid.append(UInt32(village.firstGrid + rng.below(village.gridCount)))
                pop.householdHouse.append(UInt16(house))
                pop.householdGroup.append(UInt8(1 + rng.below(8)))
                pop.householdFirst.append(UInt32(pop.count))
                pop.householdMigrant.append(migrant)

                // Members: (age, female, relation).
                let size = min(remaining, sizePicker.pick(&rng) + 1)
                var members: [(age: Int, female: Bool, relation: UInt8)] = []
                var headAge = size == 1 && rng.chance(0.25) ? elderAge.pick(&rng) : adultAge.pick(&rng)
                if migrant { headAge = min(headAge, 22 + rng.below(35)) }
                let couple = size >= 2 && rng.chance(headAge < 80 ? 0.85 : 0.5)
                let headFemale = size == 1 ? rng.chance(headAge >= 65 ? 0.55 : 0.3) : rng.chance(couple ? 0.22 : 0.4)
                members.append((headAge, headFemale, 0))
                var motherAge: Int? = headFemale ? headAge : nil
                if couple {
                    let gap = rng.within(-1...5)
                    let spouseAge = max(20, min(100, headFemale ? headAge + gap : headAge - gap))
                    members.append((spouseAge, !headFemale, 1))
                    if !headFemale { motherAge = spouseAge }
                }
                var elders = 0
                if headAge <= 50 && (size >= 6 || (size == 5 && rng.chance(0.5))) { elders = size == 6 && rng.chance(0.5) ? 2 : 1 }
                for e in 0..<elders where members.count < size {
                    let elderAgeValue = headAge + rng.within(24...32)
                    if elderAgeValue <= 95 { members.append((elderAgeValue, e == 0 ? rng.chance(0.5) : true, 3)) }
                }
                if let mother = motherAge ?? (members.count < size ? headAge : nil) {
                    var childAge = mother - rng.within(21...30)
                    let eldest = childAge
                    var children = 0
                    while members.count < size && childAge >= 0 && (mother < 48 || children < 2) {
                        let male = rng.chance(asOf.year - childAge >= 1990 ? 0.527 : 0.513)
                        members.append((childAge, !male, 2))
                        childAge -= rng.within(1...4)
                        children += 1
                    }
                    // Grandchildren of the eldest child in three-generation households.
                    var grandAge = eldest - rng.within(22...30)
                    while mother >= 48 && members.count < size && grandAge >= 0 {
                        members.append((grandAge, !rng.chance(0.527), 4))
                        grandAge -= rng.within(1...4)
                    }
                }

                // Names, births, IDs.
                let headSurname = drawSurname(hui: hui, names, &rng)
                var spouseSurname = headSurname
                let minorityFather: UInt16 = minority ? names.minorityMale[rng.below(names.minorityMale.count)] : 0
                for (k, m) in members.enumerated() {
                    let p = pop.count
                    let birth = birthDay(age: m.age, &rng)
                    let birthYear = CivilDate(dayNumber: birth).year
                    var sur: UInt16
                    var g1: UInt16, g2: UInt16
                    if minority {
                        sur = CharTable.none
                        let own = m.female ? names.minorityFemale : names.minorityMale
                        g1 = (k == 0 && !m.female) ? minorityFather : own[rng.below(own.count)]
                        g2 = (m.relation == 2 && !headFemale) ? minorityFather : names.minorityMale[rng.below(names.minorityMale.count)]
                    } else {
                        switch m.relation {
                        case 0: sur = headSurname
                        case 1: sur = drawSurname(hui: hui, names, &rng); spouseSurname = sur
                        case 2, 4: sur = headFemale ? (rng.chance(0.6) ? headSurname : drawSurname(hui: hui, names, &rng))
                                    : (rng.chance(1.0 / 13.0) ? spouseSurname : headSurname)
                        default: sur = (!m.female && !headFemale) ? headSurname : drawSurname(hui: hui, names, &rng)
                        }
                        (g1, g2) = names.drawGiven(year: birthYear, female: m.female, &rng)
                    }
                    var region = householdRegion
                    if !migrant {
                        if m.relation == 1 && rng.chance(0.08) {
                            region = regions.codes[regions.elsewhere.pick(&rng)]
                        } else if rng.chance(0.003) {
                            region = regions.codes[regions.abolished.pick(&rng)]
                        } else if birthYear < 2001 && rng.chance(0.45) {
                            region = county.oldCode
                        }
                    }
                    var flags: UInt32 = migrant ? Flag.migrant : Flag.resident
                    if !migrant && m.age >= 60 && birthYear >= 1900 && birthYear <= 1999 && rng.chance(0.02) { flags |= Flag.id15 }
                    pop.surname.append(sur)
                    pop.given1.append(g1)
                    pop.given2.append(g2)
                    pop.female.append(m.female)
                    pop.birth.append(birth)
                    pop.death.append(Population.alive)
                    pop.region.append(region)
                    pop.appendID(region: region, birth: birth, female: m.female, counts: &orderCounts)
                    pop.household.append(UInt32(h))
                    pop.relation.append(m.relation)
                    pop.ethnicity.append(ethnic)
                    pop.phone.append(m.age >= 14 && m.age <= 85 && rng.chance(0.9)
                        ? mobilePrefixes[rng.below(mobilePrefixes.count)] * 100_000_000 + UInt64(rng.below(100_000_000)) : 0)
                    pop.flags.append(flags)
                    pop.disability.append(0)
                    pop.count += 1
                    _ = p
                }
                remaining -= members.count
            }
        }
        pop.householdFirst.append(UInt32(pop.count))
        pop.assignLifeEvents(config: config, geo: geo, asOfDay: asOfDay, base.derived("events"))
        return pop
    }

    private static func drawSurname(hui: Bool, _ names: NameTables, _ rng: inout SeededGenerator) -> UInt16 {
        UInt16(hui ? names.huiSurnames.pick(&rng) : names.nationalSurnames.pick(&rng))
    }

    private mutating func reserve(_ n: Int) {
        surname.reserveCapacity(n); given1.reserveCapacity(n); given2.reserveCapacity(n); female.reserveCapacity(n)
        birth.reserveCapacity(n); death.reserveCapacity(n); region.reserveCapacity(n); ids.reserveCapacity(n * 18)
        household.reserveCapacity(n); relation.reserveCapacity(n); ethnicity.reserveCapacity(n); phone.reserveCapacity(n)
        flags.reserveCapacity(n); disability.reserveCapacity(n)
    }

    /// Appends an 18-digit ID: region, birth date, an order code unique for (region, date)
    /// whose parity gives the sex (odd male, even female), and the MOD 11-2 check.
    private mutating func appendID(region: UInt32, birth: Int32, female: Bool, counts: inout [UInt64: UInt16]) {
        let key = UInt64(region) << 34 | UInt64(UInt32(bitPattern: birth &+ 0x10_0000)) << 1 | (female ? 0 : 1)
        let used = counts[key, default: 0]
        counts[key] = used &+ 1
        let start = Int((UInt64(region) &* 31 &+ UInt64(UInt32(bitPattern: birth &+ 0x10_0000))) % 500)
        let order = ((start + Int(used)) % 500) * 2 + (female ? 0 : 1)
        let date = CivilDate(dayNumber: birth)
        var body = [UInt8]()
        body.reserveCapacity(18)
        Self.appendDigits(Int(region), width: 6, to: &body)
        Self.appendDigits(date.year, width: 4, to: &body)
        Self.appendDigits(date.month, width: 2, to: &body)
        Self.appendDigits(date.day, width: 2, to: &body)
        Self.appendDigits(order, width: 3, to: &body)
        body.append(CheckDigits.residentID(body)!)
        ids.append(contentsOf: body)
    }

    static func appendDigits(_ value: Int, width: Int, to out: inout [UInt8]) {
        var digits = [UInt8](repeating: 48, count: width)
        var v = value
        var i = width - 1
        while i >= 0 { digits[i] = UInt8(48 + v % 10); v /= 10; i -= 1 }
        out.append(contentsOf: digits)
    }

    /// Deaths over the last five years, moves, survey coverage, students, disability, 低保 and 特困.
    private mutating func assignLifeEvents(config: CityConfig, geo: Geography, asOfDay: Int32, _ base: SeededGenerator) {
        var rng = base
        let rates = config.errors
        let windowStart = asOfDay - 5 * 365
        for p in 0..<count {
            let age = self.age(p, at: config.asOf)
            // Deaths: annual hazard by age over five years.
            let hazard: Double = age < 40 ? 0.0008 : age < 60 ? 0.003 : age < 70 ? 0.014 : age < 80 ? 0.045 : age < 90 ? 0.11 : 0.24
            if rng.chance(1 - pow5(1 - hazard)) {
                let day = windowStart + Int32(rng.below(5 * 365))
                if day > birth[p] {
                    death[p] = day
                    let registered = rng.chance(0.92)
                    var cancelled = has(p, Flag.resident) && rng.chance(0.88)
                    if !registered && has(p, Flag.resident) { cancelled = true }
                    if registered || !has(p, Flag.resident) { flags[p] |= Flag.deathRegister }
                    if cancelled { flags[p] |= Flag.policeDeath }
                }
            }
            let alive = isAlive(p)
            if alive && has(p, Flag.resident) && age >= 18 && age <= 45 && rng.chance(0.015) { flags[p] |= Flag.movedOut }
            if alive && !has(p, Flag.movedOut) && (has(p, Flag.migrant) || !rng.chance(rates.surveyMissing)) {
                flags[p] |= Flag.surveyed
                if rng.chance(rates.surveyDuplicate) { flags[p] |= Flag.surveyedTwice }
            }
            if alive && age >= 16 && age <= 22 && rng.chance(age <= 18 ? 0.92 : 0.5) { flags[p] |= Flag.student }
            let pDisabled = age < 18 ? 0.01 : age < 60 ? 0.025 : 0.07
            if rng.chance(pDisabled) {
                let type = [1, 1, 1, 1, 1, 1, 1, 2, 2, 3, 3, 4, 5, 5, 6, 6, 7][rng.below(17)]
                let u = rng.unit()
                let level = u < 0.1 ? 1 : u < 0.35 ? 2 : u < 0.65 ? 3 : 4
                disability[p] = UInt8(type * 16 + level)
            }
        }
        // 低保 by household, 特困 for old or severely disabled people living alone.
        for h in 0..<householdCount where !householdMigrant[h] {
            let first = Int(householdFirst[h]), end = Int(householdFirst[h + 1])
            let community = geo.villages[Int(householdVillage[h])].isCommunity
            if end - first == 1 {
                let p = first
                let severe = disability[p] != 0 && disability[p] & 15 <= 2
                if isAlive(p) && !has(p, Flag.movedOut) && (age(p, at: config.asOf) >= 60 && rng.chance(0.3) || severe && rng.chance(0.3)) {
                    flags[p] |= Flag.tekun
                    continue
                }
            }
            if rng.chance(community ? 0.04 : 0.07) {
                for p in first..<end where isAlive(p) && !has(p, Flag.movedOut) { flags[p] |= Flag.dibao }
            }
        }
    }

    private func pow5(_ x: Double) -> Double { x * x * x * x * x }
}
