/// A parsed GB 11643 resident identity number (公民身份号码), with what was wrong or suspicious
/// about it.
///
/// Accepts 18-digit numbers, 15-digit legacy numbers (upgraded: insert `19`, append the check),
/// HK/Macau/Taiwan residence permits (810000/820000/830000) and 2023 foreign permanent-resident
/// IDs (first digit 9). Tolerates full-width digits, inner spaces and hyphens, lowercase `x` and
/// Excel's leading tab or apostrophe, and reports each. An unknown or not-yet-created region code
/// is only a warning: the number stays valid.
///
/// ```swift
/// let id = ResidentID.parse("11010519491231002x")
/// id.isValid        // true
/// id.normalized     // "11010519491231002X"
/// id.birthDate      // 1949-12-31
/// id.sex            // .female
/// id.issues.codes   // ["lowercase_x"]
/// ResidentID.parse("330102200403064").normalized   // "33010219200403064X" (legacy_15)
/// ```
public struct ResidentID: Hashable, Sendable {
    /// The text as given.
    public let input: String
    /// Whether the number is valid: right structure, a real past birth date from 1880 on, and a
    /// matching check digit. Warnings (see ``Issues/warnings``) do not make it invalid.
    public let isValid: Bool
    /// The canonical 18-character form (uppercase `X`; legacy 15-digit numbers upgraded), or
    /// `nil` when the number is invalid.
    public let normalized: String?
    /// The birth date, when the structure and date are sound (even if the check digit fails).
    public let birthDate: CivilDate?
    /// The sex from the parity of the order code (odd male, even female), when the structure is sound.
    public let sex: Sex?
    /// The 6-digit region (or, for foreign IDs, acceptance) code, when the structure is sound.
    public let regionCode: String?
    /// Everything noticed, errors and warnings.
    public let issues: Issues

    /// Memberwise initializer, for tests and callers that rebuild a parse.
    public init(input: String, isValid: Bool, normalized: String?, birthDate: CivilDate?, sex: Sex?,
                regionCode: String?, issues: Issues) {
        self.input = input
        self.isValid = isValid
        self.normalized = normalized
        self.birthDate = birthDate
        self.sex = sex
        self.regionCode = regionCode
        self.issues = issues
    }
}
