import Foundation
import ZhaorenSupport

/// Writes a run's outputs into a folder, each file atomically (a hidden staging file renamed
/// into place, replacing an earlier run's): `pairs.csv`, `clusters.csv`, `unmatched.csv` (link mode), `rejects.csv` and,
/// last, `summary.json`.
///
/// - `pairs.csv`: `source_a,row_a,source_b,row_b,probability,match_weight`, then one column per
///   comparison with the weight it contributed; accepted pairs only.
/// - `clusters.csv`: `source,row,cluster_id` for every record read, singletons included; the id
///   is `source:row` of the cluster's first record (stable across runs).
/// - `unmatched.csv`: `source,row` of records in no accepted pair.
///
/// ```swift
/// let summary = try LinkOutputs.write(result, to: URL(fileURLWithPath: "out"))
/// ```
public enum LinkOutputs {
    /// Writes all files into `folder` as a unit (``OutputFolder``: the previous outputs there
    /// stay whole until the new ones replace them in one step) and returns the summary written.
    /// - Throws: `ZhaorenError(.io)` naming the file or folder that could not be written and
    ///   why (before any work when the folder is not writable or the disk is nearly full).
    @discardableResult
    public static func write(_ r: LinkResult, to folder: URL) throws(ZhaorenError) -> LinkSummary {
        let out = try OutputFolder(folder, expectedBytes: expectedBytes(r))
        let summary = try write(r, into: out)
        try out.commit()
        return summary
    }

    /// About how many bytes the files of `r` take (for the free-space check).
    static func expectedBytes(_ r: LinkResult) -> Int {
        r.accepted.count * (48 + 8 * r.model.comparisons.count) + r.table.count * 40 + r.rejects.count * 256
    }

    /// Writes all files into the staging folder of `out` (committing it is the caller's) and
    /// returns the summary written.
    @discardableResult
    public static func write(_ r: LinkResult, into out: OutputFolder) throws(ZhaorenError) -> LinkSummary {
        let folder = out.staging
        var watch = Stopwatch()
        let table = r.table
        let sourceCells: [[UInt8]] = table.sources.map { Array(CSVRow.quoted($0).utf8) }
        let specs = r.model.comparisons

        // pairs.csv
        let pairs = try CSVWriter(folder.appendingPathComponent("pairs.csv"))
        for name in ["source_a", "row_a", "source_b", "row_b", "probability", "match_weight"] { pairs.row.plain(name) }
        for s in specs { pairs.row.field(s.name) }
        pairs.endRow()
        let scorer = r.scorer
        let chunks = Parallel.mapChunks(count: r.accepted.count, minimumChunk: 8192, maximumChunks: 256) { range -> [UInt8] in
            var row = CSVRow(capacity: range.count * (40 + 8 * specs.count))
            for k in range {
                let c = r.accepted[k]
                let a = r.candidates.first(c), b = r.candidates.second(c)
                let w = r.acceptedWeight[k]
                row.plain(bytes: sourceCells[Int(table.source[a])])
                row.int(Int(table.row[a]))
                row.plain(bytes: sourceCells[Int(table.source[b])])
                row.int(Int(table.row[b]))
                row.fixed(r.model.probability(weight: w), decimals: 6)
                row.fixed(w, decimals: 3)
                for s in specs.indices { row.fixed(scorer.contribution(s, pattern: r.patterns[c], a, b), decimals: 3) }
                row.endRecord()
            }
            return row.bytes
        }
        for (k, c) in chunks.enumerated() { pairs.appendRows(c, count: k == 0 ? r.accepted.count : 0) }
        try pairs.commit()

        // clusters.csv
        let clusters = try CSVWriter(folder.appendingPathComponent("clusters.csv"))
        clusters.writeRow(["source", "row", "cluster_id"])
        let clusterChunks = Parallel.mapChunks(count: table.count, minimumChunk: 65_536) { range -> [UInt8] in
            var row = CSVRow(capacity: range.count * 32)
            for i in range {
                let root = Int(r.clusterRoot[i])
                row.plain(bytes: sourceCells[Int(table.source[i])])
                row.int(Int(table.row[i]))
                // cluster id `source:row`, quoted if the source name needed quoting
                let cell = sourceCells[Int(table.source[root])]
                row.beginField()
                if cell.first == 0x22 {
                    row.appendRaw(cell.dropLast())
                    row.appendRaw(CollectionOfOne(0x3A))
                    row.appendDigits(Int(table.row[root]))
                    row.appendRaw(CollectionOfOne(0x22))
                } else {
                    row.appendRaw(cell)
                    row.appendRaw(CollectionOfOne(0x3A))
                    row.appendDigits(Int(table.row[root]))
                }
                row.endRecord()
            }
            return row.bytes
        }
        for (k, c) in clusterChunks.enumerated() { clusters.appendRows(c, count: k == 0 ? table.count : 0) }
        try clusters.commit()

        // unmatched.csv (link mode)
        if r.mode == .link {
            var matched = [Bool](repeating: false, count: table.count)
            for c in r.accepted { matched[r.candidates.first(c)] = true; matched[r.candidates.second(c)] = true }
            let unmatched = try CSVWriter(folder.appendingPathComponent("unmatched.csv"))
            unmatched.writeRow(["source", "row"])
            for i in 0..<table.count where !matched[i] {
                unmatched.row.plain(bytes: sourceCells[Int(table.source[i])])
                unmatched.row.int(Int(table.row[i]))
                unmatched.endRow()
            }
            try unmatched.commit()
        }

        // rejects.csv
        let rejects = try RejectWriter(folder.appendingPathComponent("rejects.csv"))
        rejects.write(contentsOf: r.rejects)
        try rejects.commit()

        // summary.json, last.
        let summary = LinkSummary(r, writeSeconds: watch.lap())
        try AtomicFile.write(try summary.json(), to: folder.appendingPathComponent("summary.json"))
        return summary
    }
}
