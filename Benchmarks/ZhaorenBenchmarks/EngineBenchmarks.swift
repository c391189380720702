import Benchmark
import Foundation
import Zhaoren
import ZhaorenEvaluation
import ZhaorenSynth

/// A synthetic city written once per run (`ZHAOREN_ENGINE_PERSONS`, default 100,000 people),
/// with the survey's columns and the truth for the accuracy checks; and, in a real-shaped city
/// of the same size, the stacked population file (police register, grid survey and insurance
/// accounts in one file, about 2.6 rows per person) with its truth.
private enum EngineFixture {
    static let persons = ProcessInfo.processInfo.environment["ZHAOREN_ENGINE_PERSONS"].flatMap(Int.init) ?? 100_000
    static let folder: URL = {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("zhaoren-bench-engine-\(getpid())")
        _ = try! SyntheticCity(CityConfig(persons: persons, seed: 2026)).write(to: url)
        return url
    }()
    static let survey = try! RecordSource(path: folder.appendingPathComponent("grid_survey.csv").path,
                                          columns: "name=姓名,id=证件号码,sex=性别,birth=出生日期,phone=联系电话,address=现居住地址,area=所属网格")
    static let police = try! RecordSource(path: folder.appendingPathComponent("police.csv").path,
                                          columns: "name=姓名,id=公民身份号码,sex=性别,birth=出生日期,address=户籍地址")
    static let truth = try! GroundTruth.load(folder.appendingPathComponent("truth/entities.csv"))
    static let names = try! NameNormalizer()

    static let realFolder: URL = {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("zhaoren-bench-stacked-\(getpid())")
        _ = try! SyntheticCity(CityConfig(persons: persons, seed: 2026, shape: .real)).write(to: url)
        try! StackedPopulation.write(city: url)
        return url
    }()
    static let stacked = try! RecordSource(path: realFolder.appendingPathComponent(StackedPopulation.fileName).path,
                                           columns: StackedPopulation.columns)
    static let stackedTruth = try! GroundTruth.load(realFolder.appendingPathComponent(StackedPopulation.truthPath))

    static func f1(_ r: LinkResult, cross: Bool, truth: GroundTruth = truth) -> Double {
        var t = truth
        let ids = r.table.sources.map { t.sourceID($0) }
        func key(_ s: SourceRow) -> UInt64 { t.key(source: s.source, row: s.row)! }
        let pairs = (0..<r.pairCount).map { k -> (UInt64, UInt64) in let p = r.pair(k); return (key(p.first), key(p.second)) }
        return Evaluation.pairs(pairs, truth: t, sources: Set(ids), crossSourceOnly: cross).f1
    }
}

/// The engine: string kernels, and dedupe / link end to end (read to last file written).
func engineBenchmarks() {
    let names: [[UInt32]] = ["张伟", "章伟", "欧阳娜娜", "买买提·吐尔逊", "王秀英", "王秀兰", "jonathan smythe", "john smith"]
        .map { $0.unicodeScalars.map(\.value) }
    Benchmark("Engine.kernels.jaroWinkler", configuration: .init(scalingFactor: .kilo)) { benchmark in
        var scratch = KernelScratch()
        var total = 0.0
        for _ in benchmark.scaledIterations {
            for a in names { for b in names { total += JaroWinkler.similarity(a, b, scratch: &scratch) } }
        }
        precondition(total > 0)
        blackHole(total)
    }
    Benchmark("Engine.kernels.levenshtein", configuration: .init(scalingFactor: .kilo)) { benchmark in
        var scratch = KernelScratch()
        var total = 0
        for _ in benchmark.scaledIterations {
            for a in names { for b in names { total += Levenshtein.distance(a, b, scratch: &scratch) } }
        }
        precondition(total > 0)
        blackHole(total)
    }
    // End to end, read to last file written; the city and the name tables are made in setup.
    let endToEnd = Benchmark.Configuration(metrics: [.wallClock, .peakMemoryResident], maxDuration: .seconds(120), maxIterations: 3)
    Benchmark("Engine.dedupe.survey", configuration: endToEnd, closure: { benchmark in
        let out = EngineFixture.folder.appendingPathComponent("out-dedupe")
        for _ in benchmark.scaledIterations {
            let result = try LinkPipeline(settings: LinkSettings(), names: EngineFixture.names).dedupe(EngineFixture.survey)
            try LinkOutputs.write(result, to: out)
            precondition(EngineFixture.f1(result, cross: false) >= 0.99, "dedupe F1 fell below 0.99")
            blackHole(result.accepted.count)
        }
    }, setup: { _ = EngineFixture.survey; _ = EngineFixture.names; _ = EngineFixture.truth })
    // The work a data center does first: one population file stacked from three registers, many
    // duplicates per person. Clusters only, what a batch job keeps.
    Benchmark("Engine.dedupe.stacked", configuration: endToEnd, closure: { benchmark in
        let out = EngineFixture.realFolder.appendingPathComponent("out-stacked")
        for _ in benchmark.scaledIterations {
            let result = try LinkPipeline(settings: LinkSettings(), names: EngineFixture.names).dedupe(EngineFixture.stacked)
            try LinkOutputs.write(result, to: out, files: [.clusters])
            precondition(EngineFixture.f1(result, cross: false, truth: EngineFixture.stackedTruth) >= 0.99, "stacked dedupe F1 fell below 0.99")
            blackHole(result.accepted.count)
        }
    }, setup: { _ = EngineFixture.stacked; _ = EngineFixture.names; _ = EngineFixture.stackedTruth })
    Benchmark("Engine.link.policeSurvey", configuration: endToEnd, closure: { benchmark in
        let out = EngineFixture.folder.appendingPathComponent("out-link")
        for _ in benchmark.scaledIterations {
            let result = try LinkPipeline(settings: LinkSettings(), names: EngineFixture.names).link(EngineFixture.police, EngineFixture.survey)
            try LinkOutputs.write(result, to: out)
            precondition(EngineFixture.f1(result, cross: true) >= 0.99, "link F1 fell below 0.99")
            blackHole(result.accepted.count)
        }
    }, setup: { _ = EngineFixture.police; _ = EngineFixture.names; _ = EngineFixture.truth })
}
