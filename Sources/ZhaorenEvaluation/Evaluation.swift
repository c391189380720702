import Zhaoren

/// Pairwise precision, recall and F1 of predicted pairs or clusters against ``GroundTruth``;
/// exact-entity recovery for clusters; recall and reduction ratio of blocking.
///
/// With `crossSourceOnly` (linking), only pairs of records from different sources count,
/// both predicted and true. Only truth records of the sources in `sources` are counted.
///
/// ```swift
/// let m = Evaluation.pairs([(k1, k2)], truth: truth, sources: [0])
/// m.precision; m.recall; m.f1
/// ```
public enum Evaluation {
    /// Pairwise confusion counts and rates.
    public struct Pairwise: Codable, Sendable, Hashable {
        public var truePositives: Int
        public var falsePositives: Int
        public var falseNegatives: Int
        public var precision: Double
        public var recall: Double
        public var f1: Double

        enum CodingKeys: String, CodingKey {
            case truePositives = "true_positives", falsePositives = "false_positives", falseNegatives = "false_negatives"
            case precision, recall, f1
        }

        /// Creates the figures from confusion counts.
        public init(truePositives: Int, falsePositives: Int, falseNegatives: Int) {
            self.init(tp: truePositives, predicted: truePositives + falsePositives, actual: truePositives + falseNegatives)
        }

