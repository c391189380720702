import Dispatch
import Foundation
import Zhaoren
import ZhaorenSupport

/// One coverage source read into memory as interned columns: for each mapped role, the id of
/// each row's value in that role's table of distinct values. Department lists repeat values
/// heavily (statuses, schemes, villages), so each distinct value is decoded and parsed once.
///
/// ```swift
/// let table = try SourceTable.read(source, rejects: rejectWriter)
/// let status = table.column("status")           // per-row value ids
/// table.value("status", row: 0)                  // "正常缴费"
/// ```
public struct SourceTable: Sendable {
    /// The source as configured.
    public let source: CoverageSource
    /// The roles read, in column-spec order.
    public let roles: [String]
    /// For each role, per row, the id of its value in ``values``.
    public let ids: [[UInt32]]
    /// For each role, its distinct values (id → text; the empty string is a missing value).
    public let values: [[String]]
    /// The 1-based data row of each accepted row.
    public let rows: [UInt32]
    /// What the reader saw (rows read, rejected by reason, encoding).
    public let statistics: ReadStatistics
    /// The rows the reader could not read, when read without a reject writer.
    public var rejected: [RejectedRow] = []

    /// The number of accepted rows.
    public var count: Int { rows.count }

    /// The index of `role` in ``roles``, if mapped.
    public func roleIndex(_ role: String) -> Int? { roles.firstIndex(of: role) }

    /// The per-row value ids of `role`, or `nil` if the source does not map it.
    public func column(_ role: String) -> [UInt32]? { roleIndex(role).map { ids[$0] } }

    /// The text of `role` in data row index `row` (not the 1-based row number), or `""`.
    public func value(_ role: String, row: Int) -> String {
        guard let r = roleIndex(role) else { return "" }
        return values[r][Int(ids[r][row])]
    }

    /// The table without the columns of `dropped`: what a run does once the stages that read
    /// them are done (a province's ID numbers and addresses alone take gigabytes). The rows stay.
    ///
    /// ```swift
    /// let light = table.dropping(["address"])
    /// light.column("address")                        // nil
    /// light.value("address", row: 0)                 // ""
    /// light.value("name", row: 0)                    // as before
    /// ```
    public func dropping(_ dropped: Set<String>) -> SourceTable {
        let kept = roles.indices.filter { !dropped.contains(roles[$0]) }
        var table = SourceTable(source: source, roles: kept.map { roles[$0] }, ids: kept.map { ids[$0] },
                                values: kept.map { values[$0] }, rows: rows, statistics: statistics)
        table.rejected = rejected
        return table
    }

    /// Reads `source` through ``CSVReader``, sending unreadable rows to `rejects`.
    public static func read(_ source: CoverageSource, rejects: RejectWriter?) throws(ZhaorenError) -> SourceTable {
        let (reader, selection) = try open(source)
        let roles = selection.entries.map(\.role)
        var interners = roles.map { _ in ByteInterner(capacity: 4096) }
        var ids = roles.map { _ in [UInt32]() }
        var rows: [UInt32] = []
        var rejected: [RejectedRow] = []
        var scratch: [UInt8] = []
        scratch.reserveCapacity(256)
        try reader.forEachBatch { batch throws(ZhaorenError) in
            if let rejects { rejects.write(contentsOf: batch.rejects) } else { rejected.append(contentsOf: batch.rejects) }
            for row in batch {
                rows.append(UInt32(row.number))
                for entry in roles.indices {
                    scratch.removeAll(keepingCapacity: true)
                    selection.appendValue(entry, in: row, to: &scratch)
                    let id = scratch.withUnsafeBufferPointer { interners[entry].intern($0).id }
                    ids[entry].append(UInt32(id))
                }
            }
        }
        return SourceTable(source: source, roles: roles, interners: interners, ids: ids, rows: rows,
                           statistics: reader.statistics, rejected: rejected)
    }

