/// A parsed coverage rule: a condition over one person's facts and their records.
///
/// Rules are written as text in the settings file and parsed by ``RuleParser``:
///
/// ```text
/// alive and age >= 16 and age <= 59 and not student
///     and count(accounts where status != "终止参保") == 0
/// ```
///
/// Names refer to person facts (`alive`, `age`, `sex`, `student` …), to labels defined earlier
/// in the settings, or, inside `where`, to fields of the collection's items (`status`, `scheme`,
/// `local`, `last_benefit` …). Collections are aggregated with `count(…)`, `any(…)`, `none(…)`
/// and `all(…)`, each with an optional `where` filter.
public indirect enum RuleExpression: Hashable, Sendable {
    /// A constant.
    case literal(RuleValue)
    /// A person fact or an earlier label, by name.
    case name(String)
    /// `not e`.
    case not(RuleExpression)
    /// `a and b and …`.
    case and([RuleExpression])
    /// `a or b or …`.
    case or([RuleExpression])
    /// `a OP b` for `==`, `!=`, `<`, `<=`, `>`, `>=`.
    case compare(RuleExpression, ComparisonOperator, RuleExpression)
    /// `a in [v, …]`.
    case member(RuleExpression, [RuleValue])
    /// `a + b` or `a - b` on integers (months, days, ages).
    case arithmetic(RuleExpression, ArithmeticOperator, RuleExpression)
    /// `count(c where e)`, `any(c where e)`, `none(c where e)`, `all(c where e)`.
    case aggregate(Aggregate, collection: String, filter: RuleExpression?)

    /// A comparison operator.
    public enum ComparisonOperator: String, Hashable, Sendable {
        case equal = "==", notEqual = "!=", less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">="
    }

    /// An arithmetic operator.
    public enum ArithmeticOperator: String, Hashable, Sendable {
        case plus = "+", minus = "-"
    }

    /// How a collection is reduced.
    public enum Aggregate: String, Hashable, Sendable {
        /// The number of items passing the filter.
        case count
        /// Whether at least one item passes.
        case any
        /// Whether no item passes.
        case none
        /// Whether every item passes (true for an empty collection).
        case all
    }

    /// Every bare name the expression refers to outside `where` clauses.
    public var referencedNames: Set<String> {
        switch self {
        case .literal: return []
        case .name(let n): return [n]
        case .not(let e): return e.referencedNames
        case .and(let es), .or(let es): return es.reduce(into: []) { $0.formUnion($1.referencedNames) }
        case .compare(let a, _, let b), .arithmetic(let a, _, let b): return a.referencedNames.union(b.referencedNames)
        case .member(let e, _): return e.referencedNames
        case .aggregate: return []
        }
    }
}
