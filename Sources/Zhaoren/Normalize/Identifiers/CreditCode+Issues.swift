extension CreditCode {
    /// What ``CreditCode/parse(_:)`` noticed. ``errors`` make the code invalid; the rest are warnings.
    public struct Issues: OptionSet, Hashable, Sendable {
        /// The bit pattern (one bit per issue, in the order of ``all``).
        public let rawValue: UInt32
        /// Creates a set from its bit pattern.
        public init(rawValue: UInt32) { self.rawValue = rawValue }

        /// Not 18 (or 15) characters after cleaning. Error.
        public static let badLength = Issues(rawValue: 1 << 0)
        /// A character outside the GB 32100 alphabet (I, O, Z, S, V, punctuation…). Error.
        public static let badCharacter = Issues(rawValue: 1 << 1)
        /// The MOD 31 check character does not match (and it is not a pilot code). Error.
        public static let badChecksum = Issues(rawValue: 1 << 2)
        /// The embedded GB 11714 organisation code's check does not match. Error.
        public static let badOrgChecksum = Issues(rawValue: 1 << 3)
        /// An early Fujian pilot code: the outer check fails, the organisation code passes. Warning.
        public static let pilotCode = Issues(rawValue: 1 << 4)
        /// A legacy 15-character taxpayer number (region + organisation code). Warning.
        public static let legacyTaxpayerID = Issues(rawValue: 1 << 5)
        /// Lowercase letters were uppercased. Warning.
        public static let lowercase = Issues(rawValue: 1 << 6)
        /// Full-width characters were folded. Warning.
        public static let fullwidth = Issues(rawValue: 1 << 7)
        /// Inner spaces or hyphens were removed. Warning.
        public static let separators = Issues(rawValue: 1 << 8)
        /// A leading tab, apostrophe or `="…"` wrapper was removed. Warning.
        public static let excelPrefix = Issues(rawValue: 1 << 9)

        /// The issues that make a code invalid.
        public static let errors: Issues = [.badLength, .badCharacter, .badChecksum, .badOrgChecksum]

        /// Every issue with its code, in the fixed reporting order.
        public static let all: [(Issues, String)] = [
            (.badLength, "bad_length"), (.badCharacter, "bad_character"), (.badChecksum, "bad_checksum"),
            (.badOrgChecksum, "bad_org_checksum"), (.pilotCode, "pilot_code"),
            (.legacyTaxpayerID, "legacy_taxpayer_id"), (.lowercase, "lowercase"), (.fullwidth, "fullwidth"),
            (.separators, "separators"), (.excelPrefix, "excel_prefix"),
        ]

        /// The short codes of the issues present, in the fixed order of ``all``.
        public var codes: [String] { Self.all.compactMap { contains($0.0) ? $0.1 : nil } }
    }
}
