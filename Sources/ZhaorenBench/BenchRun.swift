import Dispatch
import Foundation
import Zhaoren
import ZhaorenEvaluation
import ZhaorenSynth
import ZhaorenCoverage
import ZhaorenSupport

/// An end-to-end benchmark on one generated city: generate it, run every workflow on it in
/// this process, time each stage, read the memory peaks, and score every result against the
/// city's truth.
///
/// The stages, in order: `generate` (the hidden population, then the department files),
/// `coverage` (read, link persons, label persons, label enterprises, write), `engine` (the name
/// tables, once), `dedupe` of the grid survey and `link` of the grid survey to the police
/// register, `stacked`: deduplicating the police register, grid survey and insurance accounts
/// stacked in one file (read_normalize, blocking, compare, train, score, cluster, write).
///
/// ```swift
/// let run = BenchRun(persons: 10_000, seed: 1, folder: URL(fileURLWithPath: "/tmp/bench-10k"))
/// let result = try run.run { line in print(line) }
/// print(BenchReport(results: [result]).table)
/// ```
///
/// The timings mean something only in a release build; the `zhaoren bench` command refuses a
/// debug build, this type does not (so tests can check its figures on a tiny city).
/// - Complexity: O(rows) time and memory for generating and for the coverage workflow; the
///   engine stages add O(candidate pairs).
public struct BenchRun: Sendable {
    /// Hidden persons of the city to generate.
    public var persons: Int
    /// The generator's seed.
    public var seed: UInt64
    /// Where the city and the workflows' outputs are written (created if needed). By default
    /// `zhaoren-bench-<pid>-<persons>` in the temporary directory.
    public var folder: URL
    /// Keep ``folder`` afterwards. By default it is removed when the run ends, also when it
    /// throws; a folder left by a run whose process died (killed, out of memory) is removed by
    /// the next run that uses the default location.
    public var keep: Bool
    /// The layout of the generated city's files (real exports' by default).
    public var shape: CityShape = .real
    /// The engine's settings for dedupe and link (the defaults unless a test or a study
    /// changes them, e.g. fewer random pairs for the u probabilities).
    public var linkSettings = LinkSettings()
    /// Whether the engine part also deduplicates the stacked population file (three registers
    /// in one file, about 2.5 rows per person); on by default.
    public var stacked = true
    /// The files the engine jobs write (all of pairs, clusters and unmatched by default;
    /// `[.clusters]` is what most batch jobs keep).
    public var outputFiles: LinkOutputs.Files = .standard

    /// Prepares a run; nothing is written until ``run(progress:)``.
    public init(persons: Int, seed: UInt64 = 1, folder: URL? = nil, keep: Bool = false) {
        self.persons = persons
        self.seed = seed
        self.folder = folder ?? FileManager.default.temporaryDirectory
            .appendingPathComponent("\(Self.scratchPrefix)\(ProcessInfo.processInfo.processIdentifier)-\(persons)")
        self.keep = keep
    }

    /// Generates the city, runs every workflow and returns what was measured.
    /// - Parameter progress: called with a short line per stage, for stderr.
    /// - Throws: ``ZhaorenError`` when a file cannot be written or read back.
    public func run(progress: (@Sendable (String) -> Void)? = nil) throws(ZhaorenError) -> BenchResult {
        guard persons >= 1 else { throw ZhaorenError(.invalidArgument, "persons must be at least 1") }
        Self.removeStaleScratch(in: FileManager.default.temporaryDirectory)
        defer { if !keep { try? FileManager.default.removeItem(at: folder) } }
        if !keep { Self.markScratch(folder) }
        let start = MonotonicClock.seconds()
        let isolated = ProcessMemory.resetPeak()
        var clock = BenchClock(progress: progress, label: Self.sizeLabel(persons))

        // Generate.
        clock.begin()
        let summary: CitySummary
        do {
            let city = try SyntheticCity(CityConfig(persons: persons, seed: seed, shape: shape))
            clock.end("generate", "population", rows: persons)
            summary = try CityFolder.write(city, to: cityFolder, stacked: stacked).0
        }
        clock.end("generate", "files", rows: summary.totalRows)
        var rowsPerFile: [String: Int] = [:]
        for (file, rows) in summary.rows { rowsPerFile[file.rawValue] = rows }

        // The coverage workflow.
        let coverage = try runCoverage(&clock)

        // The engine: dedupe and link.
        let engine = try runEngine(&clock)

        return BenchResult(
            persons: persons, seed: seed, rowsPerFile: rowsPerFile, departmentRows: summary.totalRows,
            stages: clock.stages, wallSeconds: MonotonicClock.seconds() - start, coverageSeconds: coverage.seconds,
            peakMemoryBytes: clock.overallPeak, peakMemoryIsolated: isolated, basePersons: coverage.persons,
            coverageRate: coverage.rate, personLabels: coverage.personLabels, enterpriseLabels: coverage.enterpriseLabels,
            dedupe: engine.dedupe, link: engine.link, areas: coverage.areas, shape: shape.rawValue,
            stacked: engine.stacked, engineJobs: engine.jobs)
    }