    /// A reader of `source` with its configured encoding, sheet and header, and its columns.
    static func open(_ source: CoverageSource) throws(ZhaorenError) -> (CSVReader, ColumnSelection) {
        var options = CSVReader.Options()
        if let name = source.encoding {
            guard let encoding = InputEncoding(parsing: name) else {
                throw ZhaorenError(.settings, "source \(source.name): unknown encoding \"\(name)\" (auto, utf8 or gb18030)")
            }
            options.encoding = encoding
        }
        options.sourceName = source.name
        options.sheet = source.sheet
        options.headerRow = source.headerRow
        options.headerNames = source.columnSpec.entries.flatMap(\.headers)
        let reader = try CSVReader(path: source.path, options: options)
        return (reader, try reader.select(source.columnSpec))
    }

    /// The value without leading and trailing ASCII spaces, tabs and U+3000.
    static func trimmed(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: bytes[trimmedRange(bytes)]), as: UTF8.self)
    }

    /// Where the value lies in `bytes` without its leading and trailing spaces (as ``trimmed(_:)``).
    static func trimmedRange(_ bytes: UnsafeBufferPointer<UInt8>) -> Range<Int> {
        var lo = 0, hi = bytes.count
        func space(_ i: Int) -> Int {   // the width of a space at i, or 0
            if bytes[i] == 0x20 || bytes[i] == 0x09 { return 1 }
            if i + 2 < bytes.count, bytes[i] == 0xE3, bytes[i + 1] == 0x80, bytes[i + 2] == 0x80 { return 3 }
            return 0
        }
        while lo < hi { let w = space(lo); if w == 0 { break }; lo += w }
        while hi > lo {
            if bytes[hi - 1] == 0x20 || bytes[hi - 1] == 0x09 { hi -= 1; continue }
            if hi - lo >= 3, bytes[hi - 3] == 0xE3, bytes[hi - 2] == 0x80, bytes[hi - 1] == 0x80 { hi -= 3; continue }
            break
        }
        return lo..<hi
    }

    /// Reads several sources at once (one per core), each with its own reject file part;
    /// the tables come back in the order of `sources`.
    public static func read(_ sources: [CoverageSource], rejects: RejectWriter?) throws(ZhaorenError) -> [SourceTable] {
        let tables = try largestFirst(sources) { k throws(ZhaorenError) in try Self.read(sources[k], rejects: nil) }
        if let rejects { for table in tables { rejects.write(contentsOf: table.rejected) } }
        return tables
    }

    /// `read(k)` for every source `k`, one per core, large files first (so the cores stay
    /// busy); the results in the order of `sources`, or the first source's error.
    static func largestFirst<T: Sendable>(_ sources: [CoverageSource],
                                          _ read: @escaping @Sendable (Int) throws(ZhaorenError) -> T) throws(ZhaorenError) -> [T] {
        let order = sources.indices.sorted { Self.size(sources[$0].path) > Self.size(sources[$1].path) }
        let done = Parallel.map(order.count) { k -> Result<T, ZhaorenError> in
            do throws(ZhaorenError) { return .success(try read(order[k])) } catch { return .failure(error) }
        }
        var results = [Result<T, ZhaorenError>?](repeating: nil, count: sources.count)
        for (k, i) in order.enumerated() { results[i] = done[k] }
        var values: [T] = []
        for result in results {
            switch result! {
            case .success(let value): values.append(value)
            case .failure(let error): throw error
            }
        }
        return values
    }

    static func size(_ path: String) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int) ?? 0
    }
}

extension SourceTable {
    /// A table from its interned columns: each distinct value decoded once, trimmed.
    init(source: CoverageSource, roles: [String], interners: [ByteInterner], ids: [[UInt32]], rows: [UInt32],
         statistics: ReadStatistics, rejected: [RejectedRow]) {
        let values = interners.map { interner in
            (0..<interner.count).map { id in interner.withBytes(id) { Self.trimmed($0) } }
        }
        self.init(source: source, roles: roles, ids: ids, values: values, rows: rows, statistics: statistics)
        self.rejected = rejected
    }
}
