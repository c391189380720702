import Foundation

/// A ``ColumnSpec`` matched against a file's header: for each role, the 0-based column
/// indices whose values it takes.
///
/// ```swift
/// let selection = try reader.select(ColumnSpec(parsing: "name=姓名,address=省,address=市"))
/// selection.columns[1]                            // [4, 5]
/// selection.string(1, in: row)                    // "宁夏 固原市"
/// ```
public struct ColumnSelection: Hashable, Sendable {
    /// The roles, in the spec's order.
    public var entries: [ColumnSpec.Entry]
    /// For each entry, the 0-based column indices, in joining order.
    public var columns: [[Int]]
    /// The file's header.
    public var header: [String]

    /// Matches `spec` against `header`. A header name matches if equal after trimming; failing
    /// that, if equal after NFKC folding and lowercasing (so `ＩＤ` matches `id`); failing that,
    /// `#N` names column N (1-based).
    ///
    /// - Throws: `ZhaorenError(.missingColumn)` naming the file, the header asked for and the
    ///   headers found; `.invalidArgument` if a name matches two columns.
    public init(spec: ColumnSpec, header: [String], source: String) throws(ZhaorenError) {
        try self.init(spec: spec, header: header, source: source, headerRow: 1)
    }

    /// Matches `spec` against `header`, found on row `headerRow` of `source` (for errors).
    init(spec: ColumnSpec, header: [String], source: String, headerRow: Int) throws(ZhaorenError) {
        self.entries = spec.entries
        self.header = header
        let folded = header.map(Self.fold)
        var columns: [[Int]] = []
        for entry in spec.entries {
            var indices: [Int] = []
            for name in entry.headers {
                let wanted = name.trimmingWhitespace()
                var matches = header.indices.filter { header[$0] == wanted }
                if matches.isEmpty {
                    let key = Self.fold(wanted)
                    matches = folded.indices.filter { folded[$0] == key }
                }
                if matches.isEmpty, wanted.hasPrefix("#"), let n = Int(wanted.dropFirst()), n >= 1, n <= header.count {
                    matches = [n - 1]
                }
                guard !matches.isEmpty else {
                    throw ZhaorenError(.missingColumn, "no column \"\(wanted)\" for role \(entry.role); \(Self.describe(header))",
                                       file: source, line: headerRow)
                }
                guard matches.count == 1 else {
                    throw ZhaorenError(.invalidArgument, "column name \"\(wanted)\" for role \(entry.role) is ambiguous: columns \(matches.map { String($0 + 1) }.joined(separator: " and ")) match; use #N to pick one", file: source, line: headerRow)
                }
                indices.append(matches[0])
            }
            columns.append(indices)
        }
        self.columns = columns
    }

    /// The header for an error message: at most 12 column names of at most 24 characters,
    /// control characters escaped; a header of one long field (not a CSV header: a file named
    /// by mistake) is not quoted at all, so an error never shows a file's content.
    static func describe(_ header: [String]) -> String {
        if header.isEmpty { return "the file is empty (no header)" }
        if header.count == 1 && header[0].count > 24 {
            return "its first line is one field of \(header[0].count) characters, not a header of column names (is it the right file, CSV or TSV?)"
        }
        func excerpt(_ name: String) -> String {
            var out = ""
            for c in name.prefix(24) {
                if c.unicodeScalars.allSatisfy({ $0.properties.generalCategory == .control || $0.value == 0xFFFD }) {
                    out += c.unicodeScalars.map { String(format: "\\u{%X}", $0.value) }.joined()
                } else {
                    out.append(c)
                }
            }
            return "\"" + out + (name.count > 24 ? "…" : "") + "\""
        }
        let shown = header.prefix(12).map(excerpt).joined(separator: ", ")
        return "the header has " + shown + (header.count > 12 ? " and \(header.count - 12) more" : "")
    }

    static func fold(_ s: String) -> String {
        s.precomposedStringWithCompatibilityMapping.lowercased().filter { !$0.isWhitespace }
    }

    /// The index of the entry for `role`, if the spec has one.
    public func entryIndex(_ role: String) -> Int? { entries.firstIndex { $0.role == role } }

    /// The index of the entry for `role`, if the spec has one.
    public func entryIndex(_ role: FieldRole) -> Int? { entryIndex(role.rawValue) }

    /// Appends entry `entry`'s value in `row` to `out` as UTF-8: its columns joined with a
    /// space, leaving out empty ones (so a one-column role is its field's bytes).
    ///
    /// - Complexity: O(value length); no allocation once `out` has grown.
    @inline(__always)
    public func appendValue(_ entry: Int, in row: RowBatch.Row, to out: inout [UInt8]) {
        var first = true
        for column in columns[entry] {
            let field = row[column]
            if field.isEmpty { continue }
            if !first { out.append(UInt8(ascii: " ")) }
            out.append(contentsOf: field)
            first = false
        }
    }

    /// Appends entry `entry`'s value in row `row` of `batch` to `out`; see
    /// ``appendValue(_:in:to:)``.
    @inline(__always)
    public func appendValue(_ entry: Int, batch: RowBatch, row: Int, to out: inout [UInt8]) {
        var first = true
        for column in columns[entry] {
            let field = batch.field(row, column)
            if field.isEmpty { continue }
            if !first { out.append(UInt8(ascii: " ")) }
            out.append(contentsOf: field)
            first = false
        }
    }

    /// Entry `entry`'s value in `row` as a `String` (columns joined with a space).
    public func string(_ entry: Int, in row: RowBatch.Row) -> String {
        var bytes: [UInt8] = []
        appendValue(entry, in: row, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }
}

extension CSVReader {
    /// Matches `spec` against this file's header; see ``ColumnSelection/init(spec:header:source:)``.
    public func select(_ spec: ColumnSpec) throws(ZhaorenError) -> ColumnSelection {
        try ColumnSelection(spec: spec, header: header, source: source, headerRow: statistics.headerRow)
    }
}
