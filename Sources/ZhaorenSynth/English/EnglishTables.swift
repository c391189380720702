import ZhaorenSupport

/// The English-records tables (`Data/english/`), parsed once: census name frequencies,
/// spelling and nickname variants, street words and types, invented town-name parts, states.
struct EnglishTables: Sendable {
    /// A US state: postal code, name, and its range of 3-digit ZIP prefixes.
    struct State: Sendable {
        var code: String
        var name: String
        var zipLow: Int
        var zipHigh: Int
    }

    var surnames: [String] = []
    var surnamePicker = WeightedPicker([])
    var givenMale: [String] = []
    var givenMalePicker = WeightedPicker([])
    var givenFemale: [String] = []
    var givenFemalePicker = WeightedPicker([])
    /// Variant groups; `spellingGroup[lowercased name]` / `nicknameGroup[…]` index into ``variantGroups``.
    var variantGroups: [[String]] = []
    var spellingGroup: [String: Int] = [:]
    var nicknameGroup: [String: Int] = [:]
    var streetNames: [String] = []
    /// Street types: full form and USPS abbreviation.
    var streetTypes: [(full: String, short: String)] = []
    var streetTypePicker = WeightedPicker([])
    var placePrefixes: [String] = []
    var placeSuffixes: [String] = []
    var states: [State] = []
    var statePicker = WeightedPicker([])

    /// Parses the embedded tables.
    init() {
        func weighted(_ text: String) -> ([String], WeightedPicker) {
            let rows = TSV.rows(text)
            return (rows.map { String($0[0]) }, WeightedPicker(rows.map { Double($0[1]) ?? 0 }))
        }
        (surnames, surnamePicker) = weighted(EmbeddedTables.englishSurnames)
        (givenMale, givenMalePicker) = weighted(EmbeddedTables.englishGivenMale)
        (givenFemale, givenFemalePicker) = weighted(EmbeddedTables.englishGivenFemale)
        for row in TSV.rows(EmbeddedTables.englishNameVariants) {
            let names = row.dropFirst().map(String.init)
            let g = variantGroups.count
            variantGroups.append(names)
            for n in names {
                let key = n.lowercased()
                if row[0] == "nickname" {
                    if nicknameGroup[key] == nil { nicknameGroup[key] = g }
                } else if spellingGroup[key] == nil {
                    spellingGroup[key] = g
                }
            }
        }
        streetNames = TSV.rows(EmbeddedTables.englishStreetNames).map { String($0[0]) }
        let types = TSV.rows(EmbeddedTables.englishStreetTypes)
        streetTypes = types.map { (String($0[0]), String($0[1])) }
        streetTypePicker = WeightedPicker(types.map { Double($0[2]) ?? 0 })
        for row in TSV.rows(EmbeddedTables.englishPlaceParts) {
            if row[0] == "prefix" { placePrefixes.append(String(row[1])) } else { placeSuffixes.append(String(row[1])) }
        }
        let stateRows = TSV.rows(EmbeddedTables.englishStates)
        states = stateRows.map { State(code: String($0[0]), name: String($0[1]), zipLow: Int($0[3])!, zipHigh: Int($0[4])!) }
        statePicker = WeightedPicker(stateRows.map { Double($0[2]) ?? 0 })
    }
}
