import ZhaorenSupport

/// Real GB/T 2260 county codes for people registered outside the city (`Data/synth/region_codes.tsv`).
struct RegionCodes: Sendable {
    enum Kind: Sendable { case elsewhere, minority, abolished }

    var codes: [UInt32] = []
    var names: [String] = []
    var kinds: [Kind] = []
    /// Draws among codes in force elsewhere in China.
    var elsewhere = WeightedPicker([])
    /// Draws among Xinjiang codes (people with dotted minority names).
    var minority = WeightedPicker([])
    /// Draws among abolished codes.
    var abolished = WeightedPicker([])

    init() {
        var we: [Double] = [], wm: [Double] = [], wa: [Double] = []
        for row in TSV.rows(EmbeddedTables.regionCodes) {
            let w = Double(row[3]) ?? 1
            let kind: Kind = row[2] == "minority" ? .minority : (row[2] == "abolished" ? .abolished : .elsewhere)
            codes.append(UInt32(row[0]) ?? 0)
            names.append(String(row[1]))
            kinds.append(kind)
            we.append(kind == .elsewhere ? w : 0)
            wm.append(kind == .minority ? w : 0)
            wa.append(kind == .abolished ? w : 0)
        }
        elsewhere = WeightedPicker(we)
        minority = WeightedPicker(wm)
        abolished = WeightedPicker(wa)
    }
}
