import Foundation
import ZhaorenBench
import Zhaoren
import ZhaorenSupport
import ZhaorenEvaluation
import ZhaorenSynth

extension DemoRun {
    /// Deduplicates the grid survey into `FOLDER/dedupe/` and links it to the police register
    /// into `FOLDER/link/`, and scores both against `truth/entities.csv`.
    func runEngine(_ report: inout DemoReport, progress: (@Sendable (String) -> Void)?) throws(ZhaorenError) {
        let survey = try CityLinkage.gridSurvey(in: folder), police = try CityLinkage.police(in: folder)
        let names: NameNormalizer
        do { names = try NameNormalizer() } catch { throw ZhaorenError(.icu, "\(error)") }
        let truth = try CityLinkage.truth(in: folder)
        for (job, what) in [("dedupe", "grid_survey"), ("link", "grid_survey → police")] {
            progress?("\(job): \(what)…")
            let started = MonotonicClock.seconds()
            // The engine's defaults, except that a small city samples fewer random pairs for
            // the u probabilities (at most 50 per record; 100,000 persons keep the default).
            var settings = LinkSettings()
            let records = report.files.filter { job == "dedupe" ? $0.file == .gridSurvey : $0.file == .gridSurvey || $0.file == .police }
                .map(\.rows).reduce(0, +)
            settings.randomPairs = min(settings.randomPairs, max(20_000, 50 * records))
            let pipeline = LinkPipeline(settings: settings, names: names) { event in progress?("\(job): \(event)") }
            let result = job == "dedupe" ? try pipeline.dedupe(survey) : try pipeline.link(survey, police)
            let out = folder.appendingPathComponent(job)
            let summary = try LinkOutputs.write(result, to: out)
            let linkage = DemoReport.Linkage(
                what: what, rows: result.recordCount, candidatePairs: result.candidateCount,
                acceptedPairs: summary.pairsAboveThreshold, clusters: summary.multiRecordClusters,
                seconds: MonotonicClock.seconds() - started, accuracy: CityLinkage.accuracy(result, truth: truth))
            if job == "dedupe" { report.dedupe = linkage } else { report.link = linkage }
            report.outputs += [
                .init(what: "\(job) pairs 匹配对 (with explanations)", path: out.appendingPathComponent("pairs.csv").path, files: nil),
                .init(what: "\(job) clusters 聚类", path: out.appendingPathComponent("clusters.csv").path, files: nil),
                .init(what: "\(job) summary 汇总 (JSON)", path: out.appendingPathComponent("summary.json").path, files: nil),
            ]
        }
    }
}
