import Foundation

/// Trains a ``FellegiSunterModel``: u from seeded random pairs (in parallel, deterministic),
/// then m and λ by expectation–maximisation over the counts of distinct comparison patterns
/// of the candidate pairs, with u held fixed.
///
/// ```swift
/// let trainer = FellegiSunterTrainer(randomPairs: 2_000_000, seed: 1)
/// let u = trainer.estimateU(comparator)
/// let model = trainer.expectationMaximisation(PatternCounts(counting: patterns), comparisons: specs, u: u)
/// ```
public struct FellegiSunterTrainer: Sendable {
    /// Random pairs sampled for u.
    public var randomPairs: Int
    /// The seed of the sampling.
    public var seed: UInt64
    /// EM stops after this many iterations …
    public var maxIterations: Int
    /// … or when no parameter moves more than this.
    public var tolerance: Double

    /// Creates a trainer.
    public init(randomPairs: Int = 2_000_000, seed: UInt64 = 1, maxIterations: Int = 200, tolerance: Double = 1e-7) {
        self.randomPairs = randomPairs
        self.seed = seed
        self.maxIterations = maxIterations
        self.tolerance = tolerance
    }

    /// u probabilities: level frequencies among random pairs of distinct records (between the
    /// two sides when `side` is given), with add-one smoothing over the non-missing levels.
    /// - Complexity: O(randomPairs) comparisons, in 64 parallel chunks with their own generators.
    public func estimateU(_ comparator: Comparator, side: [UInt8]? = nil) -> [[Double]] {
        let n = comparator.table.count
        let specs = comparator.specs
        guard n >= 2 else { return specs.map { s in (0..<s.kind.levelCount).map { $0 == 0 ? 0 : 1 / Double(s.kind.levelCount - 1) } } }
        var left: [UInt32] = [], right: [UInt32] = []
        if let side {
            for i in 0..<n { if side[i] == 0 { left.append(UInt32(i)) } else { right.append(UInt32(i)) } }
        }
        let chunks = 64
        let perChunk = (randomPairs + chunks - 1) / chunks
        let seed = self.seed
        let l = left, r = right, linking = side != nil && !left.isEmpty && !right.isEmpty
        let counts: [[Int]] = Parallel.map(chunks) { k in
            var rng = EngineRandom(seed: StableHash.combine(seed, UInt64(k)))
            var c = [Int](repeating: 0, count: specs.count * 16)
            var scratch = KernelScratch()
            for _ in 0..<perChunk {
                let i: Int, j: Int
                if linking {
                    i = Int(l[Int(rng.next() % UInt64(l.count))])
                    j = Int(r[Int(rng.next() % UInt64(r.count))])
                } else {
                    i = Int(rng.next() % UInt64(n))
                    var jj = Int(rng.next() % UInt64(n - 1))
                    if jj >= i { jj += 1 }
                    j = jj
                }
                let p = comparator.pattern(i, j, scratch: &scratch)
                for s in 0..<specs.count { c[s * 16 + Comparator.level(p, s)] += 1 }
            }
            return c
        }
        return specs.indices.map { s in
            let levels = specs[s].kind.levelCount
            var total = 0
            var row = [Double](repeating: 0, count: levels)
            for lv in 1..<levels { for c in counts { row[lv] += Double(c[s * 16 + lv]) }; total += Int(row[lv]) }
            for lv in 1..<levels { row[lv] = (row[lv] + 1) / (Double(total) + Double(levels - 1)) }
            return row
        }
    }

    /// Starting m: most mass on the top level, the rest falling geometrically.
    public static func initialM(_ specs: [ComparisonSpec]) -> [[Double]] {
        specs.map { s in
            let levels = s.kind.levelCount
            var row = [Double](repeating: 0, count: levels)
            var rest = 1.0
            for lv in stride(from: levels - 1, through: 1, by: -1) {
                let share = lv == 1 ? rest : rest * (lv == levels - 1 ? 0.85 : 0.5)
                row[lv] = share
                rest -= share
            }
            return row
        }
    }

    /// m and λ by EM over pattern counts, with `u` fixed.
    /// - Complexity: O(iterations × patterns × comparisons).
    public func expectationMaximisation(_ data: PatternCounts, comparisons specs: [ComparisonSpec], u: [[Double]],
                                        initialLambda: Double = 0.3, initialM: [[Double]]? = nil) -> FellegiSunterModel {
        var m = initialM ?? Self.initialM(specs)
        var lambda = initialLambda
        let logU = u.map { $0.map { $0 > 0 ? log($0) : 0 } }
        let total = Double(data.counts.reduce(0, +))
        var iterations = 0
        var converged = false
        guard total > 0 else {
            return FellegiSunterModel(comparisons: specs, lambda: lambda, m: m, u: u, randomPairs: randomPairs)
        }
        let C = specs.count
        // Levels per pattern, unpacked once.
        let levels: [[Int]] = data.patterns.map { p in (0..<C).map { Comparator.level(p, $0) } }
        while iterations < maxIterations {
            iterations += 1
            let logM = m.map { $0.map { $0 > 0 ? log($0) : -700 } }
            var acc = specs.map { [Double](repeating: 0, count: $0.kind.levelCount) }
            var matches = 0.0
            let logLambda = log(lambda), logNot = log(1 - lambda)
            for k in data.patterns.indices {
                var lm = logLambda, lu = logNot
                let lv = levels[k]
                for c in 0..<C where lv[c] != 0 {
                    lm += logM[c][lv[c]]
                    lu += logU[c][lv[c]]
                }
                let gamma = 1 / (1 + exp(lu - lm))
                let w = Double(data.counts[k]) * gamma
                matches += w
                for c in 0..<C where lv[c] != 0 { acc[c][lv[c]] += w }
            }
            var change = 0.0
            for c in 0..<C {
                let levelsC = acc[c].count
                let sum = acc[c].dropFirst().reduce(0, +)
                for lv in 1..<levelsC {
                    let v = (acc[c][lv] + 1e-3) / (sum + 1e-3 * Double(levelsC - 1))
                    change = max(change, abs(v - m[c][lv]))
                    m[c][lv] = v
                }
            }
            let newLambda = min(max(matches / total, 1e-9), 1 - 1e-9)
            change = max(change, abs(newLambda - lambda))
            lambda = newLambda
            if change < tolerance { converged = true; break }
        }
        return FellegiSunterModel(comparisons: specs, lambda: lambda, m: m, u: u, iterations: iterations,
                                  converged: converged, randomPairs: randomPairs)
    }
}

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

/// SplitMix64, the engine's own seeded generator for sampling.
struct EngineRandom: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        return StableHash.finalize(state)
    }
}
