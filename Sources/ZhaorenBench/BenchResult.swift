import ZhaorenEvaluation

/// What one benchmark run on one generated city measured: rows, stages with their time,
/// throughput and memory, the total wall time, the peak memory, and the accuracy of every
/// workflow against the city's truth.
///
/// ```swift
/// let result = try BenchRun(persons: 10_000, seed: 1).run()
/// result.stages.map(\.name)          // ["population", "files", "read", "link persons", …]
/// result.personLabels?.minRecall     // 0.995
/// ```
public struct BenchResult: Codable, Sendable, Hashable {
    /// Hidden persons of the generated city.
    public var persons: Int
    /// The generator's seed.
    public var seed: UInt64
    /// Data rows per department file (e.g. `police`: 96,000).
    public var rowsPerFile: [String: Int]
    /// All department rows.
    public var departmentRows: Int
    /// The stages in run order.
    public var stages: [BenchStage]
    /// Wall-clock seconds of the whole run: generating, every workflow, and scoring against the truth.
    public var wallSeconds: Double
    /// Wall-clock seconds of the coverage workflow, from reading to the last file written.
    public var coverageSeconds: Double
    /// The largest resident-memory peak of the timed stages, in bytes (scoring against the
    /// truth, which is not part of any workflow, is left out).
    public var peakMemoryBytes: Int
    /// Whether ``peakMemoryBytes`` belongs to this city alone (measured in a process of its own
    /// or after a reset of the high-water mark), rather than to everything the process did before.
    public var peakMemoryIsolated: Bool
    /// Persons in the coverage workflow's population base.
    public var basePersons: Int
    /// Coverage of working-age residents found by the workflow (insured / working age).
    public var coverageRate: Double?
    /// Per-label accuracy of the person labels.
    public var personLabels: BenchLabels?
    /// Per-label accuracy of the enterprise labels.
    public var enterpriseLabels: BenchLabels?
    /// How persons were placed in villages (share placed, share placed right).
    public var areas: AreaEvaluation?
    /// The generated city's file layout (`real` or `friendly`).
    public var shape: String?
    /// Pairwise accuracy of deduplicating the grid survey (pairs within clusters).
    public var dedupe: BenchPairwise?
    /// Pairwise accuracy of linking the grid survey to the police register (cross-file pairs
    /// within clusters).
    public var link: BenchPairwise?
    /// Pairwise accuracy of deduplicating the stacked population file (police register, grid
    /// survey and insurance accounts in one file; see `StackedPopulation`).
    public var stacked: BenchPairwise?
    /// Throughput of each engine job, in run order.
    public var engineJobs: [BenchEngineJob]?

    public init(persons: Int, seed: UInt64, rowsPerFile: [String: Int], departmentRows: Int, stages: [BenchStage],
                wallSeconds: Double, coverageSeconds: Double, peakMemoryBytes: Int, peakMemoryIsolated: Bool,
                basePersons: Int, coverageRate: Double?, personLabels: BenchLabels?, enterpriseLabels: BenchLabels?,
                dedupe: BenchPairwise?, link: BenchPairwise?, areas: AreaEvaluation? = nil, shape: String? = nil,
                stacked: BenchPairwise? = nil, engineJobs: [BenchEngineJob]? = nil) {
        self.stacked = stacked
        self.engineJobs = engineJobs
        self.areas = areas
        self.shape = shape
        self.persons = persons
        self.seed = seed
        self.rowsPerFile = rowsPerFile
        self.departmentRows = departmentRows
        self.stages = stages
        self.wallSeconds = wallSeconds
        self.coverageSeconds = coverageSeconds
        self.peakMemoryBytes = peakMemoryBytes
        self.peakMemoryIsolated = peakMemoryIsolated
        self.basePersons = basePersons
        self.coverageRate = coverageRate
        self.personLabels = personLabels
        self.enterpriseLabels = enterpriseLabels
        self.dedupe = dedupe
        self.link = link
    }

    /// The stages of one workflow, in order.
    public func stages(of workflow: String) -> [BenchStage] { stages.filter { $0.workflow == workflow } }

    /// Seconds spent in one workflow.
    public func seconds(of workflow: String) -> Double { stages(of: workflow).map(\.seconds).reduce(0, +) }
}
