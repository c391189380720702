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
            let value = code.holds(facts)
            facts.values[labelSlots[i]] = .bool(value)
            if value { held.append(i) }
        }
        var action: Int? = nil
        for (i, code) in actionCode.enumerated() where code.holds(facts) {
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

/// A rule with its names resolved to slots, flattened into one array of nodes whose children
/// are indices: evaluating it walks plain arrays (no boxed tree to retain and release per node),
/// which matters when every rule runs for every person of a city.
final class CompiledRule: Sendable {
    enum Kind: UInt8, Sendable {
        case literal, fact, field, not, and, or, compare, member, arithmetic, aggregate
    }
    /// One node: `a` and `b` are child node indices, a slot, or a range of ``children``
    /// (`and`/`or`: children[a..<b]); `extra` is an operator, a literal or set index, or an
    /// aggregate kind with the filter node in `b` (-1 for none).
    struct Node: Sendable {
        var kind: Kind
        var extra: Int32 = 0
        var a: Int32 = 0
        var b: Int32 = 0
    }

    let nodes: [Node]
    let children: [Int32]
    let literals: [RuleValue]
    let sets: [Set<RuleValue>]
    private let root: Int32
    fileprivate static let comparisons: [RuleExpression.ComparisonOperator] = [.equal, .notEqual, .less, .lessOrEqual, .greater, .greaterOrEqual]
    fileprivate static let aggregates: [RuleExpression.Aggregate] = [.count, .any, .none, .all]

    init(_ expression: RuleExpression, schema: RuleSchema, rule: String) throws(RuleCompileError) {
        var builder = Builder()
        root = try builder.resolve(expression, schema: schema, fields: nil, rule: rule)
        nodes = builder.nodes
        children = builder.children
        literals = builder.literals
        sets = builder.sets
    }

    /// Flattens an expression tree, children before parents.
    private struct Builder {
        var nodes: [Node] = []
        var children: [Int32] = []
        var literals: [RuleValue] = []
        var sets: [Set<RuleValue>] = []

        mutating func add(_ node: Node) -> Int32 {
            nodes.append(node)
            return Int32(nodes.count - 1)
        }

        mutating func resolve(_ e: RuleExpression, schema: RuleSchema, fields: [String]?, rule: String) throws(RuleCompileError) -> Int32 {
            switch e {
            case .literal(let v):
                literals.append(v)
                return add(Node(kind: .literal, extra: Int32(literals.count - 1)))
            case .name(let name):
                if let fields, let slot = fields.firstIndex(of: name) { return add(Node(kind: .field, a: Int32(slot))) }
                if let slot = schema.factSlot(name) { return add(Node(kind: .fact, a: Int32(slot))) }
                let known = (fields ?? []) + schema.facts
                throw RuleCompileError(rule: rule, message: "unknown name \(name); known names: \(known.joined(separator: ", "))")
            case .not(let x):
                let child = try resolve(x, schema: schema, fields: fields, rule: rule)
                return add(Node(kind: .not, a: child))
            case .and(let xs), .or(let xs):
                var resolved: [Int32] = []
                for x in xs { resolved.append(try resolve(x, schema: schema, fields: fields, rule: rule)) }
                let start = Int32(children.count)
                children += resolved
                let kind: Kind = if case .and = e { .and } else { .or }
                return add(Node(kind: kind, a: start, b: Int32(children.count)))
            case .compare(let x, let op, let y):
                let a = try resolve(x, schema: schema, fields: fields, rule: rule)
                let b = try resolve(y, schema: schema, fields: fields, rule: rule)
                return add(Node(kind: .compare, extra: Int32(CompiledRule.comparisons.firstIndex(of: op)!), a: a, b: b))
            case .member(let x, let values):
                let a = try resolve(x, schema: schema, fields: fields, rule: rule)
                sets.append(Set(values))
                return add(Node(kind: .member, extra: Int32(sets.count - 1), a: a))
            case .arithmetic(let x, let op, let y):
                let a = try resolve(x, schema: schema, fields: fields, rule: rule)
                let b = try resolve(y, schema: schema, fields: fields, rule: rule)
                return add(Node(kind: .arithmetic, extra: op == .plus ? 0 : 1, a: a, b: b))
            case .aggregate(let kind, let collection, let filter):
                guard fields == nil else { throw RuleCompileError(rule: rule, message: "\(kind.rawValue)(\(collection)) cannot be nested inside another collection") }
                guard let slot = schema.collectionSlot(collection), let itemFields = schema.collections[collection] else {
                    throw RuleCompileError(rule: rule, message: "unknown collection \(collection); known: \(schema.collectionOrder.joined(separator: ", "))")
                }
                let node: Int32 = if let filter { try resolve(filter, schema: schema, fields: itemFields, rule: rule) } else { -1 }
                return add(Node(kind: .aggregate, extra: Int32(CompiledRule.aggregates.firstIndex(of: kind)!), a: Int32(slot), b: node))
            }
        }
    }

    /// Whether the rule holds; the common question, without building a value for the root.
    func holds(_ facts: RuleFacts) -> Bool {
        test(root, facts, nil)
    }

    private func test(_ index: Int32, _ facts: RuleFacts, _ item: [RuleValue]?) -> Bool {
        let node = nodes[Int(index)]
        switch node.kind {
        case .fact:
            if case .bool(true) = facts.values[Int(node.a)] { return true }
            return false
        case .not:
            let x = nodes[Int(node.a)]
            if x.kind == .fact {
                switch facts.values[Int(x.a)] {
                case .bool(let b): return !b
                default: return true   // not(missing) holds: "not student" is true when not listed
                }
            }
            if case .bool(let b) = eval(node.a, facts, item) { return !b }
            return true
        case .and:
            for i in node.a..<node.b where !test(children[Int(i)], facts, item) { return false }
            return true
        case .or:
            for i in node.a..<node.b where test(children[Int(i)], facts, item) { return true }
            return false
        default:
            return eval(index, facts, item).isTrue
        }
    }

    private func eval(_ index: Int32, _ facts: RuleFacts, _ item: [RuleValue]?) -> RuleValue {
        let node = nodes[Int(index)]
        switch node.kind {
        case .literal: return literals[Int(node.extra)]
        case .fact: return facts.values[Int(node.a)]
        case .field: return item?[Int(node.a)] ?? .null
        case .not, .and, .or: return .bool(test(index, facts, item))
        case .compare:
            return .bool(Self.compare(eval(node.a, facts, item), Self.comparisons[Int(node.extra)], eval(node.b, facts, item)))
        case .member:
            let v = eval(node.a, facts, item)
            if case .null = v { return .bool(false) }
            return .bool(sets[Int(node.extra)].contains(v))
        case .arithmetic:
            guard case .int(let x) = eval(node.a, facts, item), case .int(let y) = eval(node.b, facts, item) else { return .null }
            return .int(node.extra == 0 ? x + y : x - y)
        case .aggregate:
            let kind = Self.aggregates[Int(node.extra)]
            var count = 0
            let items = facts.items[Int(node.a)]
            for it in items where node.b < 0 || test(node.b, facts, it) {
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
