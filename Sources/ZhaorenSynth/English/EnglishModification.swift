import Zhaoren
import ZhaorenSupport

/// The corruptions applied to duplicate rows, with their relative frequencies (FEBRL's
/// kinds: typographical, OCR, phonetic, missing values, swapped fields, plus the format
/// changes real registers show).
enum EnglishModification: Int, CaseIterable, Sendable {
    case givenTypo, givenOCR, givenPhonetic, givenVariant, givenNickname, givenBlank
    case surnameTypo, surnameOCR, surnamePhonetic, surnameVariant, surnameBlank
    case namesSwapped
    case birthDayMonthSwapped, birthDigit, birthYear, birthBlank
    case streetTypeChanged, streetTypo, houseNumber, streetBlank, moved
    case suburbTypo, suburbBlank, stateSpelledOut, postcodeDigit, postcodeBlank
    case ssnDigit, ssnTransposition, ssnBlank, ssnWithoutDashes
    case namesUppercase, extraWhitespace

    /// Relative frequency of each kind.
    var weight: Double {
        switch self {
        case .givenTypo: return 8
        case .givenOCR: return 2
        case .givenPhonetic: return 3
        case .givenVariant: return 3
        case .givenNickname: return 2
        case .givenBlank: return 2
        case .surnameTypo: return 8
        case .surnameOCR: return 2
        case .surnamePhonetic: return 3
        case .surnameVariant: return 2
        case .surnameBlank: return 1
        case .namesSwapped: return 3
        case .birthDayMonthSwapped: return 3
        case .birthDigit: return 5
        case .birthYear: return 2
        case .birthBlank: return 2
        case .streetTypeChanged: return 5
        case .streetTypo: return 5
        case .houseNumber: return 3
        case .streetBlank: return 2
        case .moved: return 3
        case .suburbTypo: return 3
        case .suburbBlank: return 2
        case .stateSpelledOut: return 1
        case .postcodeDigit: return 3
        case .postcodeBlank: return 2
        case .ssnDigit: return 4
        case .ssnTransposition: return 2
        case .ssnBlank: return 3
        case .ssnWithoutDashes: return 2
        case .namesUppercase: return 2
        case .extraWhitespace: return 1
        }
    }

    /// Draws a kind by weight.
    static let picker = WeightedPicker(allCases.map(\.weight))

