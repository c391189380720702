/// Toneless pinyin readings for every character in U+3400–U+4DBF (Extension A) and
/// U+4E00–U+9FFF, with syllables as small integer ids.
///
/// Built once from ICU `Han-Latin`'s reading of every character (embedded from
/// `Data/names-pinyin-han-latin.tsv`, made with ICU 72.1: readings do not change with the ICU a
/// machine has, and building takes about 20 ms instead of an ICU pass), merged with the
/// heteronym table derived from pypinyin (all readings of polyphonic characters), primary-reading
/// overrides, surname readings and compound-surname readings. Immutable afterwards and `Sendable`:
/// share one table between threads.
///
/// ```swift
/// let table = try PinyinTable()
/// let dan = table.primary(0x5355)                 // 单
/// table.syllable(dan)                             // "dan"
/// table.readings(0x5355).map(table.syllable)      // ["dan", "chan", "shan"]
/// table.syllable(table.surnameReading(0x5355))    // "shan"
/// ```
///
/// Syllable ids: 0 means "no reading"; 1…420 are the sorted syllables of
/// `Data/names-pinyin-syllables.txt` and are stable; a syllable ICU produces that is not in that
/// list gets the next free id at construction. Hashed keys are computed from syllable *bytes*,
/// so they never depend on id assignment.
package struct PinyinTable: Sendable {
    /// First code point with a table entry (start of CJK Extension A).
    public static let firstScalar: UInt32 = 0x3400
    /// Last code point with a table entry (end of the CJK Unified Ideographs block).
    public static let lastScalar: UInt32 = 0x9FFF

    /// Syllable id → toneless syllable (`ü` written `v`); index 0 is `""` (no reading).
    public let syllables: [String]
    /// Fuzzy syllable id → fuzzy syllable (z/zh, c/ch, s/sh, l→n, h→f, eng→en, ing→in, ang→an).
    public let fuzzySyllables: [String]
    /// Syllable id → fuzzy syllable id.
    @usableFromInline let fuzzyOf: [UInt16]
    /// Syllable id → range of its UTF-8 bytes in `syllableBytes` (`syllableStart[id]..<syllableStart[id + 1]`).
    @usableFromInline let syllableStart: [UInt32]
    @usableFromInline let syllableBytes: [UInt8]
    /// Fuzzy syllable id → its bytes, as above.
    @usableFromInline let fuzzyStart: [UInt32]
    @usableFromInline let fuzzyBytes: [UInt8]
    /// Character index (scalar − firstScalar) → range in `readingPool`; the first entry is the primary reading.
    @usableFromInline let readingStart: [UInt32]
    @usableFromInline let readingPool: [UInt16]
    /// Surname reading per character (0: use the primary reading).
    @usableFromInline let surnameReadings: [UInt32: UInt16]
    /// Compound surname (first << 32 | second) → its two syllable ids.
    @usableFromInline let compoundReadings: [UInt64: (UInt16, UInt16)]

    /// Whether `scalar` has a table slot.
    @inlinable
    public static func covers(_ scalar: UInt32) -> Bool { scalar >= firstScalar && scalar <= lastScalar }

    /// The id of a toneless syllable, or `nil`.
    /// - Complexity: O(number of syllables); for setup and tests, not per row.
    public func syllableID(_ syllable: String) -> UInt16? {
        syllables.firstIndex(of: syllable).map { UInt16($0) }
    }

    /// The toneless syllable for an id (`""` for 0 or an unknown id).
    public func syllable(_ id: UInt16) -> String {
        Int(id) < syllables.count ? syllables[Int(id)] : ""
    }

    /// The fuzzy syllable id of syllable `id` (0 for 0).
    @inlinable
    public func fuzzyID(_ id: UInt16) -> UInt16 { Int(id) < fuzzyOf.count ? fuzzyOf[Int(id)] : 0 }

    /// The primary (most common) reading of `scalar`, or 0 when it has none.
    /// - Complexity: O(1).
    @inlinable
    public func primary(_ scalar: UInt32) -> UInt16 {
        guard Self.covers(scalar) else { return 0 }
        let i = Int(scalar - Self.firstScalar)
        let lo = Int(readingStart[i])
        return lo < Int(readingStart[i + 1]) ? readingPool[lo] : 0
    }

    /// All readings of `scalar`, primary first (empty when it has none).
    /// - Complexity: O(1).
    @inlinable
    public func readings(_ scalar: UInt32) -> ArraySlice<UInt16> {
        guard Self.covers(scalar) else { return [] }
        let i = Int(scalar - Self.firstScalar)
        return readingPool[Int(readingStart[i])..<Int(readingStart[i + 1])]
    }

    /// The reading of `scalar` as the first character of a name (单 → shan, 朴 → piao),
    /// falling back to the primary reading.
    @inlinable
    public func surnameReading(_ scalar: UInt32) -> UInt16 {
        surnameReadings[scalar] ?? primary(scalar)
    }

    /// The readings of a compound surname (尉迟 → yu, chi), or `nil` if `first`+`second` is not one.
    @inlinable
    public func compoundReading(_ first: UInt32, _ second: UInt32) -> (UInt16, UInt16)? {
        compoundReadings[UInt64(first) << 32 | UInt64(second)]
    }

    /// Whether `scalar` may be read as `syllable`, counting its surname reading too.
    @inlinable
    public func canRead(_ scalar: UInt32, as syllable: UInt16) -> Bool {
        if readings(scalar).contains(syllable) { return true }
        return surnameReadings[scalar] == syllable
    }
}
