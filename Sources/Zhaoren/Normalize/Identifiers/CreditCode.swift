/// A parsed GB 32100 unified social credit code (统一社会信用代码, 18 characters), or a legacy
/// 15-character taxpayer number (6-digit region + 9-character organisation code).
///
/// Checks the MOD 31 check character and the embedded GB 11714 organisation code (letters
/// A=10 … Z=35). Early Fujian pilot codes (region 35…) whose organisation code passes but whose
/// outer check fails are legal: valid with `pilot_code`.
///
/// ```swift
/// let c = CreditCode.parse("91350100M000100Y43")
/// c.isValid                       // true
/// c.orgCode                       // "M000100Y4"
/// c.orgCodeDisplay                // "M000100Y-4"
/// CreditCode.parse("91350100M0001TGQXM").issues.codes   // ["pilot_code"]
/// ```
public struct CreditCode: Hashable, Sendable {
    /// The text as given.
    public let input: String
    /// Whether the code is valid (warnings such as `pilot_code` keep it valid).
    public let isValid: Bool
    /// The canonical uppercase form (18 characters, or 15 for a legacy taxpayer number), or `nil` when invalid.
    public let normalized: String?
    /// The embedded 9-character GB 11714 organisation code (8 + check), when the structure is sound.
    public let orgCode: String?
    /// The 6-character registration region code (positions 3–8, or 1–6 of a taxpayer number), when the structure is sound.
    public let regionCode: String?
    /// Everything noticed, errors and warnings.
    public let issues: Issues

    /// The organisation code in its display form `XXXXXXXX-X`.
    public var orgCodeDisplay: String? {
        orgCode.map { String($0.prefix(8)) + "-" + String($0.suffix(1)) }
    }

    /// Memberwise initializer.
    public init(input: String, isValid: Bool, normalized: String?, orgCode: String?, regionCode: String?, issues: Issues) {
        self.input = input
        self.isValid = isValid
        self.normalized = normalized
        self.orgCode = orgCode
        self.regionCode = regionCode
        self.issues = issues
    }
}
