import Zhaoren

/// An ordered set of label rules and action rules, compiled against a ``RuleSchema``.
///
/// Labels are evaluated in order; each label's result becomes a fact that later labels and
/// every action can use. Actions are tried in order and the first whose condition holds is the
/// person's recommended action.
///
/// ```swift
/// let book = try RuleBook(schema: schema,
///     labels: [.init(name: "over_60", when: "alive and age >= 60")],
///     actions: [.init(name: "back_pay", when: "over_60 and count(accounts) == 0", text: "补缴")])
/// var facts = RuleFacts(schema: book.schema)
/// let outcome = book.evaluate(&facts)
/// ```
public struct RuleBook: Sendable {
    /// A named rule in settings.
    public struct Rule: Hashable, Sendable, Codable {
        /// The label or action name (e.g. `interrupted`).
        public var name: String
        /// The condition, in the rule language of ``RuleParser``.
        public var when: String
        /// For actions: the text shown to workers (e.g. 动员参加企业职工基本养老保险).
        public var text: String?

        public init(name: String, when: String, text: String? = nil) {
            self.name = name
            self.when = when
            self.text = text
        }

        enum CodingKeys: String, CodingKey, CaseIterable { case name, when, text }

        /// Reads a rule; an unknown key is an error.
        public init(from decoder: any Decoder) throws {
            try decoder.rejectUnknownKeys(CodingKeys.self)
            let c = try decoder.container(keyedBy: CodingKeys.self)
            name = try c.decode(String.self, forKey: .name)
            when = try c.decode(String.self, forKey: .when)
            text = try c.decodeIfPresent(String.self, forKey: .text)
        }
    }

    /// The outcome for one person.
    public struct Outcome: Hashable, Sendable {
        /// Indices into ``RuleBook/labels`` of the labels that hold.
        public var labels: [Int]
        /// Index into ``RuleBook/actions`` of the recommended action, if any.
        public var action: Int?
    }

    /// The schema, extended with one fact per label.
    public let schema: RuleSchema
    /// The label rules, in evaluation order.
    public let labels: [Rule]
    /// The action rules, in priority order.
    public let actions: [Rule]
    private let labelSlots: [Int]
    private let labelCode: [CompiledRule]
    private let actionCode: [CompiledRule]

    /// Compiles the rules; throws ``RuleCompileError`` for a syntax error, an unknown name, a
    /// label used before it is defined, or a duplicate name.
    public init(schema: RuleSchema, labels: [Rule], actions: [Rule]) throws(RuleCompileError) {
        var schema = schema
        var slots: [Int] = []
        var labelCode: [CompiledRule] = []
        for rule in labels {
            guard schema.factSlot(rule.name) == nil else {
                throw RuleCompileError(rule: rule.name, message: "the name \(rule.name) is already a fact or label")
            }
            labelCode.append(try Self.compile(rule, schema))
            slots.append(schema.append(rule.name))
        }
        var seenActions = Set<String>()
        var actionCode: [CompiledRule] = []
        for rule in actions {
            guard seenActions.insert(rule.name).inserted else {
                throw RuleCompileError(rule: rule.name, message: "action \(rule.name) is defined twice")
            }
            actionCode.append(try Self.compile(rule, schema))
        }
        self.schema = schema
        self.labels = labels
        self.actions = actions
        self.labelSlots = slots
        self.labelCode = labelCode
        self.actionCode = actionCode
    }

    private static func compile(_ rule: Rule, _ schema: RuleSchema) throws(RuleCompileError) -> CompiledRule {
        let expression: RuleExpression
        do { expression = try RuleParser.parse(rule.when) } catch {
            throw RuleCompileError(rule: rule.name, message: error.description)
        }
        return try CompiledRule(expression, schema: schema, rule: rule.name)
    }

    /// Evaluates every label then the actions for the person in `facts`, writing label results
    /// into `facts` as it goes.
    /// - Complexity: linear in the size of the rules and the person's collections.
    public func evaluate(_ facts: inout RuleFacts) -> Outcome {
        var held: [Int] = []
        for (i, code) in labelCode.enumerated() {
            let value = code.evaluate(facts, item: nil)
            facts.values[labelSlots[i]] = .bool(value.isTrue)
            if value.isTrue { held.append(i) }
        }
        var action: Int? = nil
        for (i, code) in actionCode.enumerated() where code.evaluate(facts, item: nil).isTrue {
            action = i
            break
        }
        return Outcome(labels: held, action: action)
    }
}

/// A rule could not be compiled.
public struct RuleCompileError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The rule's name.
    public var rule: String
    /// What was wrong.
    public var message: String

    public var description: String { "rule \(rule): \(message)" }
}

/// A rule with its names resolved to slots.
struct CompiledRule: Sendable {
    indirect enum Node: Sendable {
        case literal(RuleValue)
        case fact(Int)
        case field(Int)
        case not(Node)
        case and([Node])
        case or([Node])
        case compare(Node, RuleExpression.ComparisonOperator, Node)
        case member(Node, Set<RuleValue>)
        case arithmetic(Node, RuleExpression.ArithmeticOperator, Node)
        case aggregate(RuleExpression.Aggregate, collection: Int, filter: Node?)
    }

