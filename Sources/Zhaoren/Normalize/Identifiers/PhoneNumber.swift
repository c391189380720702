/// A parsed mainland-China phone number: a mobile, a landline, or a 400/800 service number.
///
/// Strips the country prefix (`+86`, `0086`, `86`, `(+86)`, and `(0)` after it), separators
/// (spaces, `-`, `.`, parentheses, full-width forms) and an extension (`转8001`, `ext 8001`,
/// `#8001`, or a trailing `-8001` group), which is reported but not kept in the number.
/// A mobile is valid only in an assigned block (libphonenumber's CN pattern, domain-china.md §3).
///
/// ```swift
/// let p = PhoneNumber.parse("+86 138-0013-8000")
/// p.kind         // .mobile
/// p.normalized   // "13800138000"
/// PhoneNumber.parse("(010) 6552 9988 转 123").normalized   // "010-65529988"
/// PhoneNumber.parse("14012345678").issues.codes            // ["unassigned_block"]
/// ```
public struct PhoneNumber: Hashable, Sendable {
    /// What kind of number it is.
    public enum Kind: String, Hashable, Sendable, CaseIterable {
        /// An 11-digit mobile number starting with 1.
        case mobile
        /// A fixed line: trunk 0, area code, subscriber number.
        case landline
        /// A 400 (shared cost) or 800 (toll-free) number.
        case service
        /// Not recognizable as any of the above.
        case unknown
    }

    /// The text as given.
    public let input: String
    /// Whether the number is valid for its kind.
    public let isValid: Bool
    /// 11 digits for mobiles, `0AREA-NUMBER` for landlines, 10 digits for service numbers;
    /// `nil` when invalid.
    public let normalized: String?
    /// The kind, as far as it can be told (also for invalid numbers).
    public let kind: Kind
    /// The extension digits, if one was given.
    public let extensionNumber: String?
    /// Everything noticed, errors and warnings.
    public let issues: Issues

    /// Memberwise initializer.
    public init(input: String, isValid: Bool, normalized: String?, kind: Kind, extensionNumber: String?, issues: Issues) {
        self.input = input
        self.isValid = isValid
        self.normalized = normalized
        self.kind = kind
        self.extensionNumber = extensionNumber
        self.issues = issues
    }
}
