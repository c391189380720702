import Foundation
import Testing
import ZhaorenTestSupport
@testable import Zhaoren
import ZhaorenSupport

@Suite struct FellegiSunterTests {
    static let specs = [
        ComparisonSpec(name: "name", kind: .chineseName),
        ComparisonSpec(name: "id", kind: .residentID),
        ComparisonSpec(name: "birth", kind: .birthDate),
        ComparisonSpec(name: "sex", kind: .sex),
    ]
    // True parameters (index 0 = missing, handled separately).
    static let trueM: [[Double]] = [
        [0, 0.02, 0.02, 0.04, 0.04, 0.08, 0.10, 0.70],
        [0, 0.01, 0.02, 0.07, 0.90],
        [0, 0.01, 0.02, 0.02, 0.05, 0.05, 0.85],
        [0, 0.05, 0.95],
    ]
    static let trueU: [[Double]] = [
        [0, 0.90, 0.06, 0.02, 0.005, 0.005, 0.005, 0.005],
        [0, 0.9, 0.098, 0.0015, 0.0005],
        [0, 0.75, 0.2, 0.03, 0.01, 0.005, 0.005],
        [0, 0.5, 0.5],
    ]

    static func draw(_ p: [Double], _ rng: inout SeededGenerator) -> Int {
        var x = Double(rng.next() >> 11) / Double(1 << 53)
        for l in 1..<p.count { x -= p[l]; if x < 0 { return l } }
        return p.count - 1
    }

    /// Patterns from a known mixture, with 10% of values missing.
    static func generated(pairs: Int, lambda: Double, seed: UInt64) -> [UInt64] {
        var rng = SeededGenerator(seed: seed)
        return (0..<pairs).map { _ in
            let match = Double(rng.next() >> 11) / Double(1 << 53) < lambda
            var p: UInt64 = 0
            for c in specs.indices {
                let missing = rng.next() % 10 == 0
                let l = missing ? 0 : draw(match ? trueM[c] : trueU[c], &rng)
                p |= UInt64(l) << UInt64(4 * c)
            }
            return p
        }
    }

    @Test func emRecoversKnownParameters() {
        let patterns = Self.generated(pairs: 400_000, lambda: 0.25, seed: 2024)
        let counts = PatternCounts(counting: patterns)
        #expect(counts.patterns.count < 2000)
        #expect(counts.counts.reduce(0, +) == 400_000)
        let trainer = FellegiSunterTrainer()
        let model = trainer.expectationMaximisation(counts, comparisons: Self.specs, u: Self.trueU)
        #expect(abs(model.lambda - 0.25) < 0.01)
        for c in Self.specs.indices {
            for l in 1..<Self.trueM[c].count {
                #expect(abs(model.m[c][l] - Self.trueM[c][l]) < 0.015, "m[\(c)][\(l)] = \(model.m[c][l])")
            }
        }
        #expect(model.converged)
    }

    @Test func patternCountsAreDeterministic() {
        let patterns = Self.generated(pairs: 100_000, lambda: 0.1, seed: 1)
        Parallel.threadOverride = 1
        let a = PatternCounts(counting: patterns)
        Parallel.threadOverride = 2
        let b = PatternCounts(counting: patterns)
        Parallel.threadOverride = nil
        #expect(a == b)
    }

    @Test func uFromRandomPairsMatchesValueFrequencies() throws {
        // Half the records are male: random pairs agree on sex about half the time.
        var rows: [(name: String?, n: NormalizedName?, id: String?, birth: CivilDate?, sex: Sex?, phone: String?, address: String?)] = []
        for k in 0..<2000 { rows.append((nil, nil, nil, nil, k % 2 == 0 ? .male : .female, nil, nil)) }
        let t = handTable(rows)
        let comparator = try Comparator(specs: [ComparisonSpec(name: "sex", kind: .sex)], table: t)
        let u = FellegiSunterTrainer(randomPairs: 200_000, seed: 3).estimateU(comparator)
        #expect(abs(u[0][2] - 0.5) < 0.01)
        Parallel.threadOverride = 1
        let again = FellegiSunterTrainer(randomPairs: 200_000, seed: 3).estimateU(comparator)
        Parallel.threadOverride = nil
        #expect(u == again)
    }

