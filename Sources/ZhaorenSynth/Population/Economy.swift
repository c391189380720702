import Zhaoren
import ZhaorenSupport

/// Generates who works where and every pension account, with the statuses the coverage
/// workflow must find: paying, interrupted, suspended, receiving, terminated, elsewhere,
/// duplicate enrolment, and pensions still paid after death.
enum Economy {
    static func generate(pop: inout Population, geo: Geography, regions: RegionCodes, config: CityConfig,
                         _ base: SeededGenerator) -> (Enterprises, Accounts) {
        var rng = base.derived("economy")
        let asOf = config.asOf
        let asOfMonth = Int32(asOf.year * 100 + asOf.month)
        let lastMonth = Accounts.shift(asOfMonth, by: -1)
        func countyOf(_ p: Int) -> Int { geo.townships[geo.villages[Int(pop.householdVillage[Int(pop.household[p])])].township].county }
        func isCommunity(_ p: Int) -> Bool { geo.villages[Int(pop.householdVillage[Int(pop.household[p])])].isCommunity }

        // 1. Workers.
        var employees: [Int] = []
        for p in 0..<pop.count where pop.isAlive(p) && !pop.has(p, Population.Flag.student) && !pop.has(p, Population.Flag.movedOut) {
            let age = pop.age(p, at: asOf)
            guard age >= 18 && age <= 59 else { continue }
            let urban = isCommunity(p)
            if pop.has(p, Population.Flag.resident) && rng.chance(urban ? 0.06 : 0.015) {
                pop.flags[p] |= Population.Flag.civilServant
            } else if rng.chance(pop.has(p, Population.Flag.migrant) ? 0.5 : (urban ? 0.3 : 0.13)) {
                pop.flags[p] |= Population.Flag.employee
                employees.append(p)
            }
        }
        rng.shuffle(&employees)

        // 2. Enterprises, sized until every worker has a place.
        var firms = Enterprises()
        var nameRng = base.derived("enterprise-names")
        let words = EnterpriseWords()
        var usedNames = Set<String>()
        var usedCores = Set<String>()
        let countyPicker = WeightedPicker(geo.counties.map(\.weight))
        let sizePicker = WeightedPicker([0.5, 0.3, 0.15, 0.05])
        var slots = 0
        var insurePolicy: [UInt8] = []   // 0 all, 1 partial, 2 none
        while slots < employees.count || firms.count < 10 {
            let operating = rng.chance(0.92)
            var headcount = 0
            if operating {
                switch sizePicker.pick(&rng) {
                case 0: headcount = rng.within(1...3)
                case 1: headcount = rng.within(4...10)
                case 2: headcount = rng.within(11...50)
                default: headcount = rng.within(51...300)
                }
            }
            let c = countyPicker.pick(&rng)
            let foundedYear = rng.within(1998...(asOf.year - 1))
            let founded = CivilDate(year: foundedYear, month: rng.within(1...12), day: rng.within(1...28))!.dayNumber
            let registered = !operating || !rng.chance(0.02)
            firms.codes.append(contentsOf: Enterprises.makeCode(authority: 57, type: 49, region: geo.counties[c].code,
                                                                modern: foundedYear >= 2016, &rng))
            let (name, taxName) = words.name(county: geo.counties[c].name, used: &usedNames, usedCores: &usedCores,
                                             variantRate: config.errors.taxNameVariant, &nameRng)
            firms.names.append(name)
            firms.taxNames.append(taxName)
            firms.county.append(UInt8(c))
            firms.founded.append(founded)
            firms.status.append(operating ? 0 : (rng.chance(0.6) ? 1 : 2))
            firms.type.append(UInt8(rng.below(10) < 6 ? 0 : rng.below(4)))
            firms.inRegistry.append(registered)
            firms.inTax.append(operating && (!registered || rng.chance(0.93)))
            firms.legacyTaxID.append(foundedYear < 2015 && rng.chance(0.15))
            firms.headcount.append(Int32(headcount))
            firms.insured.append(0)
            firms.monthlyWage.append(Int32(rng.within(2800...6500)))
            let u = rng.unit()
            insurePolicy.append(registered ? (u < 0.72 ? 0 : u < 0.86 ? 1 : 2) : (u < 0.4 ? 0 : 2))
            firms.count += 1
            slots += headcount
        }
        // Fill places in order; the last enterprise keeps only the workers it got.
        var employerOf = [Int32](repeating: -1, count: pop.count)
        var insuredByEmployer = [Bool](repeating: false, count: pop.count)
        var next = 0
        for e in 0..<firms.count where firms.headcount[e] > 0 {
            let h = Int(firms.headcount[e])
            let take = min(h, employees.count - next)
            firms.headcount[e] = Int32(take)
            let insuredCount: Int
            switch insurePolicy[e] {
            case 0: insuredCount = take
            case 1: insuredCount = take >= 2 ? rng.within(1...(take - 1)) : take
            default: insuredCount = 0
            }
            for k in 0..<take {
                let p = employees[next + k]
                employerOf[p] = Int32(e)
                insuredByEmployer[p] = k < insuredCount
            }
            next += take
        }
        // Other employers: government bodies of each county, enterprises elsewhere. Their names
        // come from a stream of their own (the codes' stream is unchanged).
        var otherNameRng = base.derived("other-employer-names")
        for c in geo.counties.indices {
            for k in 0..<8 {
                firms.otherCodes.append(contentsOf: Enterprises.makeCode(authority: 49, type: 50, region: geo.counties[c].code, modern: false, &rng))
                firms.otherNames.append("固原市" + geo.counties[c].name + Enterprises.governmentBodies[k])
                firms.governmentUnits += 1
            }
        }
        let externalStart = firms.governmentUnits
        for _ in 0..<300 {
            let region = regions.codes[regions.elsewhere.pick(&rng)]
            firms.otherCodes.append(contentsOf: Enterprises.makeCode(authority: 57, type: 49, region: region, modern: rng.chance(0.5), &rng))
            let city = Enterprises.otherCities[otherNameRng.below(Enterprises.otherCities.count)]
            firms.otherNames.append(city + words.core(usedCores: &usedCores, &otherNameRng) + "有限公司")
        }
        let externalCount = 300

        // 3. Accounts, person by person.
        var duplicateRng = base.derived("duplicate-accounts")
        var acc = Accounts()
        acc.person.reserveCapacity(pop.count)
        func elsewhereCode() -> UInt32 {
            while true {
                let code = regions.codes[regions.elsewhere.pick(&rng)]
                if code / 100 != 6404 { return code }
            }
        }
        func external() -> Int32 { Int32(-2 - (externalStart + rng.below(externalCount))) }
        func government(_ c: Int) -> Int32 { Int32(-2 - (c * 8 + rng.below(8))) }
        func monthsBack(_ range: ClosedRange<Int>) -> Int32 { Accounts.shift(lastMonth, by: -rng.within(range)) }
        func currentPaid() -> Int32 { rng.chance(0.8) ? lastMonth : Accounts.shift(lastMonth, by: -1) }

        for p in 0..<pop.count {
            let first = acc.count
            let local = geo.counties[countyOf(p)].code
            let migrant = pop.has(p, Population.Flag.migrant)
            let home = migrant ? pop.region[p] : local
            let homeIsLocal = !migrant
            if !pop.isAlive(p) {
                let deathDate = CivilDate(dayNumber: pop.death[p])
                let deathMonth = Int32(deathDate.year * 100 + deathDate.month)
                let ageAtDeath = CivilDate(dayNumber: pop.birth[p]).years(to: deathDate)
                if ageAtDeath >= 60 && rng.chance(0.85) {
                    let s: UInt8 = rng.chance(0.75) ? Accounts.Scheme.resident : Accounts.Scheme.employee
                    let u = rng.unit()
                    let region = homeIsLocal ? local : home
                    if u < 0.05 && homeIsLocal {
                        // Still paid after death: the anomaly the workflow must find.
                        let after = Accounts.shift(deathMonth, by: rng.within(1...24))
                        acc.add(person: p, scheme: s, region: region, status: Accounts.Status.receiving,
                                lastBenefit: min(after, lastMonth))
                        if acc.lastBenefit[acc.count - 1] <= deathMonth { acc.lastBenefit[acc.count - 1] = lastMonth }
                    } else if u < 0.08 {
                        acc.add(person: p, scheme: s, region: region, status: Accounts.Status.receiving, lastBenefit: deathMonth)
                    } else {
                        acc.add(person: p, scheme: s, region: region, status: Accounts.Status.terminated, lastBenefit: deathMonth)
                    }
                } else if ageAtDeath >= 16 && ageAtDeath < 60 && rng.chance(0.7) {
                    acc.add(person: p, scheme: Accounts.Scheme.resident, region: homeIsLocal ? local : home,
                            status: rng.chance(0.7) ? Accounts.Status.terminated : Accounts.Status.interrupted,
                            lastPaid: min(deathMonth, lastMonth))
                }
                continue
            }
            let age = pop.age(p, at: asOf)
            if age < 16 { continue }
            if pop.has(p, Population.Flag.student) {
                if age >= 18 && rng.chance(0.05) {
                    acc.add(person: p, scheme: Accounts.Scheme.resident, region: home, status: Accounts.Status.paying, lastPaid: currentPaid())
                }
                continue
            }
            if pop.has(p, Population.Flag.movedOut) {
                let u = rng.unit()
                if u < 0.6 {
                    acc.add(person: p, scheme: Accounts.Scheme.employee, region: elsewhereCode(), status: Accounts.Status.paying,
                            employer: external(), lastPaid: currentPaid())
                } else if u < 0.7 {
                    acc.add(person: p, scheme: Accounts.Scheme.employee, region: elsewhereCode(), status: Accounts.Status.suspended,
                            employer: external(), lastPaid: monthsBack(3...30))
                }
                if rng.chance(0.5) {
                    acc.add(person: p, scheme: Accounts.Scheme.resident, region: local, status: Accounts.Status.terminated, lastPaid: monthsBack(12...96))
                }
                continue
            }
            if age >= 60 {
                let u = rng.unit()
                if u < 0.86 {
                    let v = rng.unit()
                    let s = v < 0.72 ? Accounts.Scheme.resident : v < 0.92 ? Accounts.Scheme.employee : Accounts.Scheme.publicSector
                    let region = migrant ? home : (rng.chance(0.03) ? elsewhereCode() : local)
                    let retired = Accounts.shift(Int32((CivilDate(dayNumber: pop.birth[p]).year + 60) * 100 + 1), by: -1)
                    acc.add(person: p, scheme: s, region: region, status: Accounts.Status.receiving,
                            employer: s == Accounts.Scheme.publicSector ? government(countyOf(p)) : -1,
                            lastPaid: s == Accounts.Scheme.resident && rng.chance(0.3) ? 0 : min(retired, lastMonth), lastBenefit: lastMonth)
                } else if u < 0.90 {
                    acc.add(person: p, scheme: Accounts.Scheme.resident, region: home, status: Accounts.Status.interrupted, lastPaid: monthsBack(12...120))
                }
            } else if pop.has(p, Population.Flag.civilServant) {
                acc.add(person: p, scheme: Accounts.Scheme.publicSector, region: local, status: Accounts.Status.paying,
                        employer: government(countyOf(p)), lastPaid: currentPaid())
            } else if employerOf[p] >= 0 && insuredByEmployer[p] {
                let e = Int(employerOf[p])
                acc.add(person: p, scheme: Accounts.Scheme.employee, region: geo.counties[Int(firms.county[e])].code,
                        status: Accounts.Status.paying, employer: Int32(e), lastPaid: currentPaid())
                firms.insured[e] += 1
                // Real shape: a second account opened for the same job (one person, two rows).
                if config.shape == .real && duplicateRng.chance(0.01) {
                    acc.add(person: p, scheme: Accounts.Scheme.employee, region: geo.counties[Int(firms.county[e])].code,
                            status: Accounts.Status.paying, employer: Int32(e), lastPaid: acc.lastPaid[acc.count - 1])
                }
            } else if migrant {
                let u = rng.unit()
                if u < 0.45 {
                    acc.add(person: p, scheme: Accounts.Scheme.employee, region: elsewhereCode(), status: Accounts.Status.paying,
                            employer: external(), lastPaid: currentPaid())
                } else if u < 0.55 {
                    acc.add(person: p, scheme: Accounts.Scheme.resident, region: home, status: Accounts.Status.paying, lastPaid: currentPaid())
                } else if u < 0.65 {
                    acc.add(person: p, scheme: Accounts.Scheme.employee, region: elsewhereCode(), status: Accounts.Status.interrupted,
                            employer: external(), lastPaid: monthsBack(6...60))
                }
            } else {
                let u = rng.unit()
                if u < 0.56 {
                    acc.add(person: p, scheme: Accounts.Scheme.resident, region: local, status: Accounts.Status.paying, lastPaid: currentPaid())
                } else if u < 0.69 {
                    if rng.chance(0.7) {
                        acc.add(person: p, scheme: Accounts.Scheme.resident, region: local, status: Accounts.Status.interrupted, lastPaid: monthsBack(6...72))
                    } else {
                        let e = Int32(rng.below(firms.count))
                        acc.add(person: p, scheme: Accounts.Scheme.employee, region: geo.counties[Int(firms.county[Int(e)])].code,
                                status: Accounts.Status.interrupted, employer: e, lastPaid: monthsBack(6...72))
                    }
                } else if u < 0.75 {
                    acc.add(person: p, scheme: Accounts.Scheme.employee, region: elsewhereCode(), status: Accounts.Status.paying,
                            employer: external(), lastPaid: currentPaid())
                } else if u < 0.78 {
                    acc.add(person: p, scheme: Accounts.Scheme.employee, region: elsewhereCode(), status: Accounts.Status.suspended,
                            employer: external(), lastPaid: monthsBack(3...30))
                } else if u < 0.80 {
                    acc.add(person: p, scheme: Accounts.Scheme.employee, region: elsewhereCode(), status: Accounts.Status.interrupted,
                            employer: external(), lastPaid: monthsBack(6...60))
                } else if u < 0.82 {
                    if pop.female[p] && age >= 50 {
                        acc.add(person: p, scheme: Accounts.Scheme.employee, region: local, status: Accounts.Status.receiving,
                                lastPaid: monthsBack(1...100), lastBenefit: lastMonth)
                    } else {
                        acc.add(person: p, scheme: Accounts.Scheme.resident, region: local, status: Accounts.Status.paying, lastPaid: currentPaid())
                    }
                } else if u < 0.85 {
                    acc.add(person: p, scheme: Accounts.Scheme.resident, region: local, status: Accounts.Status.terminated, lastPaid: monthsBack(12...96))
                }
            }
            // Duplicate enrolment: a second active account.
            if acc.count > first && rng.chance(0.006) {
                let s0 = acc.scheme[first]
                if s0 == Accounts.Scheme.resident {
                    acc.add(person: p, scheme: Accounts.Scheme.employee, region: elsewhereCode(), status: Accounts.Status.paying,
                            employer: external(), lastPaid: currentPaid())
                } else {
                    let other = geo.counties[(countyOf(p) + 1 + rng.below(geo.counties.count - 1)) % geo.counties.count].code
                    acc.add(person: p, scheme: Accounts.Scheme.resident, region: migrant ? other : other, status: Accounts.Status.paying,
                            lastPaid: currentPaid())
                }
            }
            // An old account closed by a transfer.
            if acc.count > first && rng.chance(0.05) {
                acc.add(person: p, scheme: Accounts.Scheme.employee, region: elsewhereCode(), status: Accounts.Status.terminated,
                        employer: external(), lastPaid: monthsBack(24...120))
            }
        }
        // Elderly accounts opened under the 15-digit number.
        for a in 0..<acc.count where pop.has(Int(acc.person[a]), Population.Flag.id15) && rng.chance(0.5) {
            acc.legacyID[a] = true
        }
        return (firms, acc)
    }
}