    /// Applies this corruption to `row` (some kinds fall back to a typo where they do not apply).
    func apply(_ row: inout EnglishRow, _ t: EnglishTables, _ pop: EnglishPopulation, _ rng: inout SeededGenerator) {
        func bytes(_ s: String) -> [UInt8] { Array(s.utf8) }
        func text(_ b: [UInt8]) -> String { String(decoding: b, as: UTF8.self) }
        func variant(_ s: String, _ groups: [String: Int]) -> String? {
            guard let g = groups[s.lowercased()] else { return nil }
            let others = t.variantGroups[g].filter { $0.lowercased() != s.lowercased() }
            return others.isEmpty ? nil : others[rng.below(others.count)]
        }
        switch self {
        case .givenTypo: row.given = text(EnglishNoise.typo(bytes(row.given), &rng))
        case .givenOCR: row.given = EnglishNoise.rewrite(bytes(row.given), EnglishNoise.ocr, &rng).map(text) ?? text(EnglishNoise.typo(bytes(row.given), &rng))
        case .givenPhonetic: row.given = EnglishNoise.rewrite(bytes(row.given), EnglishNoise.phonetic, &rng).map(text) ?? text(EnglishNoise.typo(bytes(row.given), &rng))
        case .givenVariant:
            row.given = variant(row.given, t.spellingGroup) ?? EnglishNoise.rewrite(bytes(row.given), EnglishNoise.phonetic, &rng).map(text) ?? row.given
        case .givenNickname:
            if let v = variant(row.given, t.nicknameGroup) { row.given = v } else if let first = row.given.first {
                row.given = String(first)   // an initial only
            }
        case .givenBlank: row.given = ""
        case .surnameTypo: row.surname = text(EnglishNoise.typo(bytes(row.surname), &rng))
        case .surnameOCR: row.surname = EnglishNoise.rewrite(bytes(row.surname), EnglishNoise.ocr, &rng).map(text) ?? text(EnglishNoise.typo(bytes(row.surname), &rng))
        case .surnamePhonetic: row.surname = EnglishNoise.rewrite(bytes(row.surname), EnglishNoise.phonetic, &rng).map(text) ?? text(EnglishNoise.typo(bytes(row.surname), &rng))
        case .surnameVariant:
            row.surname = variant(row.surname, t.spellingGroup) ?? EnglishNoise.rewrite(bytes(row.surname), EnglishNoise.phonetic, &rng).map(text) ?? row.surname
        case .surnameBlank: row.surname = ""
        case .namesSwapped: swap(&row.given, &row.surname)
        case .birthDayMonthSwapped:
            if let b = row.birth, b.day <= 12, b.day != b.month, let s = CivilDate(year: b.year, month: b.day, day: b.month) {
                row.birth = s
            } else if let b = row.birth {
                row.birth = Self.digitOff(b, &rng)
            }
        case .birthDigit: if let b = row.birth { row.birth = Self.digitOff(b, &rng) }
        case .birthYear: if let b = row.birth { row.birth = CivilDate(year: b.year + (rng.chance(0.5) ? 1 : -1), month: b.month, day: min(b.day, 28)) }
        case .birthBlank: row.birth = nil
        case .streetTypeChanged:
            if let k = t.streetTypes.firstIndex(where: { $0.full == row.streetType || $0.short == row.streetType }) {
                let full = t.streetTypes[k].full
                row.streetType = row.streetType == full ? (rng.chance(0.8) ? t.streetTypes[k].short : t.streetTypes[k].short.uppercased()) : full
            }
        case .streetTypo: row.streetName = text(EnglishNoise.typo(bytes(row.streetName), &rng))
        case .houseNumber:
            let u = rng.unit()
            if u < 0.5 { row.number = text(EnglishNoise.digitTypo(bytes(row.number), &rng)) }
            else if u < 0.75 { row.number = text(EnglishNoise.digitTransposition(bytes(row.number), &rng)) }
            else { row.number = "" }
        case .streetBlank: row.number = ""; row.streetName = ""; row.streetType = ""
        case .moved:
            let a = pop.addresses[rng.below(pop.addresses.count)]
            let street = pop.streets[Int(a.street)], town = pop.towns[Int(a.town)]
            row.number = String(rng.within(1...400))
            row.streetName = street.name
            row.streetType = t.streetTypes[street.type].full
            row.suburb = town.name
            row.state = t.states[town.state].code
            row.postcode = EnglishRow.zip(town.postcode)
        case .suburbTypo: row.suburb = text(EnglishNoise.typo(bytes(row.suburb), &rng))
        case .suburbBlank: row.suburb = ""
        case .stateSpelledOut:
            if let s = t.states.first(where: { $0.code == row.state }) { row.state = s.name }
        case .postcodeDigit: row.postcode = text(EnglishNoise.digitTypo(bytes(row.postcode), &rng))
        case .postcodeBlank: row.postcode = ""
        case .ssnDigit: row.ssn = text(EnglishNoise.digitTypo(bytes(row.ssn), &rng))
        case .ssnTransposition: row.ssn = text(EnglishNoise.digitTransposition(bytes(row.ssn), &rng))
        case .ssnBlank: row.ssn = ""
        case .ssnWithoutDashes: row.ssn = String(row.ssn.filter { $0 != "-" })
        case .namesUppercase: row.given = row.given.uppercased(); row.surname = row.surname.uppercased()
        case .extraWhitespace:
            if rng.chance(0.5) { row.given = " " + row.given + " " } else { row.surname = row.surname + "  " }
        }
    }

    /// A valid date one digit of YYYYMMDD away (year digits: only the last two).
    static func digitOff(_ b: CivilDate, _ rng: inout SeededGenerator) -> CivilDate {
        for _ in 0..<20 {
            var d = [b.year / 10 % 10, b.year % 10, b.month / 10, b.month % 10, b.day / 10, b.day % 10]
            let i = rng.below(6)
            d[i] = (d[i] + 1 + rng.below(9)) % 10
            let year = b.year / 100 * 100 + d[0] * 10 + d[1]
            if year <= EnglishConfig.referenceYear, let c = CivilDate(year: year, month: d[2] * 10 + d[3], day: d[4] * 10 + d[5]) { return c }
        }
        return CivilDate(year: b.year, month: b.month, day: b.day == 1 ? 2 : b.day - 1)!
    }
}
