/// One timed stage of a benchmark run: what it processed, how long it took, its peak memory.
///
/// ```swift
/// let s = BenchStage(workflow: "coverage", name: "read", rows: 250_000, seconds: 0.8)
/// s.rowsPerSecond   // 312500
/// ```
public struct BenchStage: Codable, Sendable, Hashable {
    /// The workflow the stage belongs to: `generate`, `coverage`, `dedupe` or `link`.
    public var workflow: String
    /// The stage within the workflow (e.g. `read`, `link persons`, `blocking`).
    public var name: String
    /// What the stage processed: data rows for reading and linking stages, persons for
    /// labelling, enterprises for enterprise labels, candidate pairs for comparing and scoring.
    public var rows: Int
    /// Candidate pairs the stage produced or handled, where that applies.
    public var candidatePairs: Int?
    /// Wall-clock seconds.
    public var seconds: Double
    /// `rows / seconds` (0 when the stage took no measurable time).
    public var rowsPerSecond: Double
    /// The process's resident-memory peak during the stage, in bytes, when measured per stage.
    public var peakMemoryBytes: Int?

    /// Creates a stage; ``rowsPerSecond`` is computed.
    public init(workflow: String, name: String, rows: Int, candidatePairs: Int? = nil, seconds: Double, peakMemoryBytes: Int? = nil) {
        self.workflow = workflow
        self.name = name
        self.rows = rows
        self.candidatePairs = candidatePairs
        self.seconds = seconds
        self.rowsPerSecond = seconds > 0 ? Double(rows) / seconds : 0
        self.peakMemoryBytes = peakMemoryBytes
    }
}
