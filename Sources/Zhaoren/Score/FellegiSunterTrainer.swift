import Foundation
import ZhaorenSupport

/// Trains a ``FellegiSunterModel``: u from seeded random pairs (in parallel, deterministic),
/// then m and λ by expectation–maximisation over the counts of distinct comparison patterns
/// of the candidate pairs, with u held fixed.
///
/// ```swift
/// let trainer = FellegiSunterTrainer(randomPairs: 2_000_000, seed: 1)
/// let u = trainer.estimateU(comparator)
/// let model = trainer.expectationMaximisation(PatternCounts(counting: patterns), comparisons: specs, u: u)
/// ```
package struct FellegiSunterTrainer: Sendable {
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
    /// two sides when `side` is given), shrunk toward ``ComparisonKind/priorU`` by 1,000
    /// pseudo-pairs (the prior decides for a few dozen pairs, the data for millions).
    /// When there are no more pairs than ``randomPairs``, every pair is compared instead.
    /// The same as ``u(from:comparisons:excluding:)`` of ``randomPatterns(_:side:)`` without
    /// a model; training with a model first is ``train(_:comparisons:random:rules:possiblePairs:)``.
    /// - Complexity: O(min(randomPairs, all pairs)) comparisons, in parallel chunks with their
    ///   own generators.
    public func estimateU(_ comparator: Comparator, side: [UInt8]? = nil) -> [[Double]] {
        u(from: randomPatterns(comparator, side: side), comparisons: comparator.specs)
    }

    /// The comparison patterns of random pairs of distinct records (between the two sides
    /// when `side` is given), with how often each occurred: ``randomPairs`` seeded random
    /// pairs, or every pair when there are no more than that.
    ///
    /// ```swift
    /// let random = trainer.randomPatterns(comparator)
    /// let u = trainer.u(from: random, comparisons: comparator.specs)
    /// ```
    /// - Complexity: O(min(randomPairs, all pairs)) comparisons, in parallel chunks with their
    ///   own generators; memory for the distinct patterns.
    public func randomPatterns(_ comparator: Comparator, side: [UInt8]? = nil) -> PatternCounts {
        let n = comparator.table.count
        guard n >= 2 else { return PatternCounts(patterns: [], counts: []) }
        var left: [Int] = [], right: [Int] = []
        if let side {
            for i in 0..<n { if side[i] == 0 { left.append(i) } else { right.append(i) } }
        }
        let linking = side != nil && !left.isEmpty && !right.isEmpty
        // Pairs are drawn among a seeded random subset of the records, gathered into a compact
        // table: each sampled record then serves in many pairs while its values are in cache.
        // Every pair is still a uniformly random pair of distinct records (of the two sides).
        var sampler = SeededGenerator(seed: StableHash.combine(seed, 0x5355_4253))
        let l: [Int], r: [Int]
        if linking {
            l = Self.sample(left, Self.sampleRecords / 2, &sampler)
            r = Self.sample(right, Self.sampleRecords / 2, &sampler)
        } else {
            l = Self.sample(Array(0..<n), Self.sampleRecords, &sampler)
            r = []
        }
        // Salted names of random pairs born in different years count as disagreeing (when
        // scoring they are missing): u is then the chance that two people agree on name and
        // birth year, as a value comparison would measure name agreement alongside the birth date's.
        // Each sampled record meets about 20 others: its address bigrams are made once.
        let sub = Comparator(comparator, table: comparator.table.gathering(l + r).withAddressBigrams(), saltMismatchDisagrees: true)
        let ln = l.count, rn = r.count
        let chunks = 64
        let perChunk = (randomPairs + chunks - 1) / chunks
        let seed = self.seed
        // Few records: every pair is compared once (the exact frequencies), rather than
        // drawing more random pairs than there are pairs.
        let allPairs = linking ? ln * rn : ln * (ln - 1) / 2
        let maps: [[UInt64: Int]]
        if allPairs <= randomPairs && ln + rn == (linking ? left.count + right.count : n) {
            maps = Parallel.mapChunks(count: ln, minimumChunk: 64) { range -> [UInt64: Int] in
                var c: [UInt64: Int] = [:]
                var scratch = KernelScratch()
                for i in range {
                    for j in (linking ? ln..<(ln + rn) : (i + 1)..<ln) {
                        c[sub.pattern(i, j, scratch: &scratch), default: 0] += 1
                    }
                }
                return c
            }
        } else {
            maps = Self.sampledPatterns(sub, linking: linking, ln: ln, rn: rn, chunks: chunks, perChunk: perChunk, seed: seed)
        }
        var total: [UInt64: Int] = [:]
        for m in maps { total.merge(m, uniquingKeysWith: +) }
        let sorted = total.keys.sorted()
        return PatternCounts(patterns: sorted, counts: sorted.map { total[$0]! })
    }

    /// u probabilities from the patterns of random pairs: each comparison's level frequencies
    /// over the pairs where it is not missing, shrunk toward ``ComparisonKind/priorU`` by
    /// 1,000 pseudo-pairs (the prior decides for a few dozen pairs, the data for millions).
    ///
    /// With `model` (trained with λ for a random pair, `possiblePairs` given), each random pair
    /// counts by its chance of being a non-match under that model. Random pairs include the
    /// few that are the same person (about one in a million between two registers of a
    /// city): for a level that different people almost never reach, such as equal ID
    /// numbers, one or two of them among two million pairs would otherwise decide u, and
    /// with it that agreement's weight, by the luck of the draw.
    ///
    /// ```swift
    /// let random = trainer.randomPatterns(comparator)
    /// let first = trainer.train(counts, comparisons: specs, u: trainer.u(from: random, comparisons: specs),
    ///                           rules: TrainingRule.defaults(for: specs), possiblePairs: n * (n - 1) / 2)
    /// let u = trainer.u(from: random, comparisons: specs, excluding: first)
    /// ```
    /// - Complexity: O(patterns × comparisons).
    public func u(from random: PatternCounts, comparisons specs: [ComparisonSpec], excluding model: FellegiSunterModel? = nil) -> [[Double]] {
        var weights = random.counts.map(Double.init)
        if let model {
            for k in random.patterns.indices {
                weights[k] *= 1 - model.probability(weight: model.weight(pattern: random.patterns[k]))
            }
        }
        return specs.indices.map { s in
            let levels = specs[s].kind.levelCount
            let prior = specs[s].kind.priorU
            let priorTotal = prior.dropFirst().reduce(0, +)
            var row = [Double](repeating: 0, count: levels)
            for (p, w) in zip(random.patterns, weights) { row[Comparator.level(p, s)] += w }
            let total = row.dropFirst().reduce(0, +)
            // The observed frequencies, shrunk toward the kind's prior by `priorPairs` pseudo-pairs:
            // with millions of random pairs the data decides; with a few dozen (two small files)
            // an exact ID agreement keeps the rarity it has among different people instead of
            // the 1-in-90 that 90 pairs can show.
            row[0] = 0
            for lv in 1..<levels {
                row[lv] = (row[lv] + Self.priorPairs * prior[lv] / priorTotal) / (total + Self.priorPairs)
            }
            return row
        }
    }

    /// The weight of ``ComparisonKind/priorU`` in the u estimates, in random pairs.
    static let priorPairs = 1_000.0

    /// Pattern counts of `chunks × perChunk` random pairs of `sub`'s records (`ln` on the
    /// left, `rn` after them when linking), each chunk with its own seeded generator.
    ///
    /// Pairs are drawn in runs of ``partnersPerDraw`` that share their first record, each
    /// with its own random partner: every pair is still a uniformly random pair of distinct
    /// records (of the two sides), so the level frequencies are unbiased, while the first
    /// record's values (its address's bigram set above all) are worked out once per run.
    static func sampledPatterns(_ sub: Comparator, linking: Bool, ln: Int, rn: Int, chunks: Int,
                                perChunk: Int, seed: UInt64) -> [[UInt64: Int]] {
        Parallel.map(chunks) { k in
            var rng = SeededGenerator(seed: StableHash.combine(seed, UInt64(k)))
            var c: [UInt64: Int] = [:]
            var scratch = KernelScratch()
            var drawn = 0
            while drawn < perChunk {
                let i = Int(rng.next() % UInt64(ln))
                let run = min(partnersPerDraw, perChunk - drawn)
                for _ in 0..<run {
                    let j: Int
                    if linking {
                        j = ln + Int(rng.next() % UInt64(rn))
                    } else {
                        var jj = Int(rng.next() % UInt64(ln - 1))
                        if jj >= i { jj += 1 }
                        j = jj
                    }
                    c[sub.pattern(i, j, scratch: &scratch), default: 0] += 1
                }
                drawn += run
            }
            return c
        }
    }

    /// Random partners drawn for each randomly drawn first record (see ``sampledCounts``).
    static let partnersPerDraw = 16

    /// Records sampled (per side when linking, half each) before random pairs are drawn.
    static let sampleRecords = 100_000

    /// `m` distinct elements of `all` chosen at random (Floyd's algorithm), in their order in
    /// `all`; all of them when there are no more than `m`.
    static func sample(_ all: [Int], _ m: Int, _ rng: inout SeededGenerator) -> [Int] {
        guard all.count > m else { return all }
        var chosen = Set<Int>(minimumCapacity: m)
        for j in (all.count - m)..<all.count {
            let t = Int(rng.next() % UInt64(j + 1))
            if !chosen.insert(t).inserted { chosen.insert(j) }
        }
        return chosen.sorted().map { all[$0] }
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
