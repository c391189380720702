/// Parses the text of a coverage rule into a ``RuleExpression``.
///
/// Grammar (keywords are lowercase; strings use double quotes; `#` starts a comment):
///
/// ```text
/// expr      := or
/// or        := and ("or" and)*
/// and       := unary ("and" unary)*
/// unary     := "not" unary | compare
/// compare   := sum (("==" | "!=" | "<" | "<=" | ">" | ">=") sum | "in" list)?
/// sum       := primary (("+" | "-") primary)*
/// primary   := INT | STRING | "true" | "false" | "null" | NAME
///            | AGG "(" NAME ("where" expr)? ")" | "(" expr ")"
/// list      := "[" (literal ("," literal)*)? "]"
/// AGG       := "count" | "any" | "none" | "all"
/// ```
///
/// ```swift
/// let e = try RuleParser.parse(#"alive and any(accounts where status == "中断缴费")"#)
/// ```
public enum RuleParser {
    /// Parses `text`, or throws a ``RuleSyntaxError`` naming the column of the problem.
    public static func parse(_ text: String) throws(RuleSyntaxError) -> RuleExpression {
        var parser = Parser(tokens: try Lexer.tokens(of: text), text: text)
        let expression = try parser.expression()
        guard parser.atEnd else { throw parser.error("unexpected \(parser.peek.text)") }
        return expression
    }

    fileprivate enum Kind: Equatable { case int, string, name, symbol, end }

    fileprivate struct Token {
        var kind: Kind
        var text: String
        var column: Int
    }

    private enum Lexer {
        static func tokens(of text: String) throws(RuleSyntaxError) -> [Token] {
            let scalars = Array(text.unicodeScalars)
            var tokens: [Token] = []
            var i = 0
            func isNameStart(_ c: Unicode.Scalar) -> Bool { c == "_" || c.properties.isAlphabetic }
            func isNamePart(_ c: Unicode.Scalar) -> Bool { isNameStart(c) || ("0"..."9").contains(c) || c == "." }
            while i < scalars.count {
                let c = scalars[i]
                let column = i + 1
                if c.properties.isWhitespace { i += 1; continue }
                if c == "#" { while i < scalars.count, scalars[i] != "\n" { i += 1 }; continue }
                if ("0"..."9").contains(c) {
                    var j = i
                    while j < scalars.count, ("0"..."9").contains(scalars[j]) { j += 1 }
                    tokens.append(Token(kind: .int, text: String(String.UnicodeScalarView(scalars[i..<j])), column: column))
                    i = j
                } else if c == "\"" {
                    var j = i + 1
                    var value = String.UnicodeScalarView()
                    while j < scalars.count, scalars[j] != "\"" {
                        if scalars[j] == "\\", j + 1 < scalars.count { j += 1 }
                        value.append(scalars[j])
                        j += 1
                    }
                    guard j < scalars.count else { throw RuleSyntaxError(message: "unterminated string", column: column, text: text) }
                    tokens.append(Token(kind: .string, text: String(value), column: column))
                    i = j + 1
                } else if isNameStart(c) {
                    var j = i
                    while j < scalars.count, isNamePart(scalars[j]) { j += 1 }
                    tokens.append(Token(kind: .name, text: String(String.UnicodeScalarView(scalars[i..<j])), column: column))
                    i = j
                } else {
                    let two = i + 1 < scalars.count ? String(String.UnicodeScalarView([c, scalars[i + 1]])) : ""
                    if ["==", "!=", "<=", ">="].contains(two) {
                        tokens.append(Token(kind: .symbol, text: two, column: column))
                        i += 2
                    } else if "<>()[],+-".unicodeScalars.contains(c) {
                        tokens.append(Token(kind: .symbol, text: String(c), column: column))
                        i += 1
                    } else if c == "=" {
                        throw RuleSyntaxError(message: "use == to compare", column: column, text: text)
                    } else {
                        throw RuleSyntaxError(message: "unexpected character \"\(c)\"", column: column, text: text)
                    }
                }
            }
            tokens.append(Token(kind: .end, text: "end of rule", column: scalars.count + 1))
            return tokens
        }
    }

    private struct Parser {
        var tokens: [Token]
        var text: String
        var position = 0

