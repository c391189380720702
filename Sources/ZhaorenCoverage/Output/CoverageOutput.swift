import Foundation
import Zhaoren
import ZhaorenSupport

/// Writes a ``CoverageResult`` into an output folder: `labels.csv`, `enterprise_labels.csv`,
/// `persons.csv`, `worklists/县-乡镇-村.csv` (the 《扩面人员明细表》), `summary.json`,
/// `report.html`, and with a previous run `changes.csv`. Every file is written atomically
/// (it appears complete or not at all).
///
/// ```swift
/// let written = try CoverageOutput(result).write(
///     to: URL(fileURLWithPath: "out"),
///     previous: URL(fileURLWithPath: "out-2026-03"),
///     targets: URL(fileURLWithPath: "targets.csv"))
/// print(written.files)                        // ["labels.csv", "enterprise_labels.csv", …]
/// print(written.summary.coverage.rate ?? 0)   // 0.912
/// ```
///
/// The files:
/// - `labels.csv`: `key,label`, one row per person and label, by key then label order.
/// - `enterprise_labels.csv`: `key,label,reason`, one row per enterprise and label (credit code
///   as key; reason such as `insured 3 of reported 8 (2 found by code, 1 by name)`).
/// - `enterprises.csv`: one row per enterprise: `key,name,in_registry,in_tax,reported_headcount,
///   insured_employees,insured_by_code,insured_by_name,labels,records`.
/// - `employers_unmatched.csv`: insurance accounts whose employer was not attributed, with the reason.
/// - `persons.csv`: one row per person: `key,name,sex,birth_date,age,county,township,village,grid,
///   hukou_county,hukou_township,hukou_village,area_from,labels,action,action_text,records,
///   link_confidence` (`labels` and `records` `;`-joined, unknown values empty; `area_from` is
///   `residence`, `registration`, `other_list`, `id_number` or `none`).
/// - `worklists/`: one CSV per village with people needing action (see ``Options/unmask``).
///
/// The folder is written as a unit (``OutputFolder``): an earlier run's worklists for villages
/// with no one left go with the earlier set, and a folder holding files Zhaoren did not write
/// (a worker's filled-in copy) is refused rather than replaced.
/// - `summary.json`: ``CoverageSummary``.
/// - `report.html`: one self-contained page (inline CSS and SVG, no script) with the summary.
/// - `changes.csv` (with ``Options/previous``): `key,label,change`, change ∈ `new`, `resolved`
///   (and `persisting` if ``Options/includePersisting``).
public struct CoverageOutput: Sendable {
    /// What to write besides the defaults.
    public struct Options: Sendable {
        /// Write full ID numbers and phones in the worklists, and full names and ID numbers in
        /// the report (masked by default: `640402********123X`, `138****8000`, `朱**`).
        public var unmask: Bool
        /// The output folder of a previous run, to write `changes.csv` and report progress.
        public var previous: URL?
        /// A targets table (任务分解表, `area,target`); needs ``previous``.
        public var targets: URL?
        /// Also write the `persisting` rows to `changes.csv` (they are always counted).
        public var includePersisting: Bool
        /// The worklists' file format: Excel workbooks to print (the default) or CSV.
        public var worklistFormat: WorklistFormat
        /// Workers' findings (核实情况) to print in the worklists, by person key
        /// (``CoveragePerson/key``), e.g. from a population base's notes.
        public var notes: [String: String] = [:]

        /// Options; the defaults write masked worklists as workbooks and no comparison.
        public init(unmask: Bool = false, previous: URL? = nil, targets: URL? = nil, includePersisting: Bool = false,
                    worklistFormat: WorklistFormat = .xlsx) {
            self.unmask = unmask
            self.previous = previous
            self.targets = targets
            self.includePersisting = includePersisting
            self.worklistFormat = worklistFormat
        }
    }

    /// How the worklists are written.
    public enum WorklistFormat: String, Sendable, CaseIterable {
        /// One Excel workbook per village: a sheet per grid, title, frozen header, text ID
        /// cells, bordered 核实情况 and 备注 columns, A4 landscape with the title on every page.
        case xlsx
        /// One UTF-8 CSV file (with BOM) per village.
        case csv
    }

    /// The result to write.
    public let result: CoverageResult

    /// Prepares to write `result`.
    public init(_ result: CoverageResult) {
        self.result = result
    }

    /// Writes every output into `folder` (created if needed); see ``write(to:options:)``.
    @discardableResult
    public func write(to folder: URL, unmask: Bool = false, previous: URL? = nil, targets: URL? = nil,
                      worklistFormat: WorklistFormat = .xlsx) throws(ZhaorenError) -> CoverageOutputSummary
    {
        try write(to: folder, options: Options(unmask: unmask, previous: previous, targets: targets, worklistFormat: worklistFormat))
    }

