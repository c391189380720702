/// A training session for m probabilities (as in Splink): EM runs only on the candidate pairs
/// that meet every condition, with the conditioned comparisons left out, so the pairs are
/// nearly all matches and the remaining comparisons' m can be learned without the
/// "same household" confusion of correlated fields (address, phone, area).
///
/// ```json
/// {"conditions": [{"comparison": "id", "minimum_level": 3}]}
/// ```
public struct TrainingRule: Codable, Sendable, Hashable {
    /// One condition: the named comparison at or above a level.
    public struct Condition: Codable, Sendable, Hashable {
        /// The comparison's name.
        public var comparison: String
        /// The lowest level that meets the condition.
        public var minimumLevel: Int

        /// Creates a condition.
        public init(_ comparison: String, minimumLevel: Int) {
            self.comparison = comparison
            self.minimumLevel = minimumLevel
        }

        enum CodingKeys: String, CodingKey, CaseIterable { case comparison, minimumLevel = "minimum_level" }

        /// Reads a condition; an unknown key is an error.
        public init(from decoder: any Decoder) throws {
            try decoder.rejectUnknownKeys(CodingKeys.self)
            let c = try decoder.container(keyedBy: CodingKeys.self)
            comparison = try c.decode(String.self, forKey: .comparison)
            minimumLevel = try c.decode(Int.self, forKey: .minimumLevel)
        }
    }

    /// All must hold.
    public var conditions: [Condition]

    /// Creates a rule.
    public init(_ conditions: [Condition]) { self.conditions = conditions }

    enum CodingKeys: String, CodingKey, CaseIterable { case conditions }

    /// Reads a rule; an unknown key is an error.
    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        conditions = try decoder.container(keyedBy: CodingKeys.self).decode([Condition].self, forKey: .conditions)
    }

    /// Default sessions for a set of comparisons: exact resident ID; name (equal after folding
    /// or better) with exact birth date; exact other identifier; exact phone with name.
    public static func defaults(for specs: [ComparisonSpec]) -> [TrainingRule] {
        var rules: [TrainingRule] = []
        func top(_ s: ComparisonSpec) -> Int { s.kind.levelCount - 1 }
        let name = specs.first { $0.kind == .chineseName || $0.kind == .latinName }
        let nameLevel = name.map { $0.kind == .chineseName ? 6 : top($0) }
        if let id = specs.first(where: { $0.kind == .residentID }) {
            rules.append(TrainingRule([Condition(id.name, minimumLevel: top(id))]))
        }
        if let name, let nameLevel, let birth = specs.first(where: { $0.kind == .birthDate }) {
            rules.append(TrainingRule([Condition(name.name, minimumLevel: nameLevel), Condition(birth.name, minimumLevel: top(birth))]))
        }
        if let other = specs.first(where: { $0.kind == .text && $0.role == .otherID }) {
            rules.append(TrainingRule([Condition(other.name, minimumLevel: top(other))]))
        }
        if let name, let nameLevel, let phone = specs.first(where: { $0.kind == .phone }) {
            rules.append(TrainingRule([Condition(name.name, minimumLevel: nameLevel), Condition(phone.name, minimumLevel: top(phone))]))
        }
        return rules
    }
}