    /// Where the generated city goes inside ``folder``.
    public var cityFolder: URL { folder.appendingPathComponent("city") }

    /// Where each workflow writes its outputs inside ``folder``.
    public func outputFolder(_ workflow: String) -> URL {
        folder.appendingPathComponent("out").appendingPathComponent(workflow)
    }

    /// `10k`, `1.2M`: a size as people say it.
    public static func sizeLabel(_ persons: Int) -> String {
        func trim(_ x: Double) -> String {
            let s = String(format: "%.1f", x)
            return s.hasSuffix(".0") ? String(s.dropLast(2)) : s
        }
        if persons >= 1_000_000 { return trim(Double(persons) / 1e6) + "M" }
        if persons >= 1_000 { return trim(Double(persons) / 1e3) + "k" }
        return String(persons)
    }

}

extension BenchRun {
    /// The default folder's name is this, the process id, `-` and the size.
    static let scratchPrefix = "zhaoren-bench-"
    /// The file that marks a folder as scratch: removed after the run, so safe to sweep.
    static let scratchMarker = ".zhaoren-bench-scratch"

    /// Creates `folder` with the scratch marker in it (a kept folder never has one).
    static func markScratch(_ folder: URL) {
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: folder.appendingPathComponent(scratchMarker).path, contents: Data())
    }

    /// Removes the scratch folders `zhaoren-bench-<pid>-<size>` in `directory` whose process no
    /// longer runs: their run died before its cleanup (SIGKILL, out of memory, a crash). Folders
    /// of running processes and folders without the marker (kept ones) stay.
    /// - Complexity: one directory listing.
    static func removeStaleScratch(in directory: URL) {
        let manager = FileManager.default
        let me = ProcessInfo.processInfo.processIdentifier
        for name in (try? manager.contentsOfDirectory(atPath: directory.path)) ?? [] where name.hasPrefix(scratchPrefix) {
            let parts = name.dropFirst(scratchPrefix.count).split(separator: "-")
            guard parts.count == 2, let pid = Int32(parts[0]), pid > 0, pid != me, Int(parts[1]) != nil,
                  kill(pid, 0) != 0, errno != EPERM else { continue }
            let url = directory.appendingPathComponent(name)
            guard manager.fileExists(atPath: url.appendingPathComponent(scratchMarker).path) else { continue }
            try? manager.removeItem(at: url)
        }
    }
}

/// Times consecutive stages and records each one's memory peak. Work between ``end`` and the
/// next ``begin`` (scoring against the truth) is neither timed nor counted in the peaks.
struct BenchClock {
    let progress: (@Sendable (String) -> Void)?
    let label: String
    var stages: [BenchStage] = []
    var mark = MonotonicClock.seconds()
    var overallPeak = 0

    init(progress: (@Sendable (String) -> Void)?, label: String) {
        self.progress = progress
        self.label = label
    }

    /// Starts timing (and resets the memory peak) for the next stage.
    mutating func begin() {
        ProcessMemory.resetPeak()
        mark = MonotonicClock.seconds()
    }

    /// Ends the current stage and starts the next one.
    mutating func end(_ workflow: String, _ name: String, rows: Int, pairs: Int? = nil) {
        let seconds = MonotonicClock.seconds() - mark
        let peak = ProcessMemory.peakBytes()
        add(BenchStage(workflow: workflow, name: name, rows: rows, candidatePairs: pairs, seconds: seconds,
                       peakMemoryBytes: peak > 0 ? peak : nil))
        begin()
    }

    /// Records stages timed elsewhere (e.g. inside a workflow), sharing one memory peak.
    mutating func add(_ workflow: String, _ timed: [(name: String, seconds: Double, rows: Int, pairs: Int?)]) {
        let peak = ProcessMemory.peakBytes()
        for t in timed {
            add(BenchStage(workflow: workflow, name: t.name, rows: t.rows, candidatePairs: t.pairs, seconds: t.seconds,
                           peakMemoryBytes: nil))
        }
        if let last = stages.indices.last, peak > 0 {
            stages[last].peakMemoryBytes = peak
            overallPeak = max(overallPeak, peak)
        }
    }

    mutating func add(_ stage: BenchStage) {
        stages.append(stage)
        let mib = (stage.peakMemoryBytes ?? 0) / 1_048_576
        progress?(String(format: "%@ %@ %@: %.2f s (%d rows)%@", label, stage.workflow, stage.name, stage.seconds, stage.rows,
                         mib > 0 ? ", peak \(mib) MiB" : ""))
        overallPeak = max(overallPeak, stage.peakMemoryBytes ?? 0)
    }
}
