/// A batch of scored candidate pairs, in flat arrays: pair `k` is records `first[k]`,
/// `second[k]` of ``table`` with match weight `weight[k]` (log2 Bayes factor, prior
/// included) and probability `probability[k]`.
///
/// ```swift
/// for k in 0..<batch.count where batch.probability[k] >= 0.9 {
///     print(batch.table.label(batch.first[k]), batch.table.label(batch.second[k]), batch.explanation(k))
/// }
/// ```
public struct ScoredPairBatch: Sendable {
    /// The records.
    public let table: RecordTable
    /// The scorer (model and comparisons) that produced the weights.
    public let scorer: PairScorer
    /// Smaller record index of each pair.
    public var first: [Int] = []
    /// Larger record index of each pair.
    public var second: [Int] = []
    /// Packed comparison levels (``Comparator/level(_:_:)``).
    public var pattern: [UInt64] = []
    /// Index of the blocking rule that produced the pair.
    public var rule: [UInt8] = []
    /// Match weight, prior included.
    public var weight: [Double] = []
    /// Match probability.
    public var probability: [Double] = []

    /// Creates an empty batch.
    public init(table: RecordTable, scorer: PairScorer) {
        self.table = table
        self.scorer = scorer
    }

    /// The number of pairs.
    public var count: Int { first.count }

    /// The weight each comparison contributed to pair `k`, keyed by comparison name.
    public func explanation(_ k: Int) -> [(comparison: String, level: String, weight: Double)] {
        scorer.model.comparisons.indices.map { c in
            let l = Comparator.level(pattern[k], c)
            return (scorer.model.comparisons[c].name, scorer.model.comparisons[c].kind.levelNames[l],
                    scorer.contribution(c, pattern: pattern[k], first[k], second[k]))
        }
    }
}
