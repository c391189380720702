/// The outcome of a dedupe or link run (the batch API): records, candidate pairs with their
/// patterns, the model, the accepted pairs and the clusters.
///
/// ```swift
/// let result = try LinkPipeline(settings: .init()).dedupe(survey)
/// for k in result.accepted.indices { print(result.pair(k)) }
/// result.clusterID(of: 0)   // "survey:1"
/// ```
public struct LinkResult: Sendable {
    /// Whether two lists were linked (pairs only between them) rather than one deduplicated.
    public var linking: Bool
    /// The inputs.
    public var sources: [RecordSource]
    /// The settings used, defaults filled in.
    public var settings: LinkSettings
    /// The records.
    public var table: RecordTable
    /// Rows the readers rejected.
    public var rejects: [RejectedRow]
    /// Reader statistics per source.
    public var statistics: [ReadStatistics]
    /// Candidate pairs from blocking.
    public var candidates: CandidatePairs
    /// Comparison pattern of each candidate.
    public var patterns: [UInt64]
    /// What blocking did.
    public var blocking: BlockingReport
    /// The model used, and whether it was trained on this data (else loaded from settings).
    public var model: FellegiSunterModel
    public var trained: Bool
    /// The scorer (model, comparator, term frequencies).
    public var scorer: PairScorer
    /// Accepted pairs: indices into ``candidates``, ascending, with their match weights.
    public var accepted: [Int]
    public var acceptedWeight: [Double]
    /// Per record, the smallest record index of its cluster.
    public var clusterRoot: [UInt32]
    /// Accepted pairs whose clusters were kept apart by the cannot-link rule.
    public var mergesRefused: Int = 0
    /// Seconds per stage, in order.
    public var timings: [(stage: String, seconds: Double)]
    /// Distinct values normalized per role.
    public var distinctValues: [String: Int]

    /// Accepted pair `k` (index into ``accepted``) as records, weight and probability.
    public func pair(_ k: Int) -> (first: Int, second: Int, weight: Double, probability: Double) {
        let c = accepted[k]
        return (candidates.first(c), candidates.second(c), acceptedWeight[k], model.probability(weight: acceptedWeight[k]))
    }

    /// The stable id of record `i`'s cluster: `source:row` of its smallest record.
    public func clusterID(of i: Int) -> String { table.label(Int(clusterRoot[i])) }

    /// Records per cluster, indexed by the cluster's root record (0 at records that are not
    /// roots).
    /// - Complexity: O(records); a flat count, not a dictionary.
    public var clusterSizes: [Int32] {
        var sizes = [Int32](repeating: 0, count: clusterRoot.count)
        for root in clusterRoot { sizes[Int(root)] += 1 }
        return sizes
    }

    /// Number of clusters (singletons included), of clusters with two or more records, and
    /// the size of the largest.
    public var clusterCounts: (all: Int, multi: Int, largest: Int) {
        var all = 0, multi = 0, largest = 0
        for size in clusterSizes where size > 0 {
            all += 1
            if size >= 2 { multi += 1 }
            largest = max(largest, Int(size))
        }
        return (all, multi, largest)
    }
}
