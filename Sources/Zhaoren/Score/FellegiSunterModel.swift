import Foundation

/// Trained Fellegi–Sunter parameters: for every comparison and level, the probability of that
/// level among matches (m) and among non-matches (u), and the prior probability λ that two
/// records drawn at random match. Codable, so a city can train once and score every month.
///
/// λ is over all pairs, like u (which comes from random pairs): EM estimates the share of
/// matches among the candidate pairs, and ``FellegiSunterTrainer`` rescales it by
/// `candidates / all pairs`. Evidence used by blocking therefore still counts.
///
/// Level 0 (missing) carries no weight. The match weight of a pair is
/// `log2(λ / (1 − λ)) + Σ log2(m / u)` (plus term-frequency adjustments), and its
/// probability `1 / (1 + 2^−weight)`.
///
/// ```swift
/// let json = try JSONEncoder().encode(model)
/// let again = try JSONDecoder().decode(FellegiSunterModel.self, from: json)
/// again.probability(weight: again.weight(pattern: p))
/// ```
public struct FellegiSunterModel: Codable, Sendable, Equatable {
    /// The comparisons the parameters belong to.
    public var comparisons: [ComparisonSpec]
    /// The prior probability that two records drawn at random match.
    public var lambda: Double
    /// `m[c][l]`: P(level l | match) for comparison c (index 0 unused, 0).
    public var m: [[Double]]
    /// `u[c][l]`: P(level l | non-match).
    public var u: [[Double]]
    /// EM iterations run.
    public var iterations: Int
    /// Whether EM reached its tolerance before the iteration cap.
    public var converged: Bool
    /// Random pairs sampled for u.
    public var randomPairs: Int

    /// Creates a model.
    public init(comparisons: [ComparisonSpec], lambda: Double, m: [[Double]], u: [[Double]],
                iterations: Int = 0, converged: Bool = false, randomPairs: Int = 0) {
        self.comparisons = comparisons
        self.lambda = lambda
        self.m = m
        self.u = u
        self.iterations = iterations
        self.converged = converged
        self.randomPairs = randomPairs
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case comparisons, lambda, m, u, iterations, converged, randomPairs = "random_pairs"
    }

    /// Reads a model (from settings or `summary.json`); an unknown key is an error.
    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        comparisons = try c.decode([ComparisonSpec].self, forKey: .comparisons)
        lambda = try c.decode(Double.self, forKey: .lambda)
        m = try c.decode([[Double]].self, forKey: .m)
        u = try c.decode([[Double]].self, forKey: .u)
        iterations = try c.decodeIfPresent(Int.self, forKey: .iterations) ?? 0
        converged = try c.decodeIfPresent(Bool.self, forKey: .converged) ?? false
        randomPairs = try c.decodeIfPresent(Int.self, forKey: .randomPairs) ?? 0
    }

    /// Checks that every comparison has one m and one u per level of its kind, as this
    /// version defines the levels: a model trained by a version with other levels (say,
    /// `birth_date` before `same_month_day`) would give weights to the wrong levels.
    ///
    /// ```swift
    /// try model.checkLevels()   // throws ZhaorenError(.settings, …) naming the comparison
    /// ```
    public func checkLevels() throws(ZhaorenError) {
        guard m.count == comparisons.count && u.count == comparisons.count else {
            throw ZhaorenError(.settings, "model: \(comparisons.count) comparisons but m and u for \(m.count) and \(u.count)")
        }
        for (c, spec) in comparisons.enumerated() where m[c].count != spec.kind.levelCount || u[c].count != spec.kind.levelCount {
            throw ZhaorenError(.settings, "model: comparison \"\(spec.name)\" (\(spec.kind.rawValue)) has \(m[c].count) levels in the model, "
                + "this version has \(spec.kind.levelCount) (\(spec.kind.levelNames.joined(separator: ", "))): "
                + "train again (remove \"model\" from the settings)")
        }
    }

    /// The prior weight `log2(λ / (1 − λ))`.
    public var priorWeight: Double { log2(lambda / (1 - lambda)) }

    /// The weight of level `l` of comparison `c`: `log2(m / u)`, 0 for level 0.
    @inlinable
    public func weight(_ c: Int, level l: Int) -> Double {
        l == 0 ? 0 : log2(m[c][l] / u[c][l])
    }

    /// The match weight of a pattern, without term-frequency adjustment.
    public func weight(pattern: UInt64) -> Double {
        var w = priorWeight
        for c in comparisons.indices { w += weight(c, level: Comparator.level(pattern, c)) }
        return w
    }

    /// The probability for a match weight.
    @inlinable
    public func probability(weight: Double) -> Double { 1 / (1 + exp2(-weight)) }

    /// The match weight a probability corresponds to.
    public static func weight(probability p: Double) -> Double {
        let q = min(max(p, 1e-15), 1 - 1e-15)
        return log2(q / (1 - q))
    }
}

extension FellegiSunterModel {
    /// A model from domain knowledge alone, for scoring without training (a handful of
    /// records, or a first look): m and u per level are ``ComparisonKind/priorM`` and
    /// ``ComparisonKind/priorU``, and λ is `lambda`.
    ///
    /// ```swift
    /// let model = FellegiSunterModel.priors(for: ComparisonSpec.defaults(for: [.name, .id, .birth]))
    /// for try await batch in LinkPipeline().stream(records, model: model) { … }
    /// ```
    public static func priors(for comparisons: [ComparisonSpec], lambda: Double = 1e-4) -> FellegiSunterModel {
        FellegiSunterModel(comparisons: comparisons, lambda: lambda, m: comparisons.map(\.kind.priorM),
                           u: comparisons.map(\.kind.priorU))
    }
}