        init(tp: Int, predicted: Int, actual: Int) {
            truePositives = tp
            falsePositives = predicted - tp
            falseNegatives = actual - tp
            precision = predicted == 0 ? 1 : Double(tp) / Double(predicted)
            recall = actual == 0 ? 1 : Double(tp) / Double(actual)
            f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall)
        }
    }

    /// Cluster quality.
    public struct Clusters: Codable, Sendable, Equatable {
        /// Pairwise figures over all within-cluster pairs.
        public var pairwise: Pairwise
        /// Truth entities among the records evaluated.
        public var entities: Int
        /// Entities whose records form exactly one predicted cluster.
        public var exactEntities: Int
        /// `exactEntities / entities`.
        public var exactEntityRecovery: Double
        /// The same, counting only entities with two or more records.
        public var multiRecordEntities: Int
        public var exactMultiRecordEntities: Int

        enum CodingKeys: String, CodingKey {
            case pairwise, entities, exactEntities = "exact_entities", exactEntityRecovery = "exact_entity_recovery"
            case multiRecordEntities = "multi_record_entities", exactMultiRecordEntities = "exact_multi_record_entities"
        }
    }

    /// Blocking quality.
    public struct Blocking: Codable, Sendable, Equatable {
        /// True pairs among the records.
        public var truePairs: Int
        /// Candidate pairs produced.
        public var candidatePairs: Int
        /// True pairs that were candidates.
        public var trueCandidatePairs: Int
        /// `trueCandidatePairs / truePairs`.
        public var recall: Double
        /// `1 − candidatePairs / all possible pairs`.
        public var reductionRatio: Double

        enum CodingKeys: String, CodingKey {
            case truePairs = "true_pairs", candidatePairs = "candidate_pairs", trueCandidatePairs = "true_candidate_pairs"
            case recall, reductionRatio = "reduction_ratio"
        }
    }

    struct KeyPair: Hashable { var a: UInt64; var b: UInt64 }

    /// Pairs of records counted by the truth (`crossSourceOnly`: of different sources).
    static func truePairCount(_ truth: GroundTruth, sources: Set<Int>, crossSourceOnly: Bool) -> Int {
        var perEntity: [UInt32: [Int: Int]] = [:]
        for (key, e) in truth.entityOf where sources.contains(Int(key >> 32)) {
            perEntity[e, default: [:]][Int(key >> 32), default: 0] += 1
        }
        var total = 0
        for (_, bySource) in perEntity { total += pairCount(bySource, crossSourceOnly: crossSourceOnly) }
        return total
    }

    static func pairCount(_ bySource: [Int: Int], crossSourceOnly: Bool) -> Int {
        let n = bySource.values.reduce(0, +)
        if !crossSourceOnly { return n * (n - 1) / 2 }
        return (n * n - bySource.values.reduce(0) { $0 + $1 * $1 }) / 2
    }

    /// Scores predicted pairs (record keys of ``GroundTruth``; duplicates and order ignored).
    public static func pairs(_ predicted: [(UInt64, UInt64)], truth: GroundTruth, sources: Set<Int>,
                             crossSourceOnly: Bool = false) -> Pairwise {
        var seen = Set<KeyPair>()
        seen.reserveCapacity(predicted.count)
        var tp = 0, count = 0
        for (a, b) in predicted where a != b {
            if crossSourceOnly && a >> 32 == b >> 32 { continue }
            guard seen.insert(KeyPair(a: min(a, b), b: max(a, b))).inserted else { continue }
            count += 1
            if let x = truth.entity(of: a), let y = truth.entity(of: b), x == y { tp += 1 }
        }
        return Pairwise(tp: tp, predicted: count, actual: truePairCount(truth, sources: sources, crossSourceOnly: crossSourceOnly))
    }

    /// Scores clusters (record key → cluster id).
    public static func clusters(_ clusterOf: [UInt64: String], truth: GroundTruth,
                                crossSourceOnly: Bool = false) -> Clusters {
        var clusterIndex: [String: Int] = [:]
        var cells: [Int: [UInt32: [Int: Int]]] = [:]   // cluster → entity → source → n
        var clusterSources: [Int: [Int: Int]] = [:]
        var entityClusters: [UInt32: Set<Int>] = [:]
        var entitySize: [UInt32: Int] = [:]
        var clusterSize: [Int: Int] = [:]
        var unknown = 0
        for (key, cid) in clusterOf {
            let c: Int
            if let x = clusterIndex[cid] { c = x } else { c = clusterIndex.count; clusterIndex[cid] = c }
            let s = Int(key >> 32)
            clusterSources[c, default: [:]][s, default: 0] += 1
            clusterSize[c, default: 0] += 1
            guard let e = truth.entity(of: key) else { unknown += 1; continue }
            cells[c, default: [:]][e, default: [:]][s, default: 0] += 1
            entityClusters[e, default: []].insert(c)
            entitySize[e, default: 0] += 1
        }
        var tp = 0
        for (_, byEntity) in cells { for (_, bySource) in byEntity { tp += pairCount(bySource, crossSourceOnly: crossSourceOnly) } }
        var predicted = 0
        for (_, bySource) in clusterSources { predicted += pairCount(bySource, crossSourceOnly: crossSourceOnly) }
        let sources = Set(clusterOf.keys.map { Int($0 >> 32) })
        let actual = truePairCount(truth, sources: sources, crossSourceOnly: crossSourceOnly)
        var exact = 0, multi = 0, exactMulti = 0
        for (e, cs) in entityClusters {
            let size = entitySize[e]!
            let ok = cs.count == 1 && clusterSize[cs.first!]! == size
            if ok { exact += 1 }
            if size >= 2 { multi += 1; if ok { exactMulti += 1 } }
        }
        let entities = entityClusters.count
        return Clusters(pairwise: Pairwise(tp: tp, predicted: predicted, actual: actual), entities: entities,
                        exactEntities: exact, exactEntityRecovery: entities == 0 ? 1 : Double(exact) / Double(entities),
                        multiRecordEntities: multi, exactMultiRecordEntities: exactMulti)
    }

    /// Scores blocking: `candidates` as record keys, out of `recordCount` records
    /// (`leftCount × rightCount` possible pairs when linking).
    public static func blocking(_ candidates: [(UInt64, UInt64)], truth: GroundTruth, sources: Set<Int>,
                                possiblePairs: Int, crossSourceOnly: Bool = false) -> Blocking {
        let p = pairs(candidates, truth: truth, sources: sources, crossSourceOnly: crossSourceOnly)
        let actual = p.truePositives + p.falseNegatives
        return Blocking(truePairs: actual, candidatePairs: p.truePositives + p.falsePositives,
                        trueCandidatePairs: p.truePositives, recall: p.recall,
                        reductionRatio: possiblePairs == 0 ? 0 : 1 - Double(p.truePositives + p.falsePositives) / Double(possiblePairs))
    }
}
