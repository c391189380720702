import Benchmark
import Foundation
import Zhaoren
import ZhaorenEvaluation
import ZhaorenSynth

/// English-language person records written once per run (`ZHAOREN_ENGLISH_PERSONS`, default
/// 70,000 persons: about 100,000 rows in people.csv), with the truth for the accuracy check.
private enum EnglishFixture {
    static let persons = ProcessInfo.processInfo.environment["ZHAOREN_ENGLISH_PERSONS"].flatMap(Int.init) ?? 70_000
    static let folder: URL = {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("zhaoren-bench-english-\(getpid())")
        _ = try! EnglishRecords(EnglishConfig(persons: persons, seed: 2026)).write(to: url)
        return url
    }()
    static let people = try! RecordSource(path: folder.appendingPathComponent("people.csv").path, columns: EnglishRecords.columns)
    static let truth = try! GroundTruth.load(folder.appendingPathComponent("truth/entities.csv"))
    static let names = try! NameNormalizer()

    static func f1(_ r: LinkResult) -> Double {
        var t = truth
        let ids = r.table.sources.map { t.sourceID($0) }
        func key(_ s: SourceRow) -> UInt64 { t.key(source: s.source, row: s.row)! }
        let pairs = (0..<r.pairCount).map { k -> (UInt64, UInt64) in let p = r.pair(k); return (key(p.first), key(p.second)) }
        return Evaluation.pairs(pairs, truth: t, sources: Set(ids), crossSourceOnly: false).f1
    }
}

/// The engine on English-language records (Latin names split into given name and surname).
func englishBenchmarks() {
    let endToEnd = Benchmark.Configuration(metrics: [.wallClock, .peakMemoryResident], maxDuration: .seconds(120), maxIterations: 3)
    Benchmark("Engine.english.dedupe", configuration: endToEnd, closure: { benchmark in
        let out = EnglishFixture.folder.appendingPathComponent("out-dedupe")
        for _ in benchmark.scaledIterations {
            let result = try LinkPipeline(settings: LinkSettings(), names: EnglishFixture.names).dedupe(EnglishFixture.people)
            try LinkOutputs.write(result, to: out)
            precondition(EnglishFixture.f1(result) >= 0.98, "English dedupe F1 fell below 0.98")
            blackHole(result.accepted.count)
        }
    }, setup: { _ = EnglishFixture.people; _ = EnglishFixture.names; _ = EnglishFixture.truth })
}
