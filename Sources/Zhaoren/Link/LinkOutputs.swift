import Foundation

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
    /// Writes all files and returns the summary written.
    @discardableResult
    public static func write(_ r: LinkResult, to folder: URL) throws(ZhaorenError) -> LinkSummary {
        let t0 = LinkPipeline.now()
        let table = r.table
        let sourceBytes: [[UInt8]] = table.sources.map { var b: [UInt8] = []; CSVBytes.field($0, into: &b); return b }
        let specs = r.model.comparisons

        // pairs.csv
        let pairsURL = folder.appendingPathComponent("pairs.csv")
        let pairs = try StagedFile(pairsURL)
        var header: [UInt8] = Array("source_a,row_a,source_b,row_b,probability,match_weight".utf8)
        for s in specs { header.append(0x2C); CSVBytes.field(s.name, into: &header) }
        header.append(0x0A)
        pairs.append(bytes: header)
        let scorer = r.scorer
        let chunks = Parallel.mapChunks(count: r.accepted.count, minimumChunk: 8192, maximumChunks: 256) { range -> [UInt8] in
            var out: [UInt8] = []
            out.reserveCapacity(range.count * (40 + 8 * specs.count))
            for k in range {
                let c = r.accepted[k]
                let a = r.candidates.first(c), b = r.candidates.second(c)
                let w = r.acceptedWeight[k]
                out.append(contentsOf: sourceBytes[Int(table.source[a])]); out.append(0x2C)
                CSVBytes.int(Int(table.row[a]), into: &out); out.append(0x2C)
                out.append(contentsOf: sourceBytes[Int(table.source[b])]); out.append(0x2C)
                CSVBytes.int(Int(table.row[b]), into: &out); out.append(0x2C)
                CSVBytes.fixed(r.model.probability(weight: w), decimals: 6, into: &out); out.append(0x2C)
                CSVBytes.fixed(w, decimals: 3, into: &out)
                for s in specs.indices {
                    out.append(0x2C)
                    CSVBytes.fixed(scorer.contribution(s, pattern: r.patterns[c], a, b), decimals: 3, into: &out)
                }
                out.append(0x0A)
            }
            return out
        }
        for c in chunks { pairs.append(bytes: c) }
        try pairs.commit()

        // clusters.csv
        let clustersURL = folder.appendingPathComponent("clusters.csv")
        let clusters = try StagedFile(clustersURL)
        clusters.append("source,row,cluster_id\n")
        let clusterChunks = Parallel.mapChunks(count: table.count, minimumChunk: 65_536) { range -> [UInt8] in
            var out: [UInt8] = []
            out.reserveCapacity(range.count * 32)
            for i in range {
                let root = Int(r.clusterRoot[i])
                out.append(contentsOf: sourceBytes[Int(table.source[i])]); out.append(0x2C)
                CSVBytes.int(Int(table.row[i]), into: &out); out.append(0x2C)
                // cluster id `source:row`, quoted if the source name needed quoting
                let sb = sourceBytes[Int(table.source[root])]
                if sb.first == 0x22 {
                    out.append(contentsOf: sb.dropLast()); out.append(0x3A)
                    CSVBytes.int(Int(table.row[root]), into: &out); out.append(0x22)
                } else {
                    out.append(contentsOf: sb); out.append(0x3A)
                    CSVBytes.int(Int(table.row[root]), into: &out)
                }
                out.append(0x0A)
            }
            return out
        }
        for c in clusterChunks { clusters.append(bytes: c) }
        try clusters.commit()

        // unmatched.csv (link mode)
        if r.linking {
            var matched = [Bool](repeating: false, count: table.count)
            for c in r.accepted { matched[r.candidates.first(c)] = true; matched[r.candidates.second(c)] = true }
            let unmatchedURL = folder.appendingPathComponent("unmatched.csv")
            let unmatched = try StagedFile(unmatchedURL)
            unmatched.append("source,row\n")
            var out: [UInt8] = []
            for i in 0..<table.count where !matched[i] {
                out.append(contentsOf: sourceBytes[Int(table.source[i])]); out.append(0x2C)
                CSVBytes.int(Int(table.row[i]), into: &out); out.append(0x0A)
                if out.count > 1 << 20 { unmatched.append(bytes: out); out.removeAll(keepingCapacity: true) }
            }
            unmatched.append(bytes: out)
            try unmatched.commit()
        }

        // rejects.csv
        let rejectsURL = folder.appendingPathComponent("rejects.csv")
        let rejects = try RejectWriter(rejectsURL)
        rejects.write(contentsOf: r.rejects)
        try rejects.commit()

        // summary.json, last.
        let summary = LinkSummary(r, writeSeconds: LinkPipeline.now() - t0)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data: Data
        do { data = try encoder.encode(summary) } catch {
            throw ZhaorenError(.internalInvariant, "cannot encode the summary: \(error)")
        }
        let summaryURL = folder.appendingPathComponent("summary.json")
        try AtomicFile.write(data, to: summaryURL)
        return summary
    }
}
