import Foundation
import Zhaoren
import ZhaorenSupport
import ZhaorenEvaluation
import ZhaorenSynth

extension BenchRun {
    /// What the engine part of a run found.
    struct EngineFigures {
        var dedupe: BenchPairwise?
        var link: BenchPairwise?
        var stacked: BenchPairwise?
        var jobs: [BenchEngineJob] = []
    }

    /// Deduplicates the grid survey, links it to the police register, and deduplicates the
    /// stacked population file (written into the city first, untimed), each with the engine's
    /// default settings; times every stage and scores the clusters against the truth.
    func runEngine(_ clock: inout BenchClock) throws(ZhaorenError) -> EngineFigures {
        let survey = try CityLinkage.gridSurvey(in: cityFolder), police = try CityLinkage.police(in: cityFolder)
        clock.begin()
        let names: NameNormalizer
        do { names = try NameNormalizer() } catch { throw ZhaorenError(.icu, "\(error)") }
        clock.end("engine", "name tables", rows: 0)
        var figures = EngineFigures()
        let truth = try CityLinkage.truth(in: cityFolder)
        do {
            let dedupe = try engineStages("dedupe", &clock, &figures.jobs) { () throws(ZhaorenError) in
                try LinkPipeline(settings: linkSettings, names: names).dedupe(survey)
            }
            figures.dedupe = CityLinkage.accuracy(dedupe, truth: truth)
        }
        do {
            let link = try engineStages("link", &clock, &figures.jobs) { () throws(ZhaorenError) in
                try LinkPipeline(settings: linkSettings, names: names).link(survey, police)
            }
            figures.link = CityLinkage.accuracy(link, truth: truth)
        }
        if stacked {
            let population = try CityLinkage.stackedPopulation(in: cityFolder)
            let stackedTruth = try GroundTruth.load(cityFolder.appendingPathComponent(StackedPopulation.truthPath))
            let result = try engineStages("stacked", &clock, &figures.jobs) { () throws(ZhaorenError) in
                try LinkPipeline(settings: linkSettings, names: names).dedupe(population)
            }
            figures.stacked = CityLinkage.accuracy(result, truth: stackedTruth)
        }
        return figures
    }

    /// Runs one engine job and writes its outputs, recording its stages.
    private func engineStages(_ workflow: String, _ clock: inout BenchClock, _ jobs: inout [BenchEngineJob],
                              _ job: () throws(ZhaorenError) -> LinkResult) throws(ZhaorenError) -> LinkResult {
        clock.begin()
        let start = MonotonicClock.seconds()
        let result = try job()
        let records = result.recordCount, pairs = result.candidateCount
        clock.add(workflow, result.timings.map { t in
            switch t.stage {
            case "blocking": (name: t.stage, seconds: t.seconds, rows: records, pairs: pairs)
            case "compare", "train", "score": (name: t.stage, seconds: t.seconds, rows: pairs, pairs: pairs)
            default: (name: t.stage, seconds: t.seconds, rows: records, pairs: nil)
            }
        })
        clock.begin()
        try LinkOutputs.write(result, to: outputFolder(workflow), files: outputFiles)
        clock.end(workflow, "write", rows: records)
        jobs.append(BenchEngineJob(job: workflow, records: records, candidatePairs: pairs, seconds: MonotonicClock.seconds() - start,
                                   cores: Parallel.threadCount))
        return result
    }
}