    /// Writes every output into `folder` as a unit (``OutputFolder``: the previous outputs
    /// there stay whole until the new ones replace them in one step) and returns what was
    /// written.
    ///
    /// The previous run and the targets are read before anything is written, so `previous`
    /// may be `folder` itself. Throws ``ZhaorenError`` (`.io`, `.malformedInput`,
    /// `.missingColumn`, `.invalidArgument` for targets without a previous run).
    @discardableResult
    public func write(to folder: URL, options: Options) throws(ZhaorenError) -> CoverageOutputSummary {
        try write(into: try OutputFolder(folder, expectedBytes: expectedBytes), options: options)
    }

    /// About how many bytes the outputs take (for the free-space check).
    var expectedBytes: Int { result.persons.count * 400 + result.enterprises.count * 100 }

    /// Writes every output into the staging folder of `out` (where a run may already have put
    /// `rejects.csv`) and commits it: the outputs appear together, replacing the previous set.
    ///
    /// ```swift
    /// let out = try OutputFolder(URL(fileURLWithPath: "out"))
    /// let result = try CoverageRun(settings: settings).run(rejects: out.file("rejects.csv"))
    /// try CoverageOutput(result).write(into: out, options: .init())
    /// ```
    /// - Complexity: O(n log n) for n persons (sorting only when the result is not sorted by
    ///   key, and within each worklist); O(n) otherwise.
    @discardableResult
    public func write(into out: OutputFolder, options: Options) throws(ZhaorenError) -> CoverageOutputSummary {
        let folder = out.staging
        if options.targets != nil && options.previous == nil {
            throw ZhaorenError(.invalidArgument, "progress against targets needs a previous run to compare with (--previous)")
        }
        var watch = Stopwatch()
        var timings: [StageTiming] = []
        func time(_ stage: String) { timings.append(StageTiming(stage: stage, seconds: watch.lap())) }

        let previous = try options.previous.map { (p) throws(ZhaorenError) in
            try CoverageChanges(previous: p, labelNames: result.labelNames)
        }
        let targets = try options.targets.map { (t) throws(ZhaorenError) in try CoverageTargets(contentsOf: t) }
        if previous != nil { time("read previous") }

        let tally = CoverageTally(result)
        time("tally")
        var files: [String] = []
        try writeLabels(to: folder.appendingPathComponent("labels.csv"), tally)
        files.append("labels.csv")
        try writeEnterpriseLabels(to: folder.appendingPathComponent("enterprise_labels.csv"))
        files.append("enterprise_labels.csv")
        try writeEnterprises(to: folder.appendingPathComponent("enterprises.csv"))
        files.append("enterprises.csv")
        try writeUnmatchedEmployers(to: folder.appendingPathComponent("employers_unmatched.csv"))
        files.append("employers_unmatched.csv")
        time("labels.csv")
        try writePersons(to: folder.appendingPathComponent("persons.csv"), tally)
        files.append("persons.csv")
        time("persons.csv")
        let worklists = try writeWorklists(to: folder.appendingPathComponent("worklists"), tally, unmask: options.unmask,
                                           format: options.worklistFormat, notes: options.notes)
        files += worklists.map { "worklists/" + $0.file }
        time("worklists")

        var changes: CoverageSummary.Changes?
        var progress: [CoverageSummary.TargetProgress]?
        if let previous {
            let changesFile = try CSVWriter(folder.appendingPathComponent("changes.csv"))
            let outcome = previous.compare(result, tally, writing: changesFile, includePersisting: options.includePersisting)
            try changesFile.commit()
            files.append("changes.csv")
            changes = outcome.changes
            progress = targets?.progress(enrolledByVillage: outcome.enrolledByVillage, villages: tally.villages)
            time("changes.csv")
        }

        let summary = CoverageSummary(result, tally, changes: changes, targets: progress)
        try AtomicFile.write(try summary.json(), to: folder.appendingPathComponent("summary.json"))
        files.append("summary.json")
        time("summary.json")
        var report = CoverageReport(result: result, summary: summary, unmask: options.unmask)
        report.worklists = Dictionary(worklists.map { ($0.village, $0.file) }, uniquingKeysWith: { a, _ in a })
        if !options.notes.isEmpty { report.notes = options.notes }
        let html = report.html()
        try AtomicFile.write(html, to: folder.appendingPathComponent("report.html"))
        files.append("report.html")
        time("report.html")
        try out.commit()
        return CoverageOutputSummary(folder: out.destination, files: files, worklists: worklists.count, summary: summary, timings: timings)
    }
}
