extension ResidentID {
    /// What ``ResidentID/parse(_:asOf:)`` noticed. Errors make the number invalid; the rest
    /// (``warnings``) are reported but keep it valid.
    ///
    /// ```swift
    /// let issues: ResidentID.Issues = [.legacy15, .unknownRegion]
    /// issues.codes          // ["legacy_15", "unknown_region"]
    /// issues.isDisjoint(with: .errors)   // true
    /// ```
    public struct Issues: OptionSet, Hashable, Sendable {
        /// The bit pattern (one bit per issue, in the order of ``all``).
        public let rawValue: UInt32
        /// Creates a set from its bit pattern.
        public init(rawValue: UInt32) { self.rawValue = rawValue }

        /// Not 18 (or 15) characters after cleaning. Error.
        public static let badLength = Issues(rawValue: 1 << 0)
        /// A character other than a digit, or `X` anywhere but last. Error.
        public static let badCharacter = Issues(rawValue: 1 << 1)
        /// The birth date does not exist (e.g. 1900-02-29). Error.
        public static let badDate = Issues(rawValue: 1 << 2)
        /// The birth date is after today (China time). Error.
        public static let futureDate = Issues(rawValue: 1 << 3)
        /// The birth year is before 1880. Error.
        public static let tooOld = Issues(rawValue: 1 << 4)
        /// The MOD 11-2 check digit does not match. Error.
        public static let badChecksum = Issues(rawValue: 1 << 5)
        /// Excel turned the number into a float: scientific notation, or 18 digits ending `000`
        /// with a failing check. Error.
        public static let excelMangled = Issues(rawValue: 1 << 6)
        /// A 15-digit first-generation number, upgraded to 18 digits. Warning.
        public static let legacy15 = Issues(rawValue: 1 << 7)
        /// The check `X` was lowercase. Warning.
        public static let lowercaseX = Issues(rawValue: 1 << 8)
        /// Full-width digits or letters were folded. Warning.
        public static let fullwidth = Issues(rawValue: 1 << 9)
        /// Inner spaces or hyphens were removed. Warning.
        public static let separators = Issues(rawValue: 1 << 10)
        /// A leading tab, apostrophe or `="…"` wrapper (Excel text tricks) was removed. Warning.
        public static let excelPrefix = Issues(rawValue: 1 << 11)
        /// The region code is in no GB/T 2260 edition the table knows. Warning.
        public static let unknownRegion = Issues(rawValue: 1 << 12)
        /// The region code exists but was not in force in the birth year. Warning.
        public static let regionNotInForce = Issues(rawValue: 1 << 13)
        /// A 2023 foreign permanent-resident ID (first digit 9). Warning (informational).
        public static let foreignPermanent = Issues(rawValue: 1 << 14)
        /// A 15-digit number that also reads as an 18-digit number cut after its 15th digit: its
        /// digits 7–14 form a real YYYYMMDD date (e.g. `640402200905078` is a 1920 legacy number or
        /// a 2009 number truncated). Warning: the number is valid but should not settle identity alone.
        public static let possiblyTruncated = Issues(rawValue: 1 << 15)

        /// The issues that make a number invalid.
        public static let errors: Issues = [.badLength, .badCharacter, .badDate, .futureDate, .tooOld,
                                            .badChecksum, .excelMangled]
        /// The issues that are only reported.
        public static let warnings: Issues = [.legacy15, .lowercaseX, .fullwidth, .separators, .excelPrefix,
                                              .unknownRegion, .regionNotInForce, .foreignPermanent, .possiblyTruncated]

        /// Every issue with its code, in the fixed reporting order.
        public static let all: [(Issues, String)] = [
            (.badLength, "bad_length"), (.badCharacter, "bad_character"), (.badDate, "bad_date"),
            (.futureDate, "future_date"), (.tooOld, "too_old"), (.badChecksum, "bad_checksum"),
            (.excelMangled, "excel_mangled"), (.legacy15, "legacy_15"), (.lowercaseX, "lowercase_x"),
            (.fullwidth, "fullwidth"), (.separators, "separators"), (.excelPrefix, "excel_prefix"),
            (.unknownRegion, "unknown_region"), (.regionNotInForce, "region_not_in_force"),
            (.foreignPermanent, "foreign_permanent"), (.possiblyTruncated, "possibly_truncated"),
        ]

        /// The short codes of the issues present, in the fixed order of ``all``.
        public var codes: [String] { Self.all.compactMap { contains($0.0) ? $0.1 : nil } }
    }
}
