/// One column of a keyed-encoded file (`zhaoren encode`): a class of tokens, each a keyed
/// 64-bit hash (HMAC-SHA-256, truncated) of one normalized value or variant the engine
/// compares or blocks on. Two records share a token of a class exactly when they share the
/// value, so agreement on tokens stands in for agreement on values, typo-tolerant levels
/// included (one-edit variants, corrections and swapped dates are tokens of their own).
///
/// The name classes are salted with the record's birth year (unless encoded with
/// `--salt none`): 王伟 born 1985 and 王伟 born 1990 give unrelated tokens, so no single
/// token counts every 王伟 of the city.
///
/// ```swift
/// EncodedField.idMask.rawValue        // "id_mask", the column header
/// EncodedField.allCases.count         // the token columns of an encoded file
/// ```
public enum EncodedField: String, CaseIterable, Sendable, Codable {
    /// The name as written (after whitespace clean-up): the `exact` level.
    case name
    /// The folded name (traditional to simplified, variant characters, case): `equal_after_folding`.
    case nameFolded = "name_folded"
    /// The name's pinyin readings (several for polyphonic characters); for Latin-script names the
    /// phonetic key of each token.
    case namePinyin = "name_pinyin"
    /// The name's fuzzy-pinyin keys (zh/z, n/l … merged); for Latin-script names the whole name's phonetic key.
    case nameFuzzy = "name_fuzzy"
    /// Near variants: a Han name of three or more characters with each character deleted (two
    /// names one character apart share one), a two-character name's characters in sorted order
    /// (two swapped characters share it), and the name itself; for Latin-script names the
    /// name's tokens in sorted order (reordered names share it).
    case nameNear = "name_near"
    /// Latin-script names only: each folded token of the name.
    case namePart = "name_part"
    /// The surname.
    case surname
    /// The resident ID number (18 characters).
    case id
    /// The ID with each of its 18 positions left out (position included): two numbers one
    /// substitution apart share one.
    case idMask = "id_mask"
    /// For an ID failing its check digit: every number one substitution or adjacent
    /// transposition away that passes it (tokens of the same kind as ``id``).
    case idFix = "id_fix"
    /// The record's own birth-date field (a day, or a year and month).
    case birth
    /// The birth date inside the ID (tokens of the same kind as ``birth``).
    case idBirth = "id_birth"
    /// The year and month inside the ID, as a month-precision birth token (compares with a
    /// birth field known only to the month).
    case idBirthMonth = "id_birth_month"
    /// The effective birth date (own field, else the ID's) with month and day in sorted order.
    case birthSwapped = "birth_swapped"
    /// The effective birth date as YYYYMMDD with each of its 8 positions left out.
    case birthDigit = "birth_digit"
    /// The effective birth year and month.
    case birthMonth = "birth_month"
    /// The effective birth month and day.
    case birthDay = "birth_day"
    /// The effective birth year.
    case birthYear = "birth_year"
    /// The four years around the effective birth year (±1, ±2), as year tokens: two dates fewer
    /// than three years apart share a year token.
    case birthNearYears = "birth_near_years"
    /// The record's own sex field.
    case sex
    /// The sex inside the ID (tokens of the same kind as ``sex``).
    case idSex = "id_sex"
    /// The phone number.
    case phone
    /// The phone number with each digit deleted (tokens of the same kind as ``phone``).
    case phoneDeletions = "phone_deletions"
    /// The folded address.
    case address
    /// The folded address's distinct character bigrams (their Dice overlap is the address level).
    case addressBigrams = "address_bigrams"
    /// The folded other identifier.
    case otherID = "other_id"
    /// The other identifier with each character deleted (tokens of the same kind as ``otherID``).
    case otherIDDeletions = "other_id_deletions"
    /// The folded area.
    case area

    /// The field's position in ``allCases``.
    @inline(__always)
    public var index: Int {
        switch self {
        case .name: 0
        case .nameFolded: 1
        case .namePinyin: 2
        case .nameFuzzy: 3
        case .nameNear: 4
        case .namePart: 5
        case .surname: 6
        case .id: 7
        case .idMask: 8
        case .idFix: 9
        case .birth: 10
        case .idBirth: 11
        case .idBirthMonth: 12
        case .birthSwapped: 13
        case .birthDigit: 14
        case .birthMonth: 15
        case .birthDay: 16
        case .birthYear: 17
        case .birthNearYears: 18
        case .sex: 19
        case .idSex: 20
        case .phone: 21
        case .phoneDeletions: 22
        case .address: 23
        case .addressBigrams: 24
        case .otherID: 25
        case .otherIDDeletions: 26
        case .area: 27
        }
    }

    /// Whether the field's tokens are salted with the birth year (the name fields).
    public var isSalted: Bool {
        switch self {
        case .name, .nameFolded, .namePinyin, .nameFuzzy, .nameNear, .namePart, .surname: true
        default: false
        }
    }
}

/// Per-record facts of an encoded record that are not values: bits of the `flags` column.
///
/// ```swift
/// let f = EncodedFlags(rawValue: 3)
/// f.contains(.idPassesCheck)   // true
/// ```
public struct EncodedFlags: OptionSet, Sendable, Hashable {
    public let rawValue: UInt8
    /// Creates flags from their bits.
    public init(rawValue: UInt8) { self.rawValue = rawValue }
    /// The ID passes its GB 11643 check digit.
    public static let idPassesCheck = EncodedFlags(rawValue: 1)
    /// The birth date compared is the ID's own (the field is empty or repeats it), so two
    /// agreeing IDs already say it.
    public static let birthFromID = EncodedFlags(rawValue: 2)
    /// The effective birth date is known only to the month.
    public static let birthMonthOnly = EncodedFlags(rawValue: 4)
    /// The name is in Latin script.
    public static let latinName = EncodedFlags(rawValue: 8)
    /// The record's own birth field is known only to the month.
    public static let birthFieldMonthOnly = EncodedFlags(rawValue: 16)
    /// Every bit defined.
    public static let all: EncodedFlags = [.idPassesCheck, .birthFromID, .birthMonthOnly, .latinName, .birthFieldMonthOnly]
}
