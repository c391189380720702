import Foundation
import ZhaorenSupport

/// What the engine needs to know about one distinct person name, produced once per distinct
/// value by a name normalizer and then shared by every record carrying that name.
///
/// ```swift
/// let n = NormalizedName(folded: "张伟", readings: ["zhangwei"], fuzzyReadings: ["zanwei"], surnameLength: 1)
/// ```
package struct NormalizedName: Hashable, Sendable {
    /// The comparison form: simplified script, width-folded, dots as U+00B7, no spaces;
    /// Latin-script names lowercase ASCII tokens separated by single spaces.
    public var folded: String
    /// Hashes of the toneless pinyin of the name, one per combination of readings (all
    /// readings of polyphonic characters, surname readings for the first), capped.
    public var readingKeys: [UInt64]
    /// Hashes of the fuzzy-pinyin forms (zh→z, ch→c, sh→s, ng→n, l→n, h→f …) of the same readings.
    public var fuzzyKeys: [UInt64]
    /// The surname (empty if unknown).
    public var surname: String
    /// Whether the name is in Latin script (compared with Jaro-Winkler, not pinyin).
    public var isLatin: Bool

    /// Creates a normalized name from pinyin strings (hashed with ``StableHash``); the
    /// surname is the first `surnameLength` scalars of `folded`.
    public init(folded: String, readings: [String] = [], fuzzyReadings: [String] = [],
                surnameLength: Int = 0, isLatin: Bool = false) {
        self.folded = folded
        readingKeys = readings.map { StableHash.of($0) }
        fuzzyKeys = fuzzyReadings.map { StableHash.of($0) }
        surname = String(String.UnicodeScalarView(folded.unicodeScalars.prefix(surnameLength)))
        self.isLatin = isLatin
    }

    /// Creates a normalized name from precomputed keys.
    public init(folded: String, readingKeys: [UInt64], fuzzyKeys: [UInt64], surname: String, isLatin: Bool) {
        self.folded = folded
        self.readingKeys = readingKeys
        self.fuzzyKeys = fuzzyKeys
        self.surname = surname
        self.isLatin = isLatin
    }

    /// A minimal normalizer with no pinyin: width folding by NFKC, whitespace removed
    /// (kept as single spaces between Latin tokens), Latin lowercased, first scalar as surname.
    /// The pipeline uses the full Chinese name normalizer (``init(_:pinyin:)``) instead.
    public static func basic(_ raw: String) -> NormalizedName {
        let nfkc = raw.precomposedStringWithCompatibilityMappingIfAvailable
        let isLatin = nfkc.unicodeScalars.contains { $0.isASCII && $0.properties.isAlphabetic }
            && !nfkc.unicodeScalars.contains { $0.value >= 0x2E80 }
        if isLatin {
            let tokens = nfkc.lowercased().split(whereSeparator: { !$0.isLetter && $0 != "'" && $0 != "-" })
            return NormalizedName(folded: tokens.joined(separator: " "), surnameLength: 0, isLatin: true)
        }
        let folded = String(String.UnicodeScalarView(nfkc.unicodeScalars.filter { !$0.properties.isWhitespace }))
        return NormalizedName(folded: folded, surnameLength: folded.isEmpty ? 0 : 1)
    }
}

extension String {
    /// NFKC via Foundation where linked; the engine module links Foundation.
    var precomposedStringWithCompatibilityMappingIfAvailable: String {
        precomposedStringWithCompatibilityMapping
    }
}
