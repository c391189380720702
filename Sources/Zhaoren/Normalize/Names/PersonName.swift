/// One person name, folded for comparison, with its surname split and pinyin keys.
///
/// Made by `NameNormalizer.normalize(_:)`; a plain value, cheap to keep per distinct name.
///
/// ```swift
/// let n = try NameNormalizer()
/// let p = n.normalize("單田芳")
/// p.folded        // "单田芳"
/// p.surname       // "单"
/// p.givenName     // "田芳"
/// p.pinyin        // "shantianfang"   (surname reading of 单)
/// p.fuzzyPinyin   // "santianfan"
/// ```
public struct PersonName: Sendable, Hashable {
    /// The value as read.
    public var original: String
    /// Width-folded, whitespace-free (Han and mixed), dot separators as U+00B7, simplified
    /// script (never simplified → traditional); Latin names: lowercase ASCII tokens joined by one space.
    public var folded: String
    /// Writing system of `folded`.
    public var script: NameScript
    /// The surname: a compound surname (欧阳), else the first character; for dotted names
    /// (买买提·吐尔逊) everything after the first dot; for Latin names the last token
    /// (or the tokens before a comma). Empty when it cannot be told.
    public var surname: String
    /// The rest of the name (for dotted names the part before the first dot).
    public var givenName: String
    /// Number of `units` that belong to the surname (0, 1 or 2 for Han names without a dot).
    public var surnameLength: Int
    /// What folding found or changed.
    public var flags: Flags
    /// Han and mixed names: the scalars of `folded` without the dots, one per pinyin position.
    /// Empty for Latin names.
    public var units: [UInt32]
    /// The reading id chosen for each of `units` (surname reading for the first position(s));
    /// 0 where a unit has no reading (Extension B, private use, digits, Latin letters).
    public var syllables: [UInt16]
    /// Toneless pinyin of `units` without spaces (`"zhangwei"`); units without a reading appear
    /// as themselves (lowercase). Latin names: the tokens concatenated (`"marysmith"`).
    public var pinyin: String
    /// `pinyin` with dialect mergers folded (z/zh, c/ch, s/sh, n/l, f/h, en/eng, in/ing, an/ang).
    public var fuzzyPinyin: String
    /// FNV-1a 64 of `pinyin`'s UTF-8 bytes; 0 for an empty name. Stable across runs and machines.
    public var pinyinKey: UInt64
    /// FNV-1a 64 of `fuzzyPinyin`'s UTF-8 bytes; 0 for an empty name.
    public var fuzzyKey: UInt64
    /// FNV-1a 64 of the given name's part of `pinyin` (`"wei"` for 张伟; the part before the
    /// first dot in dotted names; Latin names: `givenName` without spaces); 0 when there is none.
    /// With the exact surname character and the birth date it makes a homophone-tolerant blocking key.
    public var givenPinyinKey: UInt64
    /// The same over `fuzzyPinyin`.
    public var givenFuzzyKey: UInt64
    /// Latin names: lowercase ASCII tokens in order (`["mary", "ann", "oneil"]`); empty otherwise.
    public var tokens: [String]
    /// Latin names: the tokens sorted and joined by one space, for order-insensitive comparison
    /// (`"john smith"` for both "SMITH John" and "John Smith"); otherwise equal to `folded`.
    public var sortedTokens: String

    /// What normalization found or changed in a name.
    public struct Flags: OptionSet, Sendable, Hashable {
        /// The flag bits.
        public var rawValue: UInt16
        /// Flags from their bits.
        public init(rawValue: UInt16) { self.rawValue = rawValue }
        /// A traditional or variant character was folded to its simplified/standard form.
        public static let simplified = Flags(rawValue: 1 << 0)
        /// Width folding (NFKC) changed something (full-width letters, compatibility ideographs).
        public static let widthFolded = Flags(rawValue: 1 << 1)
        /// The name has a middle-dot separator (minority and foreign names).
        public static let separated = Flags(rawValue: 1 << 2)
        /// A dot-like separator other than U+00B7, or a stray leading/trailing/repeated dot, was fixed.
        public static let separatorFixed = Flags(rawValue: 1 << 3)
        /// The surname is a compound surname (欧阳, 诸葛 …).
        public static let compoundSurname = Flags(rawValue: 1 << 4)
        /// A private-use character (U+E000–U+F8FF, planes 15–16) is present, kept verbatim:
        /// registers encode rare characters there; the name cannot be trusted across systems.
        public static let privateUse = Flags(rawValue: 1 << 5)
        /// A Han character has no pinyin reading (Extension B+, private use): pinyin keys carry it verbatim.
        public static let unreadable = Flags(rawValue: 1 << 6)
        /// Whitespace was removed (Han and mixed names) or collapsed (Latin names).
        public static let whitespaceRemoved = Flags(rawValue: 1 << 7)
        /// An accented or non-Latin letter was folded to ASCII (José → jose).
        public static let asciiFolded = Flags(rawValue: 1 << 8)
        /// Characters that are neither Han, Latin letters, digits, dots nor spaces (punctuation,
        /// kana, Hangul …) are present, kept verbatim.
        public static let otherCharacters = Flags(rawValue: 1 << 9)
    }
}
