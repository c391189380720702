import ZhaorenSupport

/// Parses the embedded `NameData` text tables into plain dictionaries and lists.
///
/// Used once by `NameNormalizer`, `PinyinTable` and `EnterpriseNameNormalizer` at construction.
enum NameTables {
    /// Non-empty, non-comment lines split on tabs.
    static func rows(_ text: String) -> [[Substring]] { TSV.rows(text) }

    /// The single scalar of a one-character field, or `nil`.
    static func scalar(_ field: Substring) -> UInt32? {
        let s = field.unicodeScalars
        return s.count == 1 ? s.first!.value : nil
    }

    /// Characters kept as they are although ICU Traditional-Simplified changes them.
    static func simplifyExceptions() -> Set<UInt32> {
        Set(rows(EmbeddedData.simplifyExceptions).compactMap { scalar($0[0]) })
    }

    /// Variant character → standard character.
    static func variantFolds() -> [UInt32: UInt32] {
        var map: [UInt32: UInt32] = [:]
        for r in rows(EmbeddedData.variantFolds) where r.count >= 2 {
            if let a = scalar(r[0]), let b = scalar(r[1]) { map[a] = b }
        }
        return map
    }

    /// Compound surnames (two scalars) with their two toneless readings.
    static func compoundSurnames() -> [(first: UInt32, second: UInt32, readings: [String])] {
        rows(EmbeddedData.compoundSurnames).compactMap { r in
            let s = Array(r[0].unicodeScalars)
            guard s.count == 2, r.count >= 2 else { return nil }
            let readings = r[1].split(separator: " ").map(String.init)
            guard readings.count == 2 else { return nil }
            return (s[0].value, s[1].value, readings)
        }
    }

    /// Single-character surnames with their percentage weights (faker zh_CN, corrected).
    static func surnames() -> [(surname: String, weight: Double)] {
        rows(EmbeddedData.surnames).compactMap { r in
            guard r.count >= 2, let w = Double(r[1]) else { return nil }
            return (String(r[0]), w)
        }
    }

    /// Surname reading preferred for the first character of a name.
    static func surnameReadings() -> [UInt32: String] {
        var map: [UInt32: String] = [:]
        for r in rows(EmbeddedData.surnameReadings) where r.count >= 2 {
            if let c = scalar(r[0]) { map[c] = String(r[1]) }
        }
        return map
    }

    /// Replacement primary readings.
    static func pinyinOverrides() -> [UInt32: String] {
        var map: [UInt32: String] = [:]
        for r in rows(EmbeddedData.pinyinOverrides) where r.count >= 2 {
            if let c = scalar(r[0]) { map[c] = String(r[1]) }
        }
        return map
    }

    /// All toneless readings of polyphonic characters, in pypinyin's order.
    static func pinyinHeteronyms() -> [UInt32: [String]] {
        var map: [UInt32: [String]] = [:]
        map.reserveCapacity(6_000)
        for r in rows(EmbeddedData.pinyinHeteronyms) where r.count >= 2 {
            if let c = scalar(r[0]) { map[c] = r[1].split(separator: ",").map(String.init) }
        }
        return map
    }

    /// The canonical toneless syllables; a syllable's id is its index + 1.
    static func pinyinSyllables() -> [String] {
        rows(EmbeddedData.pinyinSyllables).map { String($0[0]) }
    }

    /// Pairs of distinct surnames that registers confuse.
    static func confusableSurnames() -> [(String, String)] {
        rows(EmbeddedData.confusableSurnames).compactMap { r in r.count >= 2 ? (String(r[0]), String(r[1])) : nil }
    }

    /// Region names: full name, short name, level.
    static func regions() -> [(full: String, short: String, level: Substring)] {
        rows(EmbeddedData.regionNames).compactMap { r in r.count >= 3 ? (String(r[0]), String(r[1]), r[2]) : nil }
    }

    /// One string per non-comment line (first field).
    static func list(_ text: String) -> [String] { rows(text).map { String($0[0]) } }
}
