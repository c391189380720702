import Foundation
import Zhaoren
import ZhaorenSupport
import ZhaorenEvaluation
import ZhaorenSynth
import ZhaorenCoverage

extension BenchRun {
    /// What the coverage part of a run found.
    struct CoverageFigures {
        var seconds: Double
        var persons: Int
        var rate: Double?
        var personLabels: BenchLabels?
        var enterpriseLabels: BenchLabels?
        var areas: AreaEvaluation?
    }

    /// Runs the coverage workflow on the city's own `coverage.json`, writes its outputs and
    /// scores the labels against `truth/labels.csv` and `truth/enterprise_labels.csv`.
    func runCoverage(_ clock: inout BenchClock) throws(ZhaorenError) -> CoverageFigures {
        let out = outputFolder("coverage")
        let settings = try CoverageSettings.load(cityFolder.appendingPathComponent("coverage.json"))
        clock.begin()
        let started = MonotonicClock.seconds()
        let unit = try OutputFolder(out, expectedBytes: settings.inputBytes)
        let result = try CoverageRun(settings: settings).run(rejects: unit.file("rejects.csv"))
        let rowsRead = result.quality.rowsRead.values.reduce(0, +)
        let personRows = settings.sources.filter(\.kind.isPersonList).map { result.quality.rowsRead[$0.name] ?? 0 }.reduce(0, +)
        let rowsFor: [String: Int] = [
            "read": rowsRead, "link persons": personRows,
            "label persons": result.persons.count, "label enterprises": result.enterprises.count,
        ]
        clock.add("coverage", result.timings.map { (name: $0.stage, seconds: $0.seconds, rows: rowsFor[$0.stage] ?? rowsRead, pairs: nil) })
        clock.begin()
        let written = try CoverageOutput(result).write(into: unit, options: .init())
        clock.end("coverage", "write", rows: result.persons.count)
        let seconds = MonotonicClock.seconds() - started

        let truth = cityFolder.appendingPathComponent("truth")
        let persons = try LabelEvaluation(truth: truth.appendingPathComponent("labels.csv"),
                                          found: out.appendingPathComponent("labels.csv"))
        let enterprises = try LabelEvaluation(truth: truth.appendingPathComponent("enterprise_labels.csv"),
                                              found: out.appendingPathComponent("enterprise_labels.csv"))
        let areas = try AreaEvaluation(truth: truth.appendingPathComponent("persons.csv"), found: out.appendingPathComponent("persons.csv"))
        return CoverageFigures(seconds: seconds, persons: result.persons.count, rate: written.summary.coverage.rate,
                               personLabels: BenchLabels(persons, defined: Set(PersonLabel.allCases.map(\.rawValue))),
                               enterpriseLabels: BenchLabels(enterprises, defined: Set(EnterpriseLabel.allCases.map(\.rawValue))),
                               areas: areas)
    }
}

extension BenchLabels {
    /// The scores of a coverage ``LabelEvaluation``; labels outside `defined` are not scored.
    public init(_ evaluation: LabelEvaluation, defined: Set<String>? = nil) {
        self.init(evaluation.scores, defined: defined)
    }
}