        var peek: Token { tokens[position] }
        var atEnd: Bool { peek.kind == .end }

        func error(_ message: String) -> RuleSyntaxError {
            RuleSyntaxError(message: message, column: peek.column, text: text)
        }

        mutating func take() -> Token {
            defer { if position < tokens.count - 1 { position += 1 } }
            return tokens[position]
        }

        mutating func accept(_ kind: Kind, _ text: String) -> Bool {
            guard peek.kind == kind, peek.text == text else { return false }
            position += 1
            return true
        }

        mutating func expect(_ kind: Kind, _ text: String) throws(RuleSyntaxError) {
            guard accept(kind, text) else { throw error("expected \(text), found \(peek.text)") }
        }

        mutating func expression() throws(RuleSyntaxError) -> RuleExpression {
            var terms = [try conjunction()]
            while accept(.name, "or") { terms.append(try conjunction()) }
            return terms.count == 1 ? terms[0] : .or(terms)
        }

        mutating func conjunction() throws(RuleSyntaxError) -> RuleExpression {
            var terms = [try unary()]
            while accept(.name, "and") { terms.append(try unary()) }
            return terms.count == 1 ? terms[0] : .and(terms)
        }

        mutating func unary() throws(RuleSyntaxError) -> RuleExpression {
            if accept(.name, "not") { return .not(try unary()) }
            return try comparison()
        }

        mutating func comparison() throws(RuleSyntaxError) -> RuleExpression {
            let left = try sum()
            if peek.kind == .symbol, let op = RuleExpression.ComparisonOperator(rawValue: peek.text) {
                position += 1
                return .compare(left, op, try sum())
            }
            if accept(.name, "in") { return .member(left, try list()) }
            return left
        }

        mutating func sum() throws(RuleSyntaxError) -> RuleExpression {
            var left = try primary()
            while peek.kind == .symbol, let op = RuleExpression.ArithmeticOperator(rawValue: peek.text) {
                position += 1
                left = .arithmetic(left, op, try primary())
            }
            return left
        }

        mutating func list() throws(RuleSyntaxError) -> [RuleValue] {
            try expect(.symbol, "[")
            var values: [RuleValue] = []
            if accept(.symbol, "]") { return values }
            repeat {
                guard case .literal(let value) = try primary() else { throw error("a list holds constants only") }
                values.append(value)
            } while accept(.symbol, ",")
            try expect(.symbol, "]")
            return values
        }

        mutating func primary() throws(RuleSyntaxError) -> RuleExpression {
            let token = peek
            switch token.kind {
            case .int:
                position += 1
                guard let value = Int(token.text) else { throw error("number too large") }
                return .literal(.int(value))
            case .string:
                position += 1
                return .literal(.string(token.text))
            case .symbol where token.text == "(":
                position += 1
                let inner = try expression()
                try expect(.symbol, ")")
                return inner
            case .symbol where token.text == "-":
                position += 1
                guard peek.kind == .int, let value = Int(take().text) else { throw error("expected a number after -") }
                return .literal(.int(-value))
            case .name:
                position += 1
                switch token.text {
                case "true": return .literal(.bool(true))
                case "false": return .literal(.bool(false))
                case "null": return .literal(.null)
                case "and", "or", "not", "in", "where": throw RuleSyntaxError(message: "unexpected \(token.text)", column: token.column, text: text)
                default: break
                }
                if let aggregate = RuleExpression.Aggregate(rawValue: token.text), accept(.symbol, "(") {
                    guard peek.kind == .name else { throw error("expected a collection name") }
                    let collection = take().text
                    var filter: RuleExpression? = nil
                    if accept(.name, "where") { filter = try expression() }
                    try expect(.symbol, ")")
                    return .aggregate(aggregate, collection: collection, filter: filter)
                }
                return .name(token.text)
            default:
                throw error("expected a value, found \(token.text)")
            }
        }
    }
}

/// A rule's text could not be parsed.
public struct RuleSyntaxError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What was wrong.
    public var message: String
    /// The 1-based column (in Unicode scalars) where the problem starts.
    public var column: Int
    /// The rule's text.
    public var text: String

    public var description: String { "column \(column): \(message) in rule: \(text)" }
}
