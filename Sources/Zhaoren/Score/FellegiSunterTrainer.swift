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
    /// - Complexity: O(min(randomPairs, all pairs)) comparisons, in parallel chunks with their
    ///   own generators.
    public func estimateU(_ comparator: Comparator, side: [UInt8]? = nil) -> [[Double]] {
        let n = comparator.table.count
        let specs = comparator.specs
        guard n >= 2 else { return specs.map { s in (0..<s.kind.levelCount).map { $0 == 0 ? 0 : 1 / Double(s.kind.levelCount - 1) } } }
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
        let sub = Comparator(comparator, table: comparator.table.gathering(l + r), saltMismatchDisagrees: true)
        let ln = l.count, rn = r.count
        let chunks = 64
        let perChunk = (randomPairs + chunks - 1) / chunks
        let seed = self.seed
        // Few records: every pair is compared once (the exact frequencies), rather than
        // drawing more random pairs than there are pairs.
        let allPairs = linking ? ln * rn : ln * (ln - 1) / 2
        let counts: [[Int]]
        if allPairs <= randomPairs && ln + rn == (linking ? left.count + right.count : n) {
            counts = Parallel.mapChunks(count: ln, minimumChunk: 64) { range -> [Int] in
                var c = [Int](repeating: 0, count: specs.count * 16)
                var scratch = KernelScratch()
                for i in range {
                    for j in (linking ? ln..<(ln + rn) : (i + 1)..<ln) {
                        let p = sub.pattern(i, j, scratch: &scratch)
                        for s in 0..<specs.count { c[s * 16 + Comparator.level(p, s)] += 1 }
                    }
                }
                return c
            }
        } else {
            counts = Self.sampledCounts(sub, specs: specs, linking: linking, ln: ln, rn: rn, chunks: chunks, perChunk: perChunk, seed: seed)
        }
        return specs.indices.map { s in
            let levels = specs[s].kind.levelCount
            let prior = specs[s].kind.priorU
            let priorTotal = prior.dropFirst().reduce(0, +)
            var total = 0
            var row = [Double](repeating: 0, count: levels)
            for lv in 1..<levels { for c in counts { row[lv] += Double(c[s * 16 + lv]) }; total += Int(row[lv]) }
            // The observed frequencies, shrunk toward the kind's prior by `priorPairs` pseudo-pairs:
            // with millions of random pairs the data decides; with a few dozen (two small files)
            // an exact ID agreement keeps the rarity it has among different people instead of
            // the 1-in-90 that 90 pairs can show.
            for lv in 1..<levels {
                row[lv] = (row[lv] + Self.priorPairs * prior[lv] / priorTotal) / (Double(total) + Self.priorPairs)
            }
            return row
        }
    }

    /// The weight of ``ComparisonKind/priorU`` in the u estimates, in random pairs.
    static let priorPairs = 1_000.0

    /// Level counts of `chunks × perChunk` random pairs of `sub`'s records (`ln` on the left,
    /// `rn` after them when linking), each chunk with its own seeded generator.
    static func sampledCounts(_ sub: Comparator, specs: [ComparisonSpec], linking: Bool, ln: Int, rn: Int, chunks: Int,
                              perChunk: Int, seed: UInt64) -> [[Int]] {
        Parallel.map(chunks) { k in
            var rng = SeededGenerator(seed: StableHash.combine(seed, UInt64(k)))
            var c = [Int](repeating: 0, count: specs.count * 16)
            var scratch = KernelScratch()
            for _ in 0..<perChunk {
                let i: Int, j: Int
                if linking {
                    i = Int(rng.next() % UInt64(ln))
                    j = ln + Int(rng.next() % UInt64(rn))
                } else {
                    i = Int(rng.next() % UInt64(ln))
                    var jj = Int(rng.next() % UInt64(ln - 1))
                    if jj >= i { jj += 1 }
                    j = jj
                }
                let p = sub.pattern(i, j, scratch: &scratch)
                for s in 0..<specs.count { c[s * 16 + Comparator.level(p, s)] += 1 }
            }
            return c
        }
    }

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
