import ZhaorenSupport
import Foundation

/// Reads a table and writes every row back (all original columns, in UTF-8) with normalized
/// columns added per role: the library side of `zhaoren normalize`.
///
/// Each distinct value of a role is normalized once (values are interned by their bytes), and
/// its output cells are cached already CSV-encoded, so a row costs a hash lookup per role.
/// Rows the reader rejects go to the reject file; `rowsWritten + rowsRejected == rowsRead`.
///
/// ```swift
/// let normalizer = try TableNormalizer(spec: ColumnSpec(parsing: "name=姓名,id=身份证号"))
/// let summary = try normalizer.run(input: URL(fileURLWithPath: "people.csv"),
///                                  output: URL(fileURLWithPath: "people.norm.csv"))
/// print(summary.rowsWritten, summary.rejectedByReason)
/// ```
public final class TableNormalizer {
    /// How to normalize one kind of value: the suffixes of the columns it adds and a function
    /// from the value to those cells (called once per distinct non-empty value).
    public struct ValueKind {
        /// Added column suffixes, e.g. `["folded", "surname"]` → `name_folded`, `name_surname`.
        public var suffixes: [String]
        /// The cells for a value, one per suffix.
        public var normalize: (String) -> [String]

        /// Creates a value kind.
        public init(suffixes: [String], normalize: @escaping (String) -> [String]) {
            self.suffixes = suffixes
            self.normalize = normalize
        }
    }

    /// One group of added columns: which spec entries feed it and how their value is normalized.
    public struct AddedRole {
        /// The column-name prefix (the role, e.g. `name`, `id`).
        public var prefix: String
        /// Spec entry indices whose values are joined to make the value.
        public var sources: [Int]
        /// What joins the sources (`" "`, or `""` for surname + given name).
        public var separator: String
        /// The normalization.
        public var kind: ValueKind

        /// The added column names (`prefix_suffix`).
        public var columnNames: [String] { kind.suffixes.map { prefix + "_" + $0 } }
    }

    /// What a run did.
    public struct Summary: Hashable, Sendable {
        /// The input file as named in rejects.
        public var source: String
        /// Data rows read (written + rejected).
        public var rowsRead = 0
        /// Rows written to the output.
        public var rowsWritten = 0
        /// Rejected rows per reason.
        public var rejectedByReason: [RejectReason: Int] = [:]
        /// The encoding read (detected or forced).
        public var encoding: InputEncoding = .utf8
        /// The format read (detected or forced).
        public var format: InputFormat = .csv
        /// Distinct values normalized, per added-column prefix.
        public var distinctValues: [String: Int] = [:]
        /// Everything the reader saw: the header row and rows skipped above it, the sheet of a
        /// workbook, cells read as empty.
        public var statistics = ReadStatistics()
        /// The output and reject files.
        public var output: URL
        /// The reject file.
        public var rejects: URL

        /// All rejected rows.
        public var rowsRejected: Int { rejectedByReason.values.reduce(0, +) }
    }

    /// The column roles.
    public let spec: ColumnSpec
    private let kinds: RoleKinds

    /// Prepares the normalizers the spec's roles need (opening ICU transliterators once).
    ///
    /// - Throws: `ZhaorenError(.invalidArgument)` for a role that is not a ``FieldRole``,
    ///   `.icu` if ICU cannot be opened.
    public init(spec: ColumnSpec) throws(ZhaorenError) {
        try spec.checkRoles(FieldRole.allCases.map(\.rawValue))
        self.spec = spec
        kinds = try RoleKinds(roles: Set(spec.entries.compactMap(\.fieldRole)))
    }

    /// The added column groups for a selection, in output order: the person name first
    /// (from `name`, or `surname` + `given_name`), then each other role in spec order.
    public func addedRoles(for selection: ColumnSelection) -> [AddedRole] {
        var added: [AddedRole] = []
        let name = selection.entryIndex(.name)
        let parts = [selection.entryIndex(.surname), selection.entryIndex(.givenName)].compactMap { $0 }
        if let name {
            added.append(AddedRole(prefix: "name", sources: [name], separator: " ", kind: kinds.personName))
        } else if !parts.isEmpty {
            added.append(AddedRole(prefix: "name", sources: parts, separator: "", kind: kinds.personName))
        }
        for (k, entry) in selection.entries.enumerated() {
            guard let role = entry.fieldRole else { continue }
            let kind: ValueKind
            switch role {
            case .name: continue
            case .surname, .givenName:
                guard name != nil else { continue }
                kind = kinds.folded
            case .id: kind = kinds.residentID
            case .birth: kind = kinds.birthDate
            case .sex: kind = kinds.sex
            case .phone: kind = kinds.phone
            case .creditCode: kind = kinds.creditCode
            case .orgName: kind = kinds.orgName
            case .address, .area, .otherID, .postcode: kind = kinds.folded
            }
            added.append(AddedRole(prefix: entry.role, sources: [k], separator: " ", kind: kind))
        }
        return added
    }

