import ZhaorenSupport

/// The outcome of a dedupe or link run (the batch API): the accepted pairs with their
/// weights and explanations, the clusters, the trained model and what every stage did.
///
/// ```swift
/// let result = try LinkPipeline().dedupe(survey)
/// for k in 0..<min(3, result.pairCount) {
///     let pair = result.pair(k)
///     print(pair.first, pair.second, pair.probability)     // grid_survey:12 grid_survey:907 0.9993
///     print(result.explanation(k))                          // [("name", "exact", 9.8), …]
/// }
/// result.clusterID(of: 0)   // "grid_survey:1"
/// ```
public struct LinkResult: Sendable {
    /// Whether one source was deduplicated or two were linked.
    public var mode: LinkPipeline.Mode
    /// The inputs (empty when the records were built in memory).
    public var sources: [RecordSource]
    /// The settings used, defaults filled in.
    public var settings: LinkSettings
    /// Rows the readers rejected.
    public var rejects: [RejectedRow]
    /// Reader statistics per source.
    public var statistics: [ReadStatistics]
    /// What blocking did.
    public var blocking: BlockingReport
    /// The model used.
    public var model: FellegiSunterModel
    /// Whether the model was trained on this data (else taken from the settings).
    public var trained: Bool
    /// Accepted pairs whose clusters were kept apart by the cannot-link rule.
    public var mergesRefused: Int = 0
    /// Seconds per stage, in order.
    public var timings: [StageTiming]
    /// Distinct values normalized, per role.
    public var distinctValues: [String: Int]

    /// The records.
    package var table: RecordTable
    /// Candidate pairs from blocking, and the comparison pattern of each.
    package var candidates: CandidatePairs
    package var patterns: [UInt64]
    /// How many different patterns ``patterns`` holds.
    package var distinctPatterns: Int
    /// The scorer (model, comparator, term frequencies).
    package var scorer: PairScorer
    /// Accepted pairs: indices into ``candidates``, ascending, with their match weights.
    package var accepted: [Int]
    package var acceptedWeight: [Double]
    /// Per accepted pair, what its contributions need beyond the levels
    /// (``PairScorer/details(pattern:_:_:)``), so explaining it reads no record.
    package var acceptedDetails: [UInt32]
    /// Per record, the smallest record index of its cluster.
    package var clusterRoot: [UInt32]

    package init(mode: LinkPipeline.Mode, sources: [RecordSource], settings: LinkSettings, table: RecordTable,
                 rejects: [RejectedRow], statistics: [ReadStatistics], candidates: CandidatePairs, patterns: [UInt64],
                 blocking: BlockingReport, model: FellegiSunterModel, trained: Bool, scorer: PairScorer, accepted: [Int],
                 acceptedWeight: [Double], acceptedDetails: [UInt32], clusterRoot: [UInt32], mergesRefused: Int, timings: [StageTiming],
                 distinctValues: [String: Int], distinctPatterns: Int? = nil) {
        self.mode = mode
        self.sources = sources
        self.settings = settings
        self.table = table
        self.rejects = rejects
        self.statistics = statistics
        self.candidates = candidates
        self.patterns = patterns
        self.distinctPatterns = distinctPatterns ?? PatternCounts(counting: patterns).patterns.count
        self.blocking = blocking
        self.model = model
        self.trained = trained
        self.scorer = scorer
        self.accepted = accepted
        self.acceptedWeight = acceptedWeight
        self.acceptedDetails = acceptedDetails
        self.clusterRoot = clusterRoot
        self.mergesRefused = mergesRefused
        self.timings = timings
        self.distinctValues = distinctValues
    }

    /// The number of records read.
    public var recordCount: Int { table.count }

    /// Record `i` (0-based, in source order then row order) as `source:row`.
    public func record(_ i: Int) -> SourceRow { table.sourceRow(i) }

    /// The number of candidate pairs blocking made.
    public var candidateCount: Int { candidates.count }

    /// Per candidate pair, whether it was accepted.
    package var acceptedMask: [Bool] {
        var mask = [Bool](repeating: false, count: candidates.count)
        for c in accepted { mask[c] = true }
        return mask
    }

    /// The number of accepted pairs (at or above the threshold, after one-to-one selection).
    public var pairCount: Int { accepted.count }

    /// Accepted pair `k` (`0..<pairCount`): its records, match weight and probability.
    public func pair(_ k: Int) -> (first: SourceRow, second: SourceRow, weight: Double, probability: Double) {
        let c = accepted[k]
        return (table.sourceRow(candidates.first(c)), table.sourceRow(candidates.second(c)), acceptedWeight[k],
                model.probability(weight: acceptedWeight[k]))
    }

    /// What each comparison found and added for accepted pair `k`, in comparison order.
    ///
    /// ```swift
    /// result.explanation(0)   // [("name", "exact", 9.8), ("id", "one_edit", 6.1), …]
    /// ```
    public func explanation(_ k: Int) -> [(comparison: String, level: String, weight: Double)] {
        let c = accepted[k]
        let p = patterns[c]
        return model.comparisons.indices.map { i in
            (model.comparisons[i].name, model.comparisons[i].kind.levelNames[Comparator.level(p, i)],
             scorer.contribution(i, pattern: p, details: acceptedDetails[k]))
        }
    }

    /// The stable id of record `i`'s cluster: `source:row` of its first record.
    public func clusterID(of i: Int) -> String { table.label(Int(clusterRoot[i])) }

    /// Records per cluster, indexed by the cluster's root record (0 at records that are not
    /// roots).
    /// - Complexity: O(records); a flat count, not a dictionary.
    package var clusterSizes: [Int32] {
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
