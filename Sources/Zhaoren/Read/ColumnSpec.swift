/// Which header columns play which role: the parsed form of
/// `--columns ROLE=HEADER[,ROLE=HEADER…]`.
///
/// Roles are ``FieldRole`` raw values (`name`, `id`, `birth` …) or free-form names for other
/// workflows (`status=缴费状态`). A role named several times takes several columns, joined in
/// order with a space. A header holding `,` or `=` (or starting with a quote) is written in
/// double quotes, with `""` for a quote inside. `#3` names the third column by position when no
/// header is literally `#3`.
///
/// ```swift
/// let spec = try ColumnSpec(parsing: #"name=姓名,id=身份证号,address=省,address=市,org_name="名称,全称""#)
/// spec.entries[2].headers      // ["省", "市"]
/// spec.entries[0].fieldRole    // .name
/// spec.entries[3].headers      // ["名称,全称"]
/// ```
public struct ColumnSpec: Hashable, Sendable {
    /// One role and the header names it takes, in order.
    public struct Entry: Hashable, Sendable {
        /// The role as written (e.g. `name`, `status`).
        public var role: String
        /// The header names, in the order their values are joined.
        public var headers: [String]

        /// Creates an entry.
        public init(role: String, headers: [String]) {
            self.role = role
            self.headers = headers
        }

        /// The role as a ``FieldRole``, or `nil` for a free-form role.
        public var fieldRole: FieldRole? { FieldRole(rawValue: role) }
    }

    /// The roles in the order they first appear.
    public var entries: [Entry]

    /// Creates a spec from entries (entries with the same role are merged in order).
    public init(_ entries: [Entry]) {
        self.entries = []
        for entry in entries {
            for header in entry.headers { add(role: entry.role, header: header) }
        }
    }

    /// Parses `ROLE=HEADER[,ROLE=HEADER…]`.
    ///
    /// - Throws: `ZhaorenError(.invalidArgument)` naming the 1-based character position of the
    ///   fault (an empty role or header, a missing `=`, an unclosed quote, a role that is not
    ///   letters, digits and `_`).
    public init(parsing text: String) throws(ZhaorenError) {
        entries = []
        let chars = Array(text)
        var i = 0
        func fail(_ message: String, at position: Int) -> ZhaorenError {
            ZhaorenError(.invalidArgument, "--columns \"\(text)\": \(message) at character \(position + 1)")
        }
        func skipSpaces() { while i < chars.count && chars[i].isWhitespace { i += 1 } }
        func token(stoppingAt stops: Set<Character>) throws(ZhaorenError) -> String {
            skipSpaces()
            if i < chars.count && chars[i] == "\"" {
                let open = i
                i += 1
                var value = ""
                while true {
                    guard i < chars.count else { throw fail("a quote is not closed", at: open) }
                    if chars[i] == "\"" {
                        if i + 1 < chars.count && chars[i + 1] == "\"" {
                            value.append("\"")
                            i += 2
                            continue
                        }
                        i += 1
                        break
                    }
                    value.append(chars[i])
                    i += 1
                }
                skipSpaces()
                return value
            }
            var value = ""
            while i < chars.count && !stops.contains(chars[i]) {
                value.append(chars[i])
                i += 1
            }
            return value.trimmingWhitespace()
        }
        if text.trimmingWhitespace().isEmpty { throw fail("no ROLE=HEADER pair", at: 0) }
        while true {
            let roleStart = i
            let role = try token(stoppingAt: ["=", ","])
            guard !role.isEmpty else { throw fail("a role is missing", at: roleStart) }
            guard role.allSatisfy({ $0 == "_" || ($0.isASCII && ($0.isLetter || $0.isNumber)) }) else {
                throw fail("the role \"\(role)\" is not letters, digits and _ (known roles: \(FieldRole.allCases.map(\.rawValue).joined(separator: ", ")))", at: roleStart)
            }
            guard i < chars.count && chars[i] == "=" else { throw fail("\"=\" expected after the role \"\(role)\"", at: min(i, chars.count)) }
            i += 1
            let headerStart = i
            let header = try token(stoppingAt: [","])
            guard !header.isEmpty else { throw fail("the header for role \"\(role)\" is missing", at: headerStart) }
            add(role: role.lowercased(), header: header)
            if i == chars.count { break }
            guard chars[i] == "," else { throw fail("\",\" expected", at: i) }
            i += 1
        }
    }

    private mutating func add(role: String, header: String) {
        if let k = entries.firstIndex(where: { $0.role == role }) {
            entries[k].headers.append(header)
        } else {
            entries.append(Entry(role: role, headers: [header]))
        }
    }

    /// Checks that every role is one of `accepted`.
    /// - Throws: `ZhaorenError(.invalidArgument)` naming the unknown role, the closest accepted
    ///   one, and all accepted roles (a misspelt role would otherwise feed nothing, silently).
    ///
    /// ```swift
    /// try ColumnSpec(parsing: "nam=姓名").checkRoles(FieldRole.allCases.map(\.rawValue))
    /// // unknown role "nam" (did you mean "name"?); roles: name, surname, given_name, …
    /// ```
    public func checkRoles(_ accepted: [String], what: String = "--columns") throws(ZhaorenError) {
        for entry in entries where !accepted.contains(entry.role) {
            let near = accepted.min { editDistance($0, entry.role) < editDistance($1, entry.role) }
            let hint = near.flatMap { editDistance($0, entry.role) <= 2 ? " (did you mean \"\($0)\"?)" : nil } ?? ""
            throw ZhaorenError(.invalidArgument, "\(what): unknown role \"\(entry.role)\"\(hint); roles: \(accepted.joined(separator: ", "))")
        }
    }

    /// The entry for `role`, if any.
    public subscript(role: String) -> Entry? { entries.first { $0.role == role } }

    /// The entry for `role`, if any.
    public subscript(role: FieldRole) -> Entry? { self[role.rawValue] }
}
