import Zhaoren
import ZhaorenSupport

/// The hidden English-speaking population behind the records: households sharing a surname
/// and an address (so relatives, and twins sharing a birth date, test precision), names drawn
/// by census frequency, and a unique 9-digit SSN-like number from the never-issued 9xx range.
///
/// Flat columns by person index; text lives in ``EnglishTables`` and the address pools.
/// - Complexity: O(persons) time; about 30 bytes per person.
struct EnglishPopulation: Sendable {
    /// One address: house number, street (index into ``streets``), town (into ``towns``).
    struct Address: Sendable {
        var number: Int32
        var street: Int32
        var town: Int32
    }

    /// A street: its name word and type (index into the table's street types).
    struct Street: Sendable {
        var name: String
        var type: Int
    }

    /// A town (suburb): invented name, state index and 5-digit ZIP code.
    struct Town: Sendable {
        var name: String
        var state: Int
        var postcode: Int
    }

    var given: [Int32] = []
    var female: [Bool] = []
    var surname: [Int32] = []
    var birth: [Int32] = []
    var address: [Int32] = []
    /// The 9-digit number, 0 when the person has none.
    var ssn: [Int32] = []
    /// Whether the person writes street types abbreviated (St) rather than in full (Street).
    var abbreviates: [Bool] = []
    var addresses: [Address] = []
    var streets: [Street] = []
    var towns: [Town] = []

    var count: Int { given.count }

    /// Generates `config.persons` persons in households.
    static func generate(_ config: EnglishConfig, _ t: EnglishTables, _ base: SeededGenerator) -> EnglishPopulation {
        var pop = EnglishPopulation()
        var rng = base.derived("english-population")
        let n = config.persons
        pop.given.reserveCapacity(n); pop.female.reserveCapacity(n); pop.surname.reserveCapacity(n)
        pop.birth.reserveCapacity(n); pop.address.reserveCapacity(n); pop.ssn.reserveCapacity(n)
        let townCount = max(40, n / 1_200)
        for _ in 0..<townCount {
            let name: String
            if rng.chance(0.3) {
                name = t.surnames[rng.below(500)] + t.placeSuffixes[rng.below(t.placeSuffixes.count)]
            } else if rng.chance(0.15) {
                name = t.placePrefixes[rng.below(t.placePrefixes.count)]
            } else {
                name = t.placePrefixes[rng.below(t.placePrefixes.count)] + t.placeSuffixes[rng.below(t.placeSuffixes.count)]
            }
            let state = t.statePicker.pick(&rng)
            let s = t.states[state]
            pop.towns.append(Town(name: name, state: state, postcode: rng.within(s.zipLow...s.zipHigh) * 100 + rng.below(100)))
        }
        // Streets per town grow with the town's share of people.
        let streetsPerTown = max(20, n / townCount / 25)
        for _ in 0..<(townCount * streetsPerTown) {
            let name = rng.chance(0.6) ? t.streetNames[rng.below(t.streetNames.count)] : t.surnames[rng.below(3_000)]
            pop.streets.append(Street(name: name, type: t.streetTypePicker.pick(&rng)))
        }
        let ssnStride = 7_919_113, ssnOffset = rng.below(100_000_000)
        func newAddress(_ rng: inout SeededGenerator) -> Int32 {
            let town = rng.below(townCount)
            let street = town * streetsPerTown + rng.below(streetsPerTown)
            let number = rng.chance(0.7) ? rng.within(1...300) : rng.within(1...9_999)
            pop.addresses.append(Address(number: Int32(number), street: Int32(street), town: Int32(town)))
            return Int32(pop.addresses.count - 1)
        }
        func add(female: Bool, surname: Int32, birth: Int32, address: Int32, _ rng: inout SeededGenerator) {
            let p = pop.given.count
            pop.female.append(female)
            pop.given.append(Int32(female ? t.givenFemalePicker.pick(&rng) : t.givenMalePicker.pick(&rng)))
            pop.surname.append(surname)
            pop.birth.append(birth)
            pop.address.append(address)
            pop.ssn.append(rng.chance(0.05) ? 0 : Int32((p * ssnStride + ssnOffset) % 100_000_000))
            pop.abbreviates.append(rng.chance(0.4))
        }
        func birthDay(age: Int, _ rng: inout SeededGenerator) -> Int32 {
            let year = EnglishConfig.referenceYear - 1 - age
            let start = CivilDate(year: year, month: 1, day: 1)!.dayNumber
            return start + Int32(rng.below(CivilDate.isLeap(year) ? 366 : 365))
        }
        let sizes = WeightedPicker([28, 34, 15, 13, 6, 4])
        while pop.count < n {
            let size = sizes.pick(&rng) + 1
            let home = newAddress(&rng)
            let family = Int32(t.surnamePicker.pick(&rng))
            let age1 = rng.within(20...89)
            let female1 = rng.chance(0.5)
            add(female: female1, surname: family, birth: birthDay(age: age1, &rng), address: home, &rng)
            var left = size - 1
            if left > 0 && pop.count < n && rng.chance(0.8) {
                let age2 = max(18, min(95, age1 + rng.within(-6...6)))
                let own = rng.chance(0.2) ? Int32(t.surnamePicker.pick(&rng)) : family
                add(female: rng.chance(0.95) ? !female1 : female1, surname: own, birth: birthDay(age: age2, &rng), address: home, &rng)
                left -= 1
            }
            var previous: Int32 = 0
            let maxChildAge = max(0, min(30, age1 - 18))
            while left > 0 && pop.count < n {
                // Twins: same surname, address and birth date, different given names.
                let b = previous != 0 && rng.chance(0.04) ? previous : birthDay(age: rng.within(0...maxChildAge), &rng)
                add(female: rng.chance(0.5), surname: family, birth: b, address: home, &rng)
                let last = pop.count - 1
                do {
                    // Siblings (twins included) do not share a given name.
                    let first = pop.count - (size - left + 1)
                    func clash() -> Bool {
                        (first..<last).contains { pop.given[$0] == pop.given[last] && pop.female[$0] == pop.female[last] }
                    }
                    var tries = 0
                    while clash() && tries < 8 {
                        pop.given[last] = Int32(pop.female[last] ? t.givenFemalePicker.pick(&rng) : t.givenMalePicker.pick(&rng))
                        tries += 1
                    }
                }
                previous = b
                left -= 1
            }
        }
        return pop
    }
}
