import Foundation
import Zhaoren

/// Which entity each record belongs to, from a truth file `source,row,entity_id`.
///
/// Records are keyed by ``key(source:row:)``: the source's index in ``sources`` and the row.
///
/// ```swift
/// var truth = GroundTruth()
/// truth.add(source: "survey", row: 1, entity: "P000001")
/// truth.entity(of: truth.key(source: "survey", row: 1)!)
/// ```
public struct GroundTruth: Sendable {
    /// Source names, by index.
    public private(set) var sources: [String] = []
    private var sourceIndex: [String: Int] = [:]
    /// Entity index of each record key.
    public private(set) var entityOf: [UInt64: UInt32] = [:]
    /// Entity ids, by index.
    public private(set) var entities: [String] = []
    private var entityIndex: [String: UInt32] = [:]

    /// An empty truth.
    public init() {}

    /// The index of `source`, adding it if new.
    public mutating func sourceID(_ source: String) -> Int {
        if let i = sourceIndex[source] { return i }
        sources.append(source)
        sourceIndex[source] = sources.count - 1
        return sources.count - 1
    }

    /// The key of a record, or `nil` if the source is unknown.
    public func key(source: String, row: Int) -> UInt64? {
        sourceIndex[source].map { UInt64($0) << 32 | UInt64(row) }
    }

    /// Records that `source,row` belongs to `entity`.
    public mutating func add(source: String, row: Int, entity: String) {
        let s = sourceID(source)
        let e: UInt32
        if let x = entityIndex[entity] { e = x } else {
            e = UInt32(entities.count)
            entities.append(entity)
            entityIndex[entity] = e
        }
        entityOf[UInt64(s) << 32 | UInt64(row)] = e
    }

    /// The entity index of a record key.
    public func entity(of key: UInt64) -> UInt32? { entityOf[key] }

    /// Loads `source,row,entity_id` (a header line first).
    public static func load(_ url: URL) throws(ZhaorenError) -> GroundTruth {
        var truth = GroundTruth()
        let rows = try CSVColumns.read(url, ["source", "row", "entity_id"])
        for (line, f) in rows {
            guard let row = Int(f[1]) else { throw ZhaorenError(.malformedInput, "row is not a number: \(f[1])", file: url.path, line: line, column: 2) }
            truth.add(source: f[0], row: row, entity: f[2])
        }
        return truth
    }
}
