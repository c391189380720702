/// The names a coverage rule may use: the person facts, and per collection the fields of
/// its items. Rules are checked against it when compiled, so a misspelt name is an error
/// in the settings file, not a silently false label.
///
/// ```swift
/// let schema = RuleSchema(facts: ["alive", "age", "sex"],
///                         collections: ["accounts": ["status", "scheme", "local"]])
/// ```
public struct RuleSchema: Sendable {
    /// Person-level fact names, in slot order.
    public private(set) var facts: [String]
    /// Collection name → field names of its items, in slot order.
    public let collections: [String: [String]]
    /// Collection names in slot order.
    public let collectionOrder: [String]

    /// Creates a schema.
    public init(facts: [String], collections: [String: [String]]) {
        self.facts = facts
        self.collections = collections
        self.collectionOrder = collections.keys.sorted()
    }

    /// The slot of a fact, or `nil`.
    public func factSlot(_ name: String) -> Int? { facts.firstIndex(of: name) }

    /// The slot of a collection, or `nil`.
    public func collectionSlot(_ name: String) -> Int? { collectionOrder.firstIndex(of: name) }

    /// Adds a name (a label) whose value later rules can read; returns its slot.
    mutating func append(_ name: String) -> Int {
        facts.append(name)
        return facts.count - 1
    }
}

/// One person's facts and collections, filled by the caller and read by compiled rules.
///
/// The buffers are reused from person to person: call ``reset(schema:)`` then fill them.
/// Not `Sendable`: give each worker its own.
///
/// ```swift
/// var facts = RuleFacts(schema: schema)
/// facts.set("age", .int(47), in: schema)
/// facts.appendItem(["正常缴费", …], to: 0)
/// ```
public struct RuleFacts {
    /// Fact and label values by slot.
    public var values: [RuleValue]
    /// For each collection slot, its items; each item holds field values by slot.
    public var items: [[[RuleValue]]]

    /// Empty facts shaped for `schema` (every value missing, every collection empty).
    public init(schema: RuleSchema) {
        values = Array(repeating: .null, count: schema.facts.count)
        items = Array(repeating: [], count: schema.collectionOrder.count)
    }

    /// Clears every value and collection, keeping capacity.
    public mutating func reset() {
        for i in values.indices { values[i] = .null }
        for i in items.indices { items[i].removeAll(keepingCapacity: true) }
    }

    /// Sets a fact by name (convenient, slower than by slot).
    public mutating func set(_ name: String, _ value: RuleValue, in schema: RuleSchema) {
        if let slot = schema.factSlot(name) { values[slot] = value }
    }
}
