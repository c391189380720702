import Foundation

extension FellegiSunterTrainer {
    /// m and λ by training sessions (see ``TrainingRule``): each session's EM estimates m for the
    /// comparisons it does not condition on; a comparison's m is the mean over the sessions
    /// that estimated it (a session needs at least `minimumPairs` pairs); comparisons no
    /// session reached take m from EM over all candidates. λ is then estimated with m and u fixed.
    /// - Parameter possiblePairs: all pairs the candidates were drawn from (n(n−1)/2, or
    ///   left × right); λ is rescaled from the candidates to them. `nil` keeps the candidates' λ.
    public func train(_ data: PatternCounts, comparisons specs: [ComparisonSpec], u: [[Double]],
                      rules: [TrainingRule], possiblePairs: Int? = nil, minimumPairs: Int = 100) -> FellegiSunterModel {
        let C = specs.count
        var sums: [[Double]?] = Array(repeating: nil, count: C)
        var sessions = [Int](repeating: 0, count: C)
        var iterations = 0
        var converged = true
        for rule in rules {
            let conditions = rule.conditions.compactMap { cond -> (Int, Int)? in
                specs.firstIndex { $0.name == cond.comparison }.map { ($0, cond.minimumLevel) }
            }
            guard conditions.count == rule.conditions.count, !conditions.isEmpty else { continue }
            var mask: UInt64 = ~0
            for (c, _) in conditions { mask &= ~(UInt64(0xF) << UInt64(4 * c)) }
            var counts: [UInt64: Int] = [:]
            var total = 0
            for (p, n) in zip(data.patterns, data.counts)
            where conditions.allSatisfy({ Comparator.level(p, $0.0) >= $0.1 }) {
                counts[p & mask, default: 0] += n
                total += n
            }
            guard total >= minimumPairs else { continue }
            let keys = counts.keys.sorted()
            let session = expectationMaximisation(PatternCounts(patterns: keys, counts: keys.map { counts[$0]! }),
                                                  comparisons: specs, u: u, initialLambda: 0.9)
            iterations += session.iterations
            converged = converged && session.converged
            let conditioned = Set(conditions.map(\.0))
            for c in 0..<C where !conditioned.contains(c) {
                // Only comparisons with enough non-missing values in the session.
                let present = zip(keys, keys.map { counts[$0]! }).reduce(0) { $0 + (Comparator.level($1.0, c) != 0 ? $1.1 : 0) }
                guard present >= minimumPairs else { continue }
                sums[c] = zip(sums[c] ?? Array(repeating: 0, count: session.m[c].count), session.m[c]).map { $0 + $1 }
                sessions[c] += 1
            }
        }
        var m = Self.initialM(specs)
        if sessions.contains(0) {
            let global = expectationMaximisation(data, comparisons: specs, u: u)
            iterations += global.iterations
            for c in 0..<C where sessions[c] == 0 { m[c] = global.m[c] }
        }
        for c in 0..<C where sessions[c] > 0 { m[c] = sums[c]!.map { $0 / Double(sessions[c]) } }
        var lambda = estimateLambda(data, m: m, u: u)
        if let possiblePairs, possiblePairs > 0 {
            let candidates = Double(data.counts.reduce(0, +))
            lambda = min(max(lambda * candidates / Double(possiblePairs), 1e-15), 1 - 1e-9)
        }
        return FellegiSunterModel(comparisons: specs, lambda: lambda, m: m, u: u, iterations: iterations,
                                  converged: converged, randomPairs: randomPairs)
    }

    /// m, λ and u from the candidates' pattern counts and the random pairs' patterns: trains
    /// with u from every random pair, then again with u from the random pairs counted by
    /// their chance of being non-matches under that first model
    /// (``u(from:comparisons:excluding:)``), so that the few random pairs that are the same
    /// person do not decide what a rare agreement is worth.
    ///
    /// ```swift
    /// let random = trainer.randomPatterns(comparator)
    /// let model = trainer.train(PatternCounts(counting: patterns), comparisons: specs, random: random,
    ///                           rules: TrainingRule.defaults(for: specs), possiblePairs: n * (n - 1) / 2)
    /// ```
    /// - Complexity: two trainings; O(random patterns × comparisons) between them.
    public func train(_ data: PatternCounts, comparisons specs: [ComparisonSpec], random: PatternCounts,
                      rules: [TrainingRule], possiblePairs: Int) -> FellegiSunterModel {
        let first = train(data, comparisons: specs, u: u(from: random, comparisons: specs), rules: rules,
                          possiblePairs: possiblePairs)
        return train(data, comparisons: specs, u: u(from: random, comparisons: specs, excluding: first), rules: rules,
                     possiblePairs: possiblePairs)
    }

    /// λ by EM with m and u fixed.
    public func estimateLambda(_ data: PatternCounts, m: [[Double]], u: [[Double]]) -> Double {
        let C = m.count
        let ratio: [Double] = data.patterns.map { p in
            var r = 0.0
            for c in 0..<C {
                let l = Comparator.level(p, c)
                if l != 0 { r += log(m[c][l]) - log(u[c][l]) }
            }
            return r
        }
        let total = Double(data.counts.reduce(0, +))
        guard total > 0 else { return 0.5 }
        var lambda = 0.1
        for _ in 0..<maxIterations {
            let prior = log(lambda / (1 - lambda))
            var matches = 0.0
            for k in ratio.indices { matches += Double(data.counts[k]) / (1 + exp(-(prior + ratio[k]))) }
            let next = min(max(matches / total, 1e-9), 1 - 1e-9)
            if abs(next - lambda) < tolerance { lambda = next; break }
            lambda = next
        }
        return lambda
    }
}
