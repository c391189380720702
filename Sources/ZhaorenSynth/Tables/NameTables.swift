import ZhaorenSupport

/// Surnames, given names by era and sex, and minority name parts, parsed once from the
/// embedded tables (`Data/synth/`).
struct NameTables: Sendable {
    /// A surname: its characters (one, or two for 欧阳 上官 …) as ids.
    struct Surname: Sendable {
        var chars: [UInt16]
        var text: String
    }

    /// The given-name distribution of one birth decade and sex.
    struct GivenNames: Sendable {
        var singleShare: Double
        var name1: [UInt16]
        var name1Picker: WeightedPicker
        var name2: [(UInt16, UInt16)]
        var name2Picker: WeightedPicker
        var chars: [UInt16]
    }

    var chars = CharTable()
    var surnames: [Surname] = []
    /// Draws a surname index for Han residents (national shares).
    var nationalSurnames = WeightedPicker([])
    /// Draws a surname index for Hui residents (Ningxia flavour: many 马).
    var huiSurnames = WeightedPicker([])
    /// Indexed by `era * 2 + (sex == female ? 1 : 0)`; eras 1930 (before 1950), 1950 … 2020.
    var given: [GivenNames] = []
    /// Minority (Uyghur/Kazakh) name parts, written with a middle dot between them.
    var minorityParts: [[UInt8]] = []
    var minorityPartText: [String] = []
    var minorityMale: [UInt16] = []
    var minorityFemale: [UInt16] = []
    /// Ids of the space characters used as noise.
    var asciiSpace: UInt16 = 0
    var ideographicSpace: UInt16 = 0

    static let eras = [1930, 1950, 1960, 1970, 1980, 1990, 2000, 2010, 2020]

    /// The era slot of a birth year.
    static func era(ofYear year: Int) -> Int {
        if year < 1950 { return 0 }
        return min(8, (year - 1950) / 10 + 1)
    }

    /// Parses the embedded tables.
    init() {
        var natWeights: [Double] = []
        var surnameIndex: [String: Int] = [:]
        for row in TSV.rows(EmbeddedTables.surnames) {
            let text = String(row[0])
            surnameIndex[text] = surnames.count
            surnames.append(Surname(chars: text.map { chars.id(String($0)) }, text: text))
            natWeights.append(Double(row[1]) ?? 0)
        }
        var huiWeights = [Double](repeating: 0, count: surnames.count)
        for row in TSV.rows(EmbeddedTables.huiSurnames) {
            let text = String(row[0])
            let w = Double(row[1]) ?? 0
            if let i = surnameIndex[text] {
                huiWeights[i] = w
            } else {
                surnameIndex[text] = surnames.count
                surnames.append(Surname(chars: text.map { chars.id(String($0)) }, text: text))
                natWeights.append(0)
                huiWeights.append(w)
            }
        }
        nationalSurnames = WeightedPicker(natWeights)
        huiSurnames = WeightedPicker(huiWeights)

        // Given names: era, sex, kind, text, weight.
        var singles = [Double](repeating: 0.2, count: Self.eras.count)
        var n1 = [[UInt16]](repeating: [], count: Self.eras.count * 2)
        var n1w = [[Double]](repeating: [], count: Self.eras.count * 2)
        var n2 = [[(UInt16, UInt16)]](repeating: [], count: Self.eras.count * 2)
        var n2w = [[Double]](repeating: [], count: Self.eras.count * 2)
        var cs = [[UInt16]](repeating: [], count: Self.eras.count * 2)
        for row in TSV.rows(EmbeddedTables.givenNames) {
            guard let era = Self.eras.firstIndex(of: Int(row[0]) ?? -1) else { continue }
            let weight = Double(row[4]) ?? 1
            if row[2] == "single" { singles[era] = weight; continue }
            let slot = era * 2 + (row[1] == "F" ? 1 : 0)
            let text = Array(row[3])
            switch row[2] {
            case "name1":
                n1[slot].append(chars.id(String(text[0]))); n1w[slot].append(weight)
            case "name2":
                n2[slot].append((chars.id(String(text[0])), chars.id(String(text[1])))); n2w[slot].append(weight)
            default:
                cs[slot].append(chars.id(String(text[0])))
            }
        }
        for slot in 0..<(Self.eras.count * 2) {
            given.append(GivenNames(
                singleShare: singles[slot / 2], name1: n1[slot], name1Picker: WeightedPicker(n1w[slot]),
                name2: n2[slot], name2Picker: WeightedPicker(n2w[slot]), chars: cs[slot]))
        }
        for row in TSV.rows(EmbeddedTables.extraChars) {
            for c in row[0] where c != " " { _ = chars.id(String(c)) }
        }
        for row in TSV.rows(EmbeddedTables.minorityNames) {
            let id = UInt16(minorityParts.count)
            minorityParts.append(Array(row[2].utf8))
            minorityPartText.append(String(row[2]))
            if row[1] == "F" { minorityFemale.append(id) } else { minorityMale.append(id) }
        }
        asciiSpace = chars.id(" ")
        ideographicSpace = chars.id("\u{3000}")
    }

    /// Draws a Han given name for someone born in `year` of sex `female`: one or two character ids.
    func drawGiven(year: Int, female: Bool, _ rng: inout SeededGenerator) -> (UInt16, UInt16) {
        let g = given[Self.era(ofYear: year) * 2 + (female ? 1 : 0)]
        if rng.chance(g.singleShare) {
            if rng.chance(0.8) || g.chars.isEmpty { return (g.name1[g.name1Picker.pick(&rng)], CharTable.none) }
            return (g.chars[rng.below(g.chars.count)], CharTable.none)
        }
        if rng.chance(0.45) { return g.name2[g.name2Picker.pick(&rng)] }
        let a = g.chars[rng.below(g.chars.count)]
        var b = g.chars[rng.below(g.chars.count)]
        if b == a { b = g.chars[rng.below(g.chars.count)] }
        return (a, b)
    }
}
