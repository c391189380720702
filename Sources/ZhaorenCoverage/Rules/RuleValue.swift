/// A value in a coverage rule: a number, a string, a truth value, or missing.
///
/// Missing (`null`) is what an unknown fact gives (an age with no birth date, an account's
/// last paid month when the register left it blank). Every comparison with a missing value
/// is false, so a rule never fires on data that is not there.
///
/// ```swift
/// RuleValue.int(45) == .int(45)      // true
/// RuleValue("正常缴费")               // .string("正常缴费")
/// ```
public enum RuleValue: Hashable, Sendable, CustomStringConvertible {
    case int(Int)
    case string(String)
    case bool(Bool)
    case null

    /// Wraps a string.
    public init(_ string: String) { self = .string(string) }

    /// The truth of the value in a condition: only `true` is true.
    @inlinable
    public var isTrue: Bool { if case .bool(true) = self { return true } else { return false } }

    public var description: String {
        switch self {
        case .int(let v): return String(v)
        case .string(let s): return "\"" + s + "\""
        case .bool(let b): return b ? "true" : "false"
        case .null: return "null"
        }
    }
}
