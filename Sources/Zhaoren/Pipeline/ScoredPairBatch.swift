import ZhaorenSupport

/// A batch of scored pairs, in flat arrays, self-contained (it holds no reference to the
/// records, so keeping a batch keeps only its own few arrays alive): pair `k` is
/// ``first(_:)`` and ``second(_:)`` with match weight `weight[k]` (log2 Bayes factor, prior
/// included), probability `probability[k]`, and the weight each comparison added in
/// ``explanation(_:)``.
///
/// ```swift
/// for k in 0..<batch.count where batch.probability[k] >= 0.9 {
///     print(batch.first(k), batch.second(k), batch.explanation(k))   // grid_survey:12 police:40 […]
/// }
/// ```
public struct ScoredPairBatch: Sendable {
    /// Source names, indexed by ``sourceA`` and ``sourceB``.
    public let sources: [String]
    /// The comparisons, in the order of ``contributions``.
    public let comparisons: [String]
    /// Level names per comparison.
    public let levelNames: [[String]]
    /// Blocking rule names, indexed by ``rule``.
    public let rules: [String]
    /// Source index of each pair's first record.
    public internal(set) var sourceA: [UInt16] = []
    /// 1-based data row of each pair's first record.
    public internal(set) var rowA: [UInt32] = []
    /// Source index of each pair's second record.
    public internal(set) var sourceB: [UInt16] = []
    /// 1-based data row of each pair's second record.
    public internal(set) var rowB: [UInt32] = []
    /// Packed comparison levels: comparison `c` at bits `4c..<4c+4`.
    public internal(set) var pattern: [UInt64] = []
    /// Index of the blocking rule that produced each pair.
    public internal(set) var rule: [UInt8] = []
    /// Match weight, prior included.
    public internal(set) var weight: [Double] = []
    /// Match probability.
    public internal(set) var probability: [Double] = []
    /// The weight each comparison added: pair `k`'s are `contributions[k * C ..< (k + 1) * C]`
    /// for `C` = ``comparisons``.count.
    public internal(set) var contributions: [Float] = []

    /// An empty batch for pairs scored by `scorer` over records from `sources`.
    init(sources: [String], scorer: PairScorer, rules: [String]) {
        self.sources = sources
        comparisons = scorer.model.comparisons.map(\.name)
        levelNames = scorer.model.comparisons.map(\.kind.levelNames)
        self.rules = rules
    }

    /// The number of pairs.
    public var count: Int { weight.count }

    /// The first record of pair `k`.
    public func first(_ k: Int) -> SourceRow { SourceRow(source: sources[Int(sourceA[k])], row: Int(rowA[k])) }

    /// The second record of pair `k`.
    public func second(_ k: Int) -> SourceRow { SourceRow(source: sources[Int(sourceB[k])], row: Int(rowB[k])) }

    /// The level of comparison `c` for pair `k`.
    public func level(_ k: Int, _ c: Int) -> Int { Comparator.level(pattern[k], c) }

    /// What each comparison found and added for pair `k`, in comparison order.
    ///
    /// ```swift
    /// batch.explanation(0)   // [("name", "exact", 9.8), ("id", "one_edit", 6.1), …]
    /// ```
    public func explanation(_ k: Int) -> [(comparison: String, level: String, weight: Double)] {
        let c = comparisons.count
        return comparisons.indices.map { i in
            (comparisons[i], levelNames[i][level(k, i)], Double(contributions[k * c + i]))
        }
    }

    /// Appends candidate pair `a`, `b` of `table` (its pattern already compared).
    mutating func append(_ a: Int, _ b: Int, pattern p: UInt64, rule r: UInt8, scorer: PairScorer, table: RecordTable) {
        sourceA.append(table.source[a]); rowA.append(table.row[a])
        sourceB.append(table.source[b]); rowB.append(table.row[b])
        pattern.append(p)
        rule.append(r)
        var w = scorer.model.priorWeight
        for c in 0..<comparisons.count {
            let x = scorer.contribution(c, pattern: p, a, b)
            contributions.append(Float(x))
            w += x
        }
        weight.append(w)
        probability.append(scorer.model.probability(weight: w))
    }

    /// Reserves room for `n` pairs.
    mutating func reserve(_ n: Int) {
        sourceA.reserveCapacity(n); rowA.reserveCapacity(n); sourceB.reserveCapacity(n); rowB.reserveCapacity(n)
        pattern.reserveCapacity(n); rule.reserveCapacity(n); weight.reserveCapacity(n); probability.reserveCapacity(n)
        contributions.reserveCapacity(n * comparisons.count)
    }
}
