/// One comparison as data: a settings entry naming what to compare and how, never code in a loop.
///
/// ```json
/// {"name": "address", "kind": "address", "role": "address", "thresholds": [0.8, 0.5]}
/// ```
public struct ComparisonSpec: Codable, Sendable, Hashable {
    /// The column header in `pairs.csv` and the key in `summary.json`.
    public var name: String
    /// How levels are computed.
    public var kind: ComparisonKind
    /// The role whose column is compared (`text` may read `other_id` or `area`).
    public var role: FieldRole
    /// Kind-specific thresholds, strongest first (see ``ComparisonKind``).
    public var thresholds: [Double]
    /// Whether agreement weights are adjusted by how common the value is (names only).
    public var termFrequency: Bool
    /// The most weight this comparison may add (`nil`: no cap), e.g. for a field a whole
    /// household shares.
    public var maxWeight: Double?

    /// Creates a comparison; thresholds default to the kind's.
    public init(name: String, kind: ComparisonKind, role: FieldRole? = nil, thresholds: [Double]? = nil,
                termFrequency: Bool = false, maxWeight: Double? = nil) {
        self.maxWeight = maxWeight
        self.name = name
        self.kind = kind
        self.role = role ?? kind.defaultRole
        self.thresholds = thresholds ?? kind.defaultThresholds
        self.termFrequency = termFrequency
    }

    enum CodingKeys: String, CodingKey, CaseIterable { case name, kind, role, thresholds, termFrequency = "term_frequency", maxWeight = "max_weight" }

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        kind = try c.decode(ComparisonKind.self, forKey: .kind)
        name = try c.decodeIfPresent(String.self, forKey: .name) ?? kind.rawValue
        role = try c.decodeIfPresent(FieldRole.self, forKey: .role) ?? kind.defaultRole
        thresholds = try c.decodeIfPresent([Double].self, forKey: .thresholds) ?? kind.defaultThresholds
        termFrequency = try c.decodeIfPresent(Bool.self, forKey: .termFrequency) ?? false
        maxWeight = try c.decodeIfPresent(Double.self, forKey: .maxWeight)
    }

    /// The default comparisons for Chinese person records with the given roles present;
    /// with `latinNames`, names are compared token by token (``ComparisonKind/latinName``)
    /// and the address weight is capped at 6 bits (a postcode column serves blocking only).
    public static func defaults(for roles: Set<FieldRole>, latinNames: Bool = false) -> [ComparisonSpec] {
        var out: [ComparisonSpec] = []
        if roles.contains(.name) || roles.contains(.surname) || roles.contains(.givenName) {
            out.append(latinNames ? ComparisonSpec(name: "name", kind: .latinName, termFrequency: true)
                                  : ComparisonSpec(name: "name", kind: .chineseName, termFrequency: true))
        }
        if roles.contains(.id) { out.append(ComparisonSpec(name: "id", kind: .residentID)) }
        if roles.contains(.birth) { out.append(ComparisonSpec(name: "birth", kind: .birthDate)) }
        if roles.contains(.sex) { out.append(ComparisonSpec(name: "sex", kind: .sex)) }
        if roles.contains(.phone) { out.append(ComparisonSpec(name: "phone", kind: .phone)) }
        if roles.contains(.address) {
            // A household shares its address: for Latin-script records (surname, address and
            // often birth dates shared by twins) its weight is capped so it cannot outvote the names and IDs.
            out.append(ComparisonSpec(name: "address", kind: .address, maxWeight: latinNames ? 6 : nil))
        }
        if roles.contains(.otherID) { out.append(ComparisonSpec(name: "other_id", kind: .text, role: .otherID)) }
        return out
    }
}
