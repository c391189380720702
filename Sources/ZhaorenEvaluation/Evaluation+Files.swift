import Foundation
import Zhaoren
import ZhaorenSupport

extension Evaluation {
    /// Which pairs count: all, or only pairs of records from different sources (linking).
    public enum Scope: String, Sendable, CaseIterable {
        case all, cross
    }

    /// Reads `pairs.csv` (`source_a,row_a,source_b,row_b,…`) and scores it.
    /// - Parameter minimumProbability: pairs below it are ignored (when the file has a
    ///   `probability` column).
    public static func pairsFile(_ url: URL, truth: GroundTruth, scope: Scope,
                                 minimumProbability: Double = 0) throws(ZhaorenError) -> Pairwise {
        try scoredPairsFile(url, truth: truth, scope: scope, minimumProbability: minimumProbability).pairwise
    }

    /// Reads a run's `pairs.csv` or `candidates.csv` and scores it: the pairs it predicts (all
    /// rows, or the rows whose `accepted` column is 1 when there is one, as in
    /// `candidates.csv`), and, when it has a `probability` column, the calibration of every
    /// row in scope.
    ///
    /// ```swift
    /// let scored = try Evaluation.scoredPairsFile(URL(fileURLWithPath: "out/candidates.csv"), truth: t, scope: .all)
    /// scored.pairwise.f1; scored.calibration?.bins[9].observed
    /// ```
    public static func scoredPairsFile(_ url: URL, truth: GroundTruth, scope: Scope,
                                       minimumProbability: Double = 0) throws(ZhaorenError) -> (pairwise: Pairwise, calibration: Calibration?) {
        var t = truth
        let header = try CSVColumns.header(url)
        let hasProbability = header.contains("probability"), hasAccepted = header.contains("accepted")
        let rows = try CSVColumns.read(url, ["source_a", "row_a", "source_b", "row_b"] + (hasProbability ? ["probability"] : [])
                                              + (hasAccepted ? ["accepted"] : []))
        var pairs: [(UInt64, UInt64)] = []
        var sources = Set<Int>()
        var calibration: Calibration? = hasProbability ? Calibration() : nil
        for (line, f) in rows {
            let probability = hasProbability ? Double(f[4]) : nil
            if hasProbability && probability == nil {
                throw ZhaorenError(.malformedInput, "probability is not a number: \(f[4].prefix(40))", file: url.path, line: line)
            }
            if minimumProbability > 0, let p = probability, p < minimumProbability { continue }
            guard let ra = Int(f[1]), let rb = Int(f[3]) else {
                throw ZhaorenError(.malformedInput, "row is not a number", file: url.path, line: line)
            }
            let sa = t.sourceID(f[0]), sb = t.sourceID(f[2])
            sources.insert(sa); sources.insert(sb)
            let a = UInt64(sa) << 32 | UInt64(ra), b = UInt64(sb) << 32 | UInt64(rb)
            if let p = probability, scope == .all || sa != sb {
                let x = t.entity(of: a), y = t.entity(of: b)
                calibration?.add(probability: p, isMatch: x != nil && x == y)
            }
            if hasAccepted && f.last != "1" { continue }
            pairs.append((a, b))
        }
        return (Evaluation.pairs(pairs, truth: t, sources: sources, crossSourceOnly: scope == .cross), calibration)
    }

    /// Reads `clusters.csv` (`source,row,cluster_id`) and scores it.
    public static func clustersFile(_ url: URL, truth: GroundTruth, scope: Scope) throws(ZhaorenError) -> Clusters {
        var t = truth
        let rows = try CSVColumns.read(url, ["source", "row", "cluster_id"])
        var clusterOf: [UInt64: String] = [:]
        clusterOf.reserveCapacity(rows.count)
        for (line, f) in rows {
            guard let r = Int(f[1]) else { throw ZhaorenError(.malformedInput, "row is not a number", file: url.path, line: line) }
            clusterOf[UInt64(t.sourceID(f[0])) << 32 | UInt64(r)] = f[2]
        }
        return Evaluation.clusters(clusterOf, truth: t, crossSourceOnly: scope == .cross)
    }

    /// Re-runs reading and blocking as a `summary.json` records them, and scores the candidate
    /// pairs: blocking recall and reduction ratio.
    public static func blocking(summary: LinkSummary, truth: GroundTruth,
                                names: NameNormalizer? = nil) throws(ZhaorenError) -> Blocking {
        var t = truth
        let loaded: RecordLoader.Loaded
        if summary.sources.allSatisfy({ $0.format == "encoded" }) {
            loaded = try LinkPipeline.loadEncoded(summary.sources.map { URL(fileURLWithPath: $0.path) }, names: summary.sources.map(\.name))
        } else {
            var sources: [RecordSource] = []
            for s in summary.sources {
                var options = CSVReader.Options()
                if let e = InputEncoding(parsing: s.encoding) { options.encoding = e }
                sources.append(RecordSource(url: URL(fileURLWithPath: s.path), columns: try ColumnSpec(parsing: s.columns), options: options))
            }
            loaded = try RecordLoader(names: names).load(sources)
        }
        let linking = summary.mode == .link
        let table = loaded.table
        let side: [UInt8]? = linking ? table.source.map { UInt8($0) } : nil
        let rules = summary.settings.blocking ?? BlockingRule.defaults(for: loaded.roles)
        let (candidates, _) = Blocker(rules: rules, side: side).candidates(table)
        let ids = table.sources.map { t.sourceID($0) }
        func key(_ i: Int) -> UInt64 { UInt64(ids[Int(table.source[i])]) << 32 | UInt64(table.row[i]) }
        let pairs = (0..<candidates.count).map { (key(candidates.first($0)), key(candidates.second($0))) }
        let n = table.count
        var possible = n * (n - 1) / 2
        if linking {
            let left = table.source.filter { $0 == 0 }.count
            possible = left * (n - left)
        }
        return Evaluation.blocking(pairs, truth: t, sources: Set(ids), possiblePairs: possible, crossSourceOnly: linking)
    }
}
