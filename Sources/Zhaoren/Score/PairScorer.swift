import Foundation

/// Scores pairs with a trained model: match weight, probability, and the weight each
/// comparison contributed (with term-frequency adjustment for names where enabled).
///
/// ```swift
/// let scorer = PairScorer(model: model, comparator: comparator)
/// let w = scorer.weight(pattern: p, a, b)
/// scorer.model.probability(weight: w)
/// ```
package struct PairScorer: Sendable {
    /// The trained parameters.
    public let model: FellegiSunterModel
    /// The comparator (and so the records).
    public let comparator: Comparator
    /// Term frequencies of names, when any comparison uses them.
    public let termFrequencies: TermFrequencies?
    @usableFromInline let levelWeights: [[Double]]
    @usableFromInline let tfComparison: [Bool]
    /// Index of the resident-ID comparison, when there is one (for the birth redundancy rule).
    @usableFromInline let idComparison: Int?

    /// Creates a scorer; term frequencies are counted from the comparator's table.
    public init(model: FellegiSunterModel, comparator: Comparator) {
        self.model = model
        self.comparator = comparator
        levelWeights = model.comparisons.indices.map { c in
            (0..<model.m[c].count).map { l in
                let w = model.weight(c, level: l)
                return model.comparisons[c].maxWeight.map { Swift.min(w, $0) } ?? w
            }
        }
        idComparison = model.comparisons.firstIndex { $0.kind == .residentID }
        tfComparison = model.comparisons.map { $0.termFrequency && $0.kind.termFrequencyLevels != nil }
        termFrequencies = tfComparison.contains(true) ? TermFrequencies(table: comparator.table) : nil
    }

    /// The weight comparison `c` contributes for a pair of records at `pattern`: the level's
    /// `log2(m/u)` (capped by the comparison's `max_weight`), plus the term-frequency adjustment;
    /// a birth date that only repeats what two agreeing IDs say contributes 0.
    @inlinable
    public func contribution(_ c: Int, pattern: UInt64, _ a: Int, _ b: Int) -> Double {
        let l = Comparator.level(pattern, c)
        if l != 0, let id = idComparison, model.comparisons[c].kind == .birthDate,
           Comparator.level(pattern, id) >= 3, comparator.birthComesFromIDs(a, b) {
            return 0   // the IDs already agree on this date
        }
        var w = levelWeights[c][l]
        if tfComparison[c], let tf = termFrequencies, let levels = model.comparisons[c].kind.termFrequencyLevels,
           levels.contains(l) {
            let n = comparator.table.name[a]
            w += tf.adjustment(u: model.u[c][l], foldedName: comparator.table.names.foldedID[Int(n)])
        }
        return w
    }

    /// The match weight (prior included) of records `a`, `b` with levels `pattern`.
    @inlinable
    public func weight(pattern: UInt64, _ a: Int, _ b: Int) -> Double {
        var w = model.priorWeight
        for c in levelWeights.indices { w += contribution(c, pattern: pattern, a, b) }
        return w
    }
}
