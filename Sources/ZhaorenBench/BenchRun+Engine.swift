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
    }

    /// Deduplicates the grid survey, then links it to the police register, each with the
    /// engine's default settings; times every stage and scores the clusters against
    /// `truth/entities.csv`.
    func runEngine(_ clock: inout BenchClock) throws(ZhaorenError) -> EngineFigures {
        let survey = try CityLinkage.gridSurvey(in: cityFolder), police = try CityLinkage.police(in: cityFolder)
        clock.begin()
        let names: NameNormalizer
        do { names = try NameNormalizer() } catch { throw ZhaorenError(.icu, "\(error)") }
        clock.end("engine", "name tables", rows: 0)
        let dedupe = try engineStages("dedupe", &clock) { () throws(ZhaorenError) in try LinkPipeline(settings: linkSettings, names: names).dedupe(survey) }
        let truth = try CityLinkage.truth(in: cityFolder)
        let dedupeAccuracy = CityLinkage.accuracy(dedupe, truth: truth)
        let link = try engineStages("link", &clock) { () throws(ZhaorenError) in try LinkPipeline(settings: linkSettings, names: names).link(survey, police) }
        return EngineFigures(dedupe: dedupeAccuracy, link: CityLinkage.accuracy(link, truth: truth))
    }

    /// Runs one engine job and writes its outputs, recording its stages.
    private func engineStages(_ workflow: String, _ clock: inout BenchClock,
                              _ job: () throws(ZhaorenError) -> LinkResult) throws(ZhaorenError) -> LinkResult {
        clock.begin()
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
        try LinkOutputs.write(result, to: outputFolder(workflow))
        clock.end(workflow, "write", rows: records)
        return result
    }
}
