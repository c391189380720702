/// How a comparison maps a pair of records to a level. Level 0 always means "missing on
/// either side" (it adds no weight); level 1 means "no agreement"; higher levels are
/// stronger agreement, tested from the top down: the first that holds is the pair's level.
///
/// | kind | levels 1 … top |
/// |---|---|
/// | `chinese_name` | else, same surname, one character apart (OSA ≤ 1, names of 3+ characters, or two characters swapped), same fuzzy pinyin, same pinyin reading, equal after folding, exact |
/// | `latin_name` | else, one token pair JW ≥ t₂ (0.92, e.g. same surname) with every pair ≥ 0.7, every token pair JW ≥ t₁ (0.80; or ≥ t₀ with a token missing on one side; an initial or a nickname counts as 0.9, one edit in a token of 3+ letters as 0.92), same token count and every pair JW ≥ t₀ (0.92; reordered tokens included), exact after folding (equal names of one token count as every token close: a token is missing); tokens are paired greedily by JW |
/// | `resident_id` | two different numbers that both pass the check digit, else, one substitution or adjacent transposition, exact |
/// | `id_consistency` | a birth date from one record's ID contradicts the other's birth field, only sex contradicts, every cross-check agrees |
/// | `birth_date` | three or more years apart, else, same month and day (another year), same year and month, one digit apart or two adjacent digits swapped (YYYYMMDD), month/day swapped, exact (when scoring, left out if the IDs agree or are one edit apart and each birth field is its own ID's date: the date is not counted twice) |
/// | `sex` | different, same |
/// | `phone` | else, one edit (OSA ≤ 1 on digits), exact |
/// | `address` | else, bigram Dice ≥ t₁ (0.5), Dice ≥ t₀ (0.8), exact after folding |
/// | `text` | else (three or more edits), two edits (OSA), one edit, exact after folding (for `other_id`) |
public enum ComparisonKind: String, Codable, Sendable, CaseIterable {
    /// Chinese names: exact, folded, same pinyin, fuzzy pinyin, one character, surname.
    case chineseName = "chinese_name"
    /// Latin-script names, token by token (Jaro-Winkler, initials, nicknames).
    case latinName = "latin_name"
    /// Resident ID numbers: exact, one typo, two different valid numbers.
    case residentID = "resident_id"
    /// The birth date and sex inside one record's ID against the other record's fields.
    case idConsistency = "id_consistency"
    /// Birth dates: exact, swapped month/day, one digit, same month, same day in another year.
    case birthDate = "birth_date"
    /// Sex: same or different.
    case sex
    /// Phone numbers: exact or one edit.
    case phone
    /// Addresses: bigram overlap (Dice). An address read from several columns is compared on
    /// the columns both records filled when each left at most one blank that the other filled
    /// (see ``RecordTable/addressPartStart``).
    case address
    /// Other identifiers and codes: exact, one edit, two edits.
    case text

    /// The names of levels 0…top, as written in `summary.json`.
    public var levelNames: [String] {
        switch self {
        case .chineseName:
            return ["missing", "else", "same_surname", "one_character_apart", "same_fuzzy_pinyin",
                    "same_pinyin", "equal_after_folding", "exact"]
        case .latinName:
            return ["missing", "else", "one_token_other_differs", "one_token", "all_tokens_close", "all_tokens_near_equal", "exact"]
        case .residentID: return ["missing", "different_valid_numbers", "else", "one_substitution_or_transposition", "exact"]
        case .idConsistency: return ["missing", "birth_contradicts", "sex_contradicts", "agrees"]
        case .birthDate: return ["missing", "years_apart", "else", "same_month_day", "same_year_month", "one_digit_apart", "month_day_swapped", "exact"]
        case .sex: return ["missing", "different", "same"]
        case .phone: return ["missing", "else", "one_edit", "exact"]
        case .address: return ["missing", "else", "overlap_low", "overlap_high", "exact"]
        case .text: return ["missing", "else", "two_edits", "one_edit", "exact"]
        }
    }

    /// The number of levels including level 0.
    public var levelCount: Int { levelNames.count }

    /// Default thresholds for the kinds that take them.
    public var defaultThresholds: [Double] {
        switch self {
        case .latinName: return [0.92, 0.80, 0.92]
        case .address: return [0.8, 0.5]
        default: return []
        }
    }

    /// The levels at which term-frequency adjustment applies (value-level agreement).
    public var termFrequencyLevels: ClosedRange<Int>? {
        switch self {
        case .chineseName: return 6...7
        case .latinName: return 6...6
        default: return nil
        }
    }

    /// The role whose column the comparison reads by default.
    public var defaultRole: FieldRole {
        switch self {
        case .chineseName, .latinName: return .name
        case .residentID, .idConsistency: return .id
        case .birthDate: return .birth
        case .sex: return .sex
        case .phone: return .phone
        case .address: return .address
        case .text: return .otherID
        }
    }
}

extension ComparisonKind {
    /// What the domain says a level is worth among true matches: P(level | match) for levels
    /// 0…top (level 0, missing, is 0). A prior, not a measurement: training replaces it with
    /// what EM finds in the data.
    public var priorM: [Double] {
        switch self {
        case .chineseName: [0, 0.01, 0.01, 0.02, 0.01, 0.03, 0.02, 0.90]
        case .latinName: [0, 0.015, 0.005, 0.05, 0.08, 0.10, 0.75]
        case .residentID: [0, 0.005, 0.01, 0.03, 0.955]
        case .idConsistency: [0, 0.01, 0.01, 0.98]
        case .birthDate: [0, 0.005, 0.01, 0.005, 0.01, 0.02, 0.01, 0.94]
        case .sex: [0, 0.02, 0.98]
        case .phone: [0, 0.30, 0.05, 0.65]
        case .address: [0, 0.25, 0.15, 0.20, 0.40]
        case .text: [0, 0.02, 0.01, 0.04, 0.93]
        }
    }

    /// What a level is worth among random pairs of different people: P(level | non-match)
    /// for levels 0…top, from the sizes of the value spaces (one day in some 25,000 birth
    /// dates, one ID number in a billion, a Chinese name shared by a few in ten thousand).
    public var priorU: [Double] {
        switch self {
        case .chineseName: [0, 0.9167, 0.08, 0.002, 0.0003, 0.0003, 0.00002, 0.0005]
        case .latinName: [0, 0.9693, 0.025, 0.005, 0.0005, 0.0001, 0.0001]
        case .residentID: [0, 0.95, 0.0499989, 0.000001, 0.0000001]
        case .idConsistency: [0, 0.95, 0.02, 0.03]
        case .birthDate: [0, 0.918, 0.07986, 0.0003, 0.0012, 0.0005, 0.00004, 0.0001]
        case .sex: [0, 0.5, 0.5]
        case .phone: [0, 0.99998, 0.00001, 0.00001]
        case .address: [0, 0.90, 0.08, 0.015, 0.005]
        case .text: [0, 0.999985, 0.000008, 0.000005, 0.000002]
        }
    }
}
