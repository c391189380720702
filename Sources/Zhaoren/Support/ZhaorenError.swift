/// An error that Zhaoren reports to its caller: what went wrong and, where it applies,
/// the file, line and column of the bad input.
///
/// Errors are compared by ``code``; the message is for people.
///
/// ```swift
/// do { try reader.open() } catch let error as ZhaorenError where error.code == .missingColumn {
///     print(error)   // people.csv: no column "身份证号"; the header has 姓名, 证件号码, 性别
/// }
/// ```
public struct ZhaorenError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The kind of failure, extensible without breaking callers.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case io, invalidArgument, missingColumn, decoding, malformedInput, settings, icu, internalInvariant
        }
        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// A file could not be opened, read or written.
        public static let io = Code(.io)
        /// An argument or option has a value the command cannot use.
        public static let invalidArgument = Code(.invalidArgument)
        /// A column named by `--columns` is not in the file's header.
        public static let missingColumn = Code(.missingColumn)
        /// Bytes could not be decoded in the file's encoding.
        public static let decoding = Code(.decoding)
        /// The input does not have the structure expected (e.g. an unterminated quote).
        public static let malformedInput = Code(.malformedInput)
        /// A settings file is missing a field or has a wrong value.
        public static let settings = Code(.settings)
        /// ICU reported a failure (a transliterator or converter could not be opened).
        public static let icu = Code(.icu)
        /// An internal consistency check failed; a bug in Zhaoren.
        public static let internalInvariant = Code(.internalInvariant)

        public var description: String { base.rawValue }
    }

    /// The kind of failure.
    public var code: Code
    /// A sentence for people saying what went wrong and what was expected.
    public var message: String
    /// The file concerned, if any.
    public var file: String?
    /// The 1-based physical line in `file`, if known.
    public var line: Int?
    /// The 1-based column (field number) in `line`, if known.
    public var column: Int?

    /// Creates an error.
    ///
    /// ```swift
    /// throw ZhaorenError(.missingColumn, "no column \"姓名\"", file: "people.csv")
    /// ```
    public init(_ code: Code, _ message: String, file: String? = nil, line: Int? = nil, column: Int? = nil) {
        self.code = code
        self.message = message
        self.file = file
        self.line = line
        self.column = column
    }

    /// `file:line:column: message`, leaving out what is unknown.
    public var description: String {
        var location = ""
        if let file { location += file }
        if let line { location += (location.isEmpty ? "line " : ":") + String(line) }
        if let column { location += ":" + String(column) }
        return location.isEmpty ? message : location + ": " + message
    }
}
