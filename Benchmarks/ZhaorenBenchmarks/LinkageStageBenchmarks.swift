import Benchmark
import Foundation
import Zhaoren
import ZhaorenSynth
import ZhaorenSupport

/// The stages of linkage one by one: comparison kernels on Chinese and on Latin names (pairs/s),
/// blocking, EM over pattern counts and union-find, each on generated data made in setup.
private enum StageFixture {
    /// 4,096 pairs of generated Chinese names: half with one character changed (typo-like).
    static let chinesePairs: [([UInt32], [UInt32])] = {
        let surnames = Array("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗欧阳")
        let given = Array("伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂梓涵浩宇")
        var rng = SeededGenerator(seed: 7)
        return (0..<4096).map { k in
            var a: [Character] = [surnames[Int(rng.next() % UInt64(surnames.count))]]
            for _ in 0..<(1 + Int(rng.next() % 2)) { a.append(given[Int(rng.next() % UInt64(given.count))]) }
            var b = a
            if k % 2 == 0 { b[b.count - 1] = given[Int(rng.next() % UInt64(given.count))] }
            return (String(a).unicodeScalars.map(\.value), String(b).unicodeScalars.map(\.value))
        }
    }()
    /// 4,096 pairs of generated Latin names with a transposition in half of them.
    static let latinPairs: [([UInt32], [UInt32])] = {
        let first = ["john", "mary", "jonathan", "elizabeth", "michael", "sarah", "william", "patricia", "robert", "jennifer"]
        let last = ["smith", "johnson", "williams", "brown", "jones", "garcia", "miller", "davis", "rodriguez", "oneil"]
        var rng = SeededGenerator(seed: 11)
        return (0..<4096).map { k in
            let a = first[Int(rng.next() % 10)] + " " + last[Int(rng.next() % 10)]
            var b = Array(a)
            if k % 2 == 0 { let i = Int(rng.next() % UInt64(b.count - 1)); b.swapAt(i, i + 1) }
            return (a.unicodeScalars.map(\.value), String(b).unicodeScalars.map(\.value))
        }
    }()

    /// A generated grid survey loaded into records (20,000 persons).
    static let loaded: RecordLoader.Loaded = {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("zhaoren-bench-stages-\(getpid())")
        _ = try! SyntheticCity(CityConfig(persons: 20_000, seed: 3)).write(to: url)
        let survey = try! RecordSource(path: url.appendingPathComponent("grid_survey.csv").path,
                                       columns: "name=姓名,id=证件号码,sex=性别,birth=出生日期,phone=联系电话,address=现居住地址")
        return try! RecordLoader().load([survey])
    }()
}


func linkageStageBenchmarks() {
    // Each iteration compares 4,096 pairs; throughput × 4,096 = pairs per second.
    for (script, pairs) in [("chinese", { StageFixture.chinesePairs }), ("latin", { StageFixture.latinPairs })] {
        Benchmark("Kernels.\(script).jaroWinkler") { benchmark in
            let p = pairs()
            var scratch = KernelScratch(), total = 0.0
            for _ in benchmark.scaledIterations { for (a, b) in p { total += JaroWinkler.similarity(a, b, scratch: &scratch) } }
            precondition(total > Double(p.count) * 0.5, "similar names must mostly score above 0.5")
            blackHole(total)
        }
        Benchmark("Kernels.\(script).levenshtein") { benchmark in
            let p = pairs()
            var scratch = KernelScratch(), total = 0
            for _ in benchmark.scaledIterations { for (a, b) in p { total += Levenshtein.distance(a, b, scratch: &scratch) } }
            precondition(total > 0 && total <= benchmark.scaledIterations.count * p.count * 2, "at most two edits per pair")
            blackHole(total)
        }
        Benchmark("Kernels.\(script).osa") { benchmark in
            let p = pairs()
            var scratch = KernelScratch(), total = 0
            for _ in benchmark.scaledIterations { for (a, b) in p { total += OptimalStringAlignment.distance(a, b, scratch: &scratch) } }
            precondition(total > 0 && total <= benchmark.scaledIterations.count * p.count, "one edit or transposition per pair")
            blackHole(total)
        }
    }
    let slow = Benchmark.Configuration(metrics: [.wallClock, .throughput, .mallocCountTotal], maxDuration: .seconds(10), maxIterations: 20)
    Benchmark("Stages.blocking", configuration: slow, closure: { benchmark in
        let table = StageFixture.loaded.table
        let rules = BlockingRule.defaults(for: StageFixture.loaded.roles)
        for _ in benchmark.scaledIterations {
            let (candidates, _) = Blocker(rules: rules, side: nil).candidates(table)
            precondition(candidates.count > 100, "the survey has duplicates to find")
            blackHole(candidates.count)
        }
    }, setup: { _ = StageFixture.loaded })
    Benchmark("Stages.em", configuration: slow) { benchmark in
        // 5,000 distinct patterns of four comparisons over 3 levels each, with skewed counts.
        let specs = [ComparisonSpec(name: "name", kind: .chineseName), ComparisonSpec(name: "id", kind: .residentID),
                     ComparisonSpec(name: "birth", kind: .birthDate), ComparisonSpec(name: "sex", kind: .sex)]
        var rng = SeededGenerator(seed: 5)
        var patterns: [UInt64] = [], counts: [Int] = []
        for _ in 0..<5_000 {
            var p: UInt64 = 0
            for (c, s) in specs.enumerated() { p |= UInt64(1 + Int(rng.next() % UInt64(s.kind.levelCount - 1))) << UInt64(4 * c) }
            patterns.append(p)
            counts.append(1 + Int(rng.next() % 1_000))
        }
        let data = PatternCounts(patterns: patterns, counts: counts)
        let u = specs.map { s in (0..<s.kind.levelCount).map { $0 == 0 ? 0 : 1 / Double(s.kind.levelCount - 1) } }
        for _ in benchmark.scaledIterations {
            let model = FellegiSunterTrainer().expectationMaximisation(data, comparisons: specs, u: u)
            precondition(model.lambda > 0 && model.lambda < 1, "λ is a probability")
            blackHole(model.lambda)
        }
    }
    Benchmark("Stages.unionFind", configuration: slow) { benchmark in
        // 1,000,000 elements, 600,000 random unions, then every root.
        var rng = SeededGenerator(seed: 9)
        let edges = (0..<600_000).map { _ in (UInt32(rng.next() % 1_000_000), UInt32(rng.next() % 1_000_000)) }
        for _ in benchmark.scaledIterations {
            var uf = UnionFind(count: 1_000_000)
            for (a, b) in edges { _ = uf.union(a, b) }
            let roots = uf.roots()
            precondition(roots.count == 1_000_000 && Set(roots).count < 1_000_000, "unions merge elements")
            blackHole(roots.count)
        }
    }
}
