import Foundation
import ZhaorenBench
import Zhaoren
import ZhaorenSupport
import ZhaorenEvaluation
import ZhaorenSynth
import ZhaorenCoverage

/// `zhaoren demo` as a library call: generates a synthetic city into a folder, runs the most
/// complete workflow Zhaoren has on it (the 数据找人 coverage workflow, deduplication of the
/// grid survey and linking it to the police register), scores
/// every result against the city's truth and says where every output lies.
///
/// ```swift
/// let report = try DemoRun(folder: URL(fileURLWithPath: "demo-city"), persons: 100_000).run()
/// print(report.text)                     // what was done, the accuracy, the outputs
/// report.outputs.first?.path             // "demo-city/coverage/report.html"
/// ```
/// - Complexity: O(rows) for the city and the coverage workflow, plus O(candidate pairs) for
///   the engine; 5–12 s for 100,000 persons in a release build on 2 cores.
public struct DemoRun: Sendable {
    /// Where the city and the outputs go (created if needed; files of an earlier demo are replaced).
    public var folder: URL
    /// Hidden persons of the city.
    public var persons: Int
    /// The generator's seed.
    public var seed: UInt64
    /// The layout of the city's files (real exports' by default).
    public var shape: CityShape = .real

    /// Prepares a demo; nothing is written until ``run(progress:)``.
    public init(folder: URL, persons: Int = 100_000, seed: UInt64 = 1) {
        self.folder = folder
        self.persons = persons
        self.seed = seed
    }

    /// Runs the demo.
    /// - Parameter progress: called with a short line per step, for stderr.
    /// - Throws: ``ZhaorenError`` when a file cannot be written or read back.
    public func run(progress: (@Sendable (String) -> Void)? = nil) throws(ZhaorenError) -> DemoReport {
        guard persons >= 1 else { throw ZhaorenError(.invalidArgument, "persons must be at least 1") }
        let start = MonotonicClock.seconds()
        var report = DemoReport(folder: folder, persons: persons, seed: seed)

        // 1. The city.
        progress?("generating a city of \(persons) persons (seed \(seed)) into \(folder.path)…")
        let summary: CitySummary
        do {
            let city = try SyntheticCity(CityConfig(persons: persons, seed: seed, shape: shape))
            summary = try CityFolder.write(city, to: folder)
            report.enterprisesGenerated = city.enterpriseCount
        }
        report.files = CityFile.allCases.map { DemoReport.FileRows(file: $0, name: $0.fileName(in: summary.shape), rows: summary.rows[$0] ?? 0, gb18030: summary.gb18030.contains($0)) }
        report.generateSeconds = MonotonicClock.seconds() - start
        progress?(String(format: "generated %d rows in %.1f s", summary.totalRows, report.generateSeconds))

        // 2. The coverage workflow.
        try runCoverage(&report, progress: progress)

        // 3. The engine: dedupe and link.
        try runEngine(&report, progress: progress)

        report.outputs.append(.init(what: "department files 部门数据 (the input)", path: folder.path + "/", files: summary.rows.count))
        report.outputs.append(.init(what: "truth 真值 (what the generator knows)", path: folder.appendingPathComponent("truth").path + "/", files: nil))
        report.totalSeconds = MonotonicClock.seconds() - start
        return report
    }

    /// Runs the coverage workflow on the city's own `coverage.json` into `FOLDER/coverage/`.
    func runCoverage(_ report: inout DemoReport, progress: (@Sendable (String) -> Void)?) throws(ZhaorenError) {
        let started = MonotonicClock.seconds()
        let out = folder.appendingPathComponent("coverage")
        progress?("coverage: building the population base, linking every list, labelling…")
        let settings = try CoverageSettings.load(folder.appendingPathComponent("coverage.json"))
        let unit = try OutputFolder(out, expectedBytes: settings.inputBytes)
        let result = try CoverageRun(settings: settings).run(rejects: unit.file("rejects.csv")) { line in
            progress?("coverage: " + line)
        }
        let written = try CoverageOutput(result).write(into: unit, options: .init())
        report.coverageSeconds = MonotonicClock.seconds() - started
        let s = written.summary
        report.rowsRead = s.quality.rowsRead.values.reduce(0, +)
        report.rowsRejected = s.quality.rejectedTotal
        report.basePersons = s.persons
        report.needingAction = s.personsNeedingAction
        report.coverage = s.coverage
        report.labelCounts = result.labelNames.compactMap { name in s.labels[name].map { DemoReport.LabelCount(label: name, count: $0) } }
        report.topActions = result.actions.compactMap { a in s.actions[a.name].map { DemoReport.ActionCount(action: a, count: $0) } }
            .sorted { $0.count > $1.count }
        report.enterprises = s.enterprises.count
        report.enterpriseLabelCounts = result.enterpriseLabelNames.compactMap { name in s.enterprises.labels[name].map { DemoReport.LabelCount(label: name, count: $0) } }

        let truth = folder.appendingPathComponent("truth")
        report.personLabels = BenchLabels(try LabelEvaluation(truth: truth.appendingPathComponent("labels.csv"),
                                                              found: out.appendingPathComponent("labels.csv")),
                                          defined: Set(PersonLabel.allCases.map(\.rawValue)))
        report.enterpriseLabels = BenchLabels(try LabelEvaluation(truth: truth.appendingPathComponent("enterprise_labels.csv"),
                                                                  found: out.appendingPathComponent("enterprise_labels.csv")),
                                              defined: Set(EnterpriseLabel.allCases.map(\.rawValue)))
        report.areas = try AreaEvaluation(truth: truth.appendingPathComponent("persons.csv"), found: out.appendingPathComponent("persons.csv"))
        func path(_ name: String) -> String { out.appendingPathComponent(name).path }
        report.outputs += [
            .init(what: "report 报告 (open in a browser)", path: path("report.html"), files: nil),
            .init(what: "worklists 扩面人员明细表 (one per village)", path: path("worklists") + "/", files: written.worklists),
            .init(what: "persons 人员信息 (labels, action, linked rows)", path: path("persons.csv"), files: nil),
            .init(what: "person labels 人员标签", path: path("labels.csv"), files: nil),
            .init(what: "enterprise labels 企业标签", path: path("enterprise_labels.csv"), files: nil),
            .init(what: "summary 汇总 (JSON)", path: path("summary.json"), files: nil),
            .init(what: "rejected rows 无法读取的行", path: path("rejects.csv"), files: nil),
        ]
    }
}
