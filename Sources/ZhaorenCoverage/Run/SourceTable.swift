import Foundation
import Zhaoren

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

    /// Reads `source` through ``CSVReader``, sending unreadable rows to `rejects`.
    public static func read(_ source: CoverageSource, rejects: RejectWriter?) throws(ZhaorenError) -> SourceTable {
        var options = CSVReader.Options()
        if let name = source.encoding {
            guard let encoding = InputEncoding(parsing: name) else {
                throw ZhaorenError(.settings, "source \(source.name): unknown encoding \"\(name)\" (auto, utf8 or gb18030)")
            }
            options.encoding = encoding
        }
        options.sourceName = source.name
        let reader = try CSVReader(path: source.path, options: options)
        let selection = try reader.select(source.columnSpec)
        let roles = selection.entries.map(\.role)
        var interners = roles.map { _ in ByteInterner(capacity: 4096) }
        var ids = roles.map { _ in [UInt32]() }
        var rows: [UInt32] = []
        var scratch: [UInt8] = []
        scratch.reserveCapacity(256)
        try reader.forEachBatch { batch throws(ZhaorenError) in
            if let rejects { rejects.write(contentsOf: batch.rejects) }
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
        let values = interners.map { interner in
            (0..<interner.count).map { interner.string($0).trimmingCharacters(in: .whitespaces) }
        }
        return SourceTable(source: source, roles: roles, ids: ids, values: values, rows: rows, statistics: reader.statistics)
    }
}