    let root: Node

    init(_ expression: RuleExpression, schema: RuleSchema, rule: String) throws(RuleCompileError) {
        root = try Self.resolve(expression, schema: schema, fields: nil, rule: rule)
    }

    private static func resolve(_ e: RuleExpression, schema: RuleSchema, fields: [String]?, rule: String) throws(RuleCompileError) -> Node {
        func r(_ e: RuleExpression) throws(RuleCompileError) -> Node { try resolve(e, schema: schema, fields: fields, rule: rule) }
        switch e {
        case .literal(let v): return .literal(v)
        case .name(let name):
            if let fields, let slot = fields.firstIndex(of: name) { return .field(slot) }
            if let slot = schema.factSlot(name) { return .fact(slot) }
            let known = (fields ?? []) + schema.facts
            throw RuleCompileError(rule: rule, message: "unknown name \(name); known names: \(known.joined(separator: ", "))")
        case .not(let x): return .not(try r(x))
        case .and(let xs):
            var nodes: [Node] = []
            for x in xs { nodes.append(try r(x)) }
            return .and(nodes)
        case .or(let xs):
            var nodes: [Node] = []
            for x in xs { nodes.append(try r(x)) }
            return .or(nodes)
        case .compare(let a, let op, let b): return .compare(try r(a), op, try r(b))
        case .member(let a, let values): return .member(try r(a), Set(values))
        case .arithmetic(let a, let op, let b): return .arithmetic(try r(a), op, try r(b))
        case .aggregate(let kind, let collection, let filter):
            guard fields == nil else { throw RuleCompileError(rule: rule, message: "\(kind.rawValue)(\(collection)) cannot be nested inside another collection") }
            guard let slot = schema.collectionSlot(collection), let itemFields = schema.collections[collection] else {
                throw RuleCompileError(rule: rule, message: "unknown collection \(collection); known: \(schema.collectionOrder.joined(separator: ", "))")
            }
            let node: Node? = if let filter { try resolve(filter, schema: schema, fields: itemFields, rule: rule) } else { nil }
            return .aggregate(kind, collection: slot, filter: node)
        }
    }

    func evaluate(_ facts: RuleFacts, item: [RuleValue]?) -> RuleValue {
        Self.eval(root, facts, item)
    }

    private static func eval(_ node: Node, _ facts: RuleFacts, _ item: [RuleValue]?) -> RuleValue {
        switch node {
        case .literal(let v): return v
        case .fact(let slot): return facts.values[slot]
        case .field(let slot): return item?[slot] ?? .null
        case .not(let x):
            if case .bool(let b) = eval(x, facts, item) { return .bool(!b) }
            return .bool(true)   // not(missing) holds: "not student" is true when not listed
        case .and(let xs):
            for x in xs where !eval(x, facts, item).isTrue { return .bool(false) }
            return .bool(true)
        case .or(let xs):
            for x in xs where eval(x, facts, item).isTrue { return .bool(true) }
            return .bool(false)
        case .compare(let a, let op, let b):
            return .bool(compare(eval(a, facts, item), op, eval(b, facts, item)))
        case .member(let a, let set):
            let v = eval(a, facts, item)
            if case .null = v { return .bool(false) }
            return .bool(set.contains(v))
        case .arithmetic(let a, let op, let b):
            guard case .int(let x) = eval(a, facts, item), case .int(let y) = eval(b, facts, item) else { return .null }
            return .int(op == .plus ? x + y : x - y)
        case .aggregate(let kind, let slot, let filter):
            var count = 0
            let items = facts.items[slot]
            for it in items where filter.map({ eval($0, facts, it).isTrue }) ?? true {
                count += 1
                if kind == .any { return .bool(true) }
                if kind == .none { return .bool(false) }
            }
            switch kind {
            case .count: return .int(count)
            case .any: return .bool(false)
            case .none: return .bool(true)
            case .all: return .bool(count == items.count)
            }
        }
    }

    private static func compare(_ a: RuleValue, _ op: RuleExpression.ComparisonOperator, _ b: RuleValue) -> Bool {
        switch (a, b) {
        case (.null, _), (_, .null): return false
        case (.int(let x), .int(let y)): return ordered(x, op, y)
        case (.string(let x), .string(let y)): return ordered(x, op, y)
        case (.bool(let x), .bool(let y)): return op == .equal ? x == y : (op == .notEqual ? x != y : false)
        default: return op == .notEqual
        }
    }

    private static func ordered<T: Comparable>(_ x: T, _ op: RuleExpression.ComparisonOperator, _ y: T) -> Bool {
        switch op {
        case .equal: return x == y
        case .notEqual: return x != y
        case .less: return x < y
        case .lessOrEqual: return x <= y
        case .greater: return x > y
        case .greaterOrEqual: return x >= y
        }
    }
}
