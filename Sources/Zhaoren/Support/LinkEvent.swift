/// The stages of a dedupe or link run, in the order they run.
public enum LinkStage: String, Sendable, Hashable, Codable, CaseIterable {
    /// Reading the files and normalizing every distinct value.
    case readNormalize = "read_normalize"
    /// Making candidate pairs with the blocking rules.
    case blocking
    /// Comparing every candidate pair into a pattern of levels.
    case compare
    /// Estimating u, m and λ (skipped when a model is given).
    case train
    /// Weighing every candidate and keeping those at or above the threshold.
    case score
    /// Grouping the accepted pairs into clusters.
    case cluster
    /// Writing the output files.
    case write
}

/// Seconds spent in one stage of a run.
///
/// ```swift
/// for t in result.timings { print(t.stage, t.seconds) }   // read_normalize 2.41 …
/// ```
public struct StageTiming: Sendable, Hashable, Codable {
    /// The stage's name (a ``LinkStage`` raw value for the engine, or a workflow's own name).
    public var stage: String
    /// Wall-clock seconds.
    public var seconds: Double

    /// Creates a timing.
    public init(stage: String, seconds: Double) {
        self.stage = stage
        self.seconds = seconds
    }

    /// Creates a timing of an engine stage.
    public init(_ stage: LinkStage, seconds: Double) {
        self.init(stage: stage.rawValue, seconds: seconds)
    }
}

/// What a run reports while it works, through ``LinkPipeline/progress``. Events carry counts
/// and seconds only: never a value read from the records.
///
/// ```swift
/// var pipeline = LinkPipeline()
/// pipeline.progress = { event in
///     if case .stageFinished(let stage, let seconds) = event { print(stage, seconds) }
/// }
/// ```
public enum LinkEvent: Sendable, Hashable, CustomStringConvertible {
    /// Rows read so far from one source.
    case rowsRead(source: String, rows: Int)
    /// A step inside a stage finished (e.g. `"name normalizer"`), with its seconds.
    case step(String, seconds: Double)
    /// One blocking rule made its candidate pairs.
    case blockingRule(name: String, pairs: Int, seconds: Double)
    /// Blocking made this many candidate pairs in all.
    case candidatePairs(Int)
    /// The model was trained: distinct patterns, EM iterations, the prior λ.
    case trained(patterns: Int, iterations: Int, lambda: Double)
    /// Pairs at or above the threshold.
    case acceptedPairs(Int, threshold: Double)
    /// Cluster merges the cannot-link rule refused.
    case mergesRefused(Int)
    /// A stage finished.
    case stageFinished(LinkStage, seconds: Double)

    /// The event as one line for people (what `zhaoren dedupe` prints on stderr).
    public var description: String {
        func s(_ x: Double) -> String { String(format: "%.2f s", x) }
        switch self {
        case .rowsRead(let source, let rows): return "read \(source): \(rows) rows"
        case .step(let what, let seconds): return "  \(what): \(s(seconds))"
        case .blockingRule(let name, let pairs, let seconds): return "  blocking \(name): \(pairs) pairs, \(s(seconds))"
        case .candidatePairs(let n): return "\(n) candidate pairs"
        case .trained(let patterns, let iterations, let lambda): return "EM: \(patterns) patterns, \(iterations) iterations, λ = \(lambda)"
        case .acceptedPairs(let n, let threshold): return "\(n) pairs at or above \(threshold)"
        case .mergesRefused(let n): return "\(n) cluster merges refused (cannot-link)"
        case .stageFinished(let stage, let seconds): return "\(stage.rawValue): \(s(seconds))"
        }
    }
}