    /// Reads `input` and writes `output` (and the reject file, by default beside the output as
    /// `NAME.rejects.csv`), both atomically.
    ///
    /// - Throws: `ZhaorenError`: `.io`, `.decoding` (header), `.missingColumn`,
    ///   `.invalidArgument` (output would overwrite the input).
    /// - Complexity: O(rows × columns) plus one normalization per distinct value per role.
    public func run(input: URL, options: CSVReader.Options = .init(), output: URL,
                    rejects: URL? = nil) throws(ZhaorenError) -> Summary {
        let rejectsURL = rejects ?? Self.defaultRejectsURL(for: output)
        let inputPath = input.standardizedFileURL.path
        for url in [output, rejectsURL] where url.standardizedFileURL.path == inputPath {
            throw ZhaorenError(.invalidArgument, "the output \(url.path) would overwrite the input", file: input.path)
        }
        var options = options
        if options.headerNames.isEmpty { options.headerNames = spec.entries.flatMap(\.headers) }
        let reader = try CSVReader(url: input, options: options)
        let selection = try reader.select(spec)
        let added = addedRoles(for: selection)
        let out = try CSVWriter(output)
        let rejectWriter = try RejectWriter(rejectsURL)
        out.writeRow(reader.header + added.flatMap(\.columnNames))

        // Per added role: its interner and the CSV-encoded cells of each distinct value.
        let states = added.map { RoleState($0) }
        var value: [UInt8] = []
        var part: [UInt8] = []
        let columnCount = reader.header.count
        var written = 0

        while let batch = try reader.nextBatch() {
            for i in 0..<batch.count {
                for column in 0..<columnCount { out.appendField(bytes: batch.field(i, column)) }
                for state in states {
                    value.removeAll(keepingCapacity: true)
                    for source in state.sources {
                        part.removeAll(keepingCapacity: true)
                        selection.appendValue(source, batch: batch, row: i, to: &part)
                        if part.isEmpty { continue }
                        if !value.isEmpty { value += state.separator }
                        value += part
                    }
                    state.write(value, to: out)
                }
                out.endRow()
                written += 1
            }
            rejectWriter.write(contentsOf: batch.rejects)
        }
        try out.commit()
        try rejectWriter.commit()

        let stats = reader.statistics
        var summary = Summary(source: reader.source, output: output, rejects: rejectsURL)
        summary.rowsRead = stats.rowsRead
        summary.rowsWritten = written
        summary.rejectedByReason = stats.rejectedByReason
        summary.encoding = stats.encoding
        summary.format = stats.format
        summary.statistics = stats
        for state in states { summary.distinctValues[state.prefix] = state.interner.count }
        guard summary.rowsWritten + summary.rowsRejected == summary.rowsRead else {
            throw ZhaorenError(.internalInvariant, "rows written (\(summary.rowsWritten)) + rejected (\(summary.rowsRejected)) ≠ read (\(summary.rowsRead))", file: reader.source)
        }
        return summary
    }

    /// `out/people.norm.csv` → `out/people.norm.rejects.csv`.
    public static func defaultRejectsURL(for output: URL) -> URL {
        let path = output.relativePath
        let stem = path.lowercased().hasSuffix(".csv") ? String(path.dropLast(4)) : path
        return URL(fileURLWithPath: stem + ".rejects.csv")
    }
}

/// One added role's running state: distinct values and their encoded cells.
private final class RoleState {
    let prefix: String
    let sources: [Int]
    let separator: [UInt8]
    let kind: TableNormalizer.ValueKind
    let cellCount: Int
    var interner = ByteInterner()
    var cells: [UInt8] = []
    var cellStarts: [Int] = [0]

    init(_ role: TableNormalizer.AddedRole) {
        prefix = role.prefix
        sources = role.sources
        separator = Array(role.separator.utf8)
        kind = role.kind
        cellCount = role.kind.suffixes.count
    }

    /// Writes the cells for `value`, normalizing it first if it is new.
    @inline(__always)
    func write(_ value: [UInt8], to out: CSVWriter) {
        let (id, inserted) = value.withUnsafeBufferPointer { interner.intern($0) }
        if inserted {
            let text = String(decoding: value, as: UTF8.self)
            var result = text.isEmpty ? [] : kind.normalize(text)
            if result.count != cellCount {   // always one cell per added column
                result = Array((result + [String](repeating: "", count: cellCount)).prefix(cellCount))
            }
            var encoded = CSVRow(capacity: 64)
            for field in result { encoded.field(field) }
            cells += encoded.bytes
            cellStarts.append(cells.count)
        }
        let range = cellStarts[id]..<cellStarts[id + 1]
        cells.withUnsafeBufferPointer { out.row.encoded(UnsafeBufferPointer(rebasing: $0[range]), fields: cellCount) }
    }
}
