extension PhoneNumber {
    /// What ``PhoneNumber/parse(_:)`` noticed. ``errors`` make the number invalid; the rest are warnings.
    public struct Issues: OptionSet, Hashable, Sendable {
        /// The bit pattern (one bit per issue, in the order of ``all``).
        public let rawValue: UInt32
        /// Creates a set from its bit pattern.
        public init(rawValue: UInt32) { self.rawValue = rawValue }

        /// Wrong number of digits for its kind. Error.
        public static let badLength = Issues(rawValue: 1 << 0)
        /// A character that is not a digit, separator, prefix or extension marker. Error.
        public static let badCharacter = Issues(rawValue: 1 << 1)
        /// An 11-digit `1[3-9]…` number outside the assigned mobile blocks (e.g. 140, 154). Error.
        public static let unassignedBlock = Issues(rawValue: 1 << 2)
        /// A landline subscriber number starting with 0 or 1. Error.
        public static let badSubscriber = Issues(rawValue: 1 << 3)
        /// A 7- or 8-digit local number without an area code. Error.
        public static let missingAreaCode = Issues(rawValue: 1 << 4)
        /// Digits that fit no Chinese numbering pattern. Error.
        public static let unrecognized = Issues(rawValue: 1 << 5)
        /// The +86 / 0086 / 86 country prefix was removed. Warning.
        public static let countryCode = Issues(rawValue: 1 << 6)
        /// An extension was split off (see ``PhoneNumber/extensionNumber``). Warning.
        public static let hasExtension = Issues(rawValue: 1 << 7)
        /// Full-width characters were folded. Warning.
        public static let fullwidth = Issues(rawValue: 1 << 8)
        /// Spaces, hyphens, dots or parentheses were removed. Warning.
        public static let separators = Issues(rawValue: 1 << 9)

        /// The issues that make a number invalid.
        public static let errors: Issues = [.badLength, .badCharacter, .unassignedBlock, .badSubscriber,
                                            .missingAreaCode, .unrecognized]

        /// Every issue with its code, in the fixed reporting order.
        public static let all: [(Issues, String)] = [
            (.badLength, "bad_length"), (.badCharacter, "bad_character"), (.unassignedBlock, "unassigned_block"),
            (.badSubscriber, "bad_subscriber"), (.missingAreaCode, "missing_area_code"),
            (.unrecognized, "unrecognized"), (.countryCode, "country_code"), (.hasExtension, "extension"),
            (.fullwidth, "fullwidth"), (.separators, "separators"),
        ]

        /// The short codes of the issues present, in the fixed order of ``all``.
        public var codes: [String] { Self.all.compactMap { contains($0.0) ? $0.1 : nil } }
    }
}