    @Test func randomPairsThatAreTheSamePersonDoNotDecideU() {
        // Two million random pairs of different people (drawn from the true u), plus the
        // two that happen to be the same person: they agree on everything.
        let specs = Self.specs
        let exactAll: UInt64 = 7 | 4 << 4 | 6 << 8 | 2 << 12
        var rng = SeededGenerator(seed: 11)
        var counts: [UInt64: Int] = [:]
        for _ in 0..<2_000_000 {
            var p: UInt64 = 0
            for c in specs.indices { p |= UInt64(Self.draw(Self.trueU[c], &rng)) << UInt64(4 * c) }
            // Equal ID numbers of different people are a data error: rarer than the table says.
            if Comparator.level(p, 1) == 4 { p &= ~(UInt64(0xF) << 4); p |= 1 << 4 }
            counts[p, default: 0] += 1
        }
        counts[exactAll, default: 0] += 2
        let keys = counts.keys.sorted()
        let random = PatternCounts(patterns: keys, counts: keys.map { counts[$0]! })
        let trainer = FellegiSunterTrainer()
        let plain = trainer.u(from: random, comparisons: specs)
        // Counted as they are, the two decide u for equal IDs: a thousand times the prior's share.
        let prior = 1_000 * ComparisonKind.residentID.priorU[4] / (1 - ComparisonKind.residentID.priorU[0])
        #expect(abs(plain[1][4] - (2 + prior) / 2_001_000) < 1e-12)
        // Weighed by their chance of being different people under a model of this city (one
        // match in a million random pairs), they hardly count: the prior decides again.
        let model = FellegiSunterModel(comparisons: specs, lambda: 1e-6, m: Self.trueM, u: plain)
        #expect(model.probability(weight: model.weight(pattern: exactAll)) > 0.999)
        let weighed = trainer.u(from: random, comparisons: specs, excluding: model)
        #expect(weighed[1][4] < plain[1][4] / 100)
        let stillSame = 2 * (1 - model.probability(weight: model.weight(pattern: exactAll)))
        #expect(abs(weighed[1][4] - (stillSame + prior) / 2_001_000) < 1e-13)
        // Levels common among different people keep their frequencies.
        #expect(abs(weighed[0][1] - plain[0][1]) < 1e-6)
        #expect(abs(weighed[3][2] - 0.5) < 0.002)
        for c in specs.indices { #expect(abs(weighed[c].dropFirst().reduce(0, +) - 1) < 1e-9) }
        // The trainer's two rounds use the weighed u.
        let candidates = PatternCounts(counting: Self.generated(pairs: 100_000, lambda: 0.5, seed: 5))
        let trained = trainer.train(candidates, comparisons: specs, random: random,
                                    rules: [], possiblePairs: 2_000_000_000_000)
        #expect(trained.u[1][4] < plain[1][4] / 100)
    }

    @Test func weightsProbabilitiesAndJSONRoundTrip() throws {
        let model = FellegiSunterModel(comparisons: Self.specs, lambda: 0.25, m: Self.trueM, u: Self.trueU)
        let exactAll: UInt64 = 7 | 4 << 4 | 6 << 8 | 2 << 12
        let w = model.weight(pattern: exactAll)
        let expected = log2(0.25 / 0.75) + log2(0.70 / 0.005) + log2(0.90 / 0.0005) + log2(0.85 / 0.005) + log2(0.95 / 0.5)
        #expect(abs(w - expected) < 1e-9)
        #expect(model.probability(weight: w) > 0.999)
        #expect(model.weight(pattern: 0) == model.priorWeight)   // all missing: the prior only
        let json = try JSONEncoder().encode(model)
        let back = try JSONDecoder().decode(FellegiSunterModel.self, from: json)
        #expect(back == model)
        #expect(abs(FellegiSunterModel.weight(probability: 0.5)) < 1e-12)
    }

    @Test func termFrequencyLowersCommonNames() throws {
        var rows: [(name: String?, n: NormalizedName?, id: String?, birth: CivilDate?, sex: Sex?, phone: String?, address: String?)] = []
        for _ in 0..<50 { rows.append(("王伟", NormalizedName(folded: "王伟", surnameLength: 1), nil, nil, nil, nil, nil)) }
        rows.append(("欧阳娜娜", NormalizedName(folded: "欧阳娜娜", surnameLength: 2), nil, nil, nil, nil, nil))
        rows.append(("欧阳娜娜", NormalizedName(folded: "欧阳娜娜", surnameLength: 2), nil, nil, nil, nil, nil))
        for k in 0..<948 { rows.append(("某\(k)", NormalizedName(folded: "某\(k)", surnameLength: 1), nil, nil, nil, nil, nil)) }
        let t = handTable(rows)
        let specs = [ComparisonSpec(name: "name", kind: .chineseName, termFrequency: true)]
        let comparator = try Comparator(specs: specs, table: t)
        let model = FellegiSunterModel(comparisons: specs, lambda: 0.1, m: [Self.trueM[0]], u: [Self.trueU[0]])
        let scorer = PairScorer(model: model, comparator: comparator)
        var s = KernelScratch()
        let common = scorer.contribution(0, pattern: comparator.pattern(0, 1, scratch: &s), 0, 1)
        let rare = scorer.contribution(0, pattern: comparator.pattern(50, 51, scratch: &s), 50, 51)
        let plain = model.weight(0, level: 7)
        #expect(common < plain)
        #expect(rare > plain)
        // 王伟 is 50 of 1,000 records: 49 others share it with either of the pair, so
        // log2(0.005 / 0.049) below the plain weight; 欧阳娜娜 is held by the pair alone: one other.
        #expect(abs(common - (plain + log2(0.005 / 0.049))) < 1e-9)
        #expect(abs(rare - (plain + min(2, log2(0.005 / 0.001)))) < 1e-9)
    }
}
