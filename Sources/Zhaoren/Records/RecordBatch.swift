import Foundation

/// Records of one source, as text, in a batch: the input of
/// ``LinkPipeline/stream(_:mode:model:)``. Row `k` has one value per role, in ``roles``
/// order; an empty value is missing.
///
/// ```swift
/// var batch = RecordBatch(source: "survey", roles: [.name, .id, .birth])
/// batch.append(row: 1, ["张伟", "110105194912310021", "1949-12-31"])
/// batch.append(row: 2, ["章伟", "", "1949年12月31日"])
/// ```
public struct RecordBatch: Sendable, Hashable {
    /// The source's name, as written in outputs (`source:row`).
    public var source: String
    /// The roles of the values, in order.
    public var roles: [FieldRole]
    /// The 1-based row number of each record in its source.
    public var rows: [Int] = []
    /// The values of each record, in ``roles`` order.
    public var values: [[String]] = []

    /// An empty batch of records of `source` with values for `roles`.
    public init(source: String, roles: [FieldRole]) {
        self.source = source
        self.roles = roles
    }

    /// The number of records.
    public var count: Int { rows.count }

    /// Appends a record: its row number and one value per role.
    /// - Precondition: `values.count == roles.count`.
    public mutating func append(row: Int, _ values: [String]) {
        precondition(values.count == roles.count, "one value per role")
        rows.append(row)
        self.values.append(values)
    }
}

extension RecordSource {
    /// The file's records in batches of at most `rows`, read as they are needed (one batch is
    /// in memory at a time).
    ///
    /// ```swift
    /// for try await batch in survey.batches(rows: 10_000) { print(batch.count) }
    /// ```
    public func batches(rows: Int = 65_536) -> RecordBatches { RecordBatches([self], rows: rows) }
}

/// An `AsyncSequence` of the records of files in ``RecordBatch``es, file after file; see
/// ``RecordSource/batches(rows:)``. Rows the reader rejects (ragged rows, bad bytes) are
/// skipped and counted in ``AsyncIterator/rejected``.
public struct RecordBatches: AsyncSequence, Sendable {
    /// The files, read in order.
    public let sources: [RecordSource]
    /// Records per batch at most.
    public let rows: Int

    /// The records of `sources`, file after file, `rows` at most per batch.
    public init(_ sources: [RecordSource], rows: Int = 65_536) {
        self.sources = sources
        self.rows = Swift.max(1, rows)
    }

    /// Reads one batch per call.
    public struct AsyncIterator: AsyncIteratorProtocol {
        let sources: [RecordSource]
        let rows: Int
        var current = -1
        var reader: CSVReader?
        var selection: ColumnSelection?
        var roles: [(role: FieldRole, entries: [Int])] = []
        /// Rows the readers rejected so far (ragged rows, bad bytes …).
        public private(set) var rejected = 0

        public mutating func next() async throws -> RecordBatch? {
            while true {
                if reader == nil {
                    current += 1
                    guard current < sources.count else { return nil }
                    try open(sources[current])
                }
                guard let reader, let selection else { return nil }
                var batch = RecordBatch(source: sources[current].name, roles: roles.map(\.role))
                var scratch: [UInt8] = [], part: [UInt8] = []
                var ended = false
                while batch.count < rows {
                    guard let rowBatch = try reader.nextBatch() else {
                        ended = true
                        break
                    }
                    rejected += rowBatch.rejects.count
                    for row in rowBatch {
                        var values: [String] = []
                        values.reserveCapacity(roles.count)
                        for (_, entries) in roles {
                            scratch.removeAll(keepingCapacity: true)
                            for e in entries {
                                part.removeAll(keepingCapacity: true)
                                selection.appendValue(e, in: row, to: &part)
                                if part.isEmpty { continue }
                                if !scratch.isEmpty { scratch.append(0x20) }
                                scratch += part
                            }
                            values.append(String(decoding: scratch, as: UTF8.self))
                        }
                        batch.append(row: row.number, values)
                    }
                }
                if ended { self.reader = nil }
                if batch.count > 0 { return batch }
            }
        }

        private mutating func open(_ source: RecordSource) throws(ZhaorenError) {
            var options = source.options
            options.sourceName = source.name
            options.batchRows = Swift.min(options.batchRows, rows)
            let r = try CSVReader(url: source.url, options: options)
            let s = try r.select(source.columns)
            var roles: [(FieldRole, [Int])] = []
            if let n = s.entryIndex(.name) {
                roles.append((.name, [n]))
            } else {
                let parts = [s.entryIndex(.surname), s.entryIndex(.givenName)].compactMap { $0 }
                if !parts.isEmpty { roles.append((.name, parts)) }
            }
            for (k, entry) in s.entries.enumerated() {
                guard let role = entry.fieldRole, role != .name, role != .surname, role != .givenName else { continue }
                roles.append((role, [k]))
            }
            self.roles = roles
            reader = r
            selection = s
        }
    }

    public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(sources: sources, rows: rows) }
}
