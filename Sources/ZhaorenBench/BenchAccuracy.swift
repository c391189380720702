import Zhaoren
import ZhaorenSupport
import ZhaorenEvaluation
import ZhaorenSynth
import ZhaorenCoverage

/// Pairwise precision, recall and F1 of a dedupe or link run against the truth: the engine's
/// own figures (``Evaluation/Pairwise``).
///
/// ```swift
/// let a = BenchPairwise(truePositives: 990, falsePositives: 10, falseNegatives: 30)
/// a.f1   // 0.9802
/// ```
public typealias BenchPairwise = Evaluation.Pairwise

/// The throughput of one engine job (dedupe or link) in a benchmark run: how many candidate
/// pairs it compared and scored per second of wall time and per core, beside its wall time.
/// Splink's published figure for the same measure is about 128,000 pairs per second per vCPU.
///
/// ```swift
/// let job = BenchEngineJob(job: "stacked", records: 3_134_188, candidatePairs: 2_938_732, seconds: 8.9, cores: 2)
/// job.pairsPerSecondPerCore   // 165,097
/// ```
public struct BenchEngineJob: Codable, Sendable, Hashable {
    /// `dedupe` (the grid survey), `link` (survey → police) or `stacked` (three registers in one file).
    public var job: String
    /// Records read.
    public var records: Int
    /// Candidate pairs compared and scored.
    public var candidatePairs: Int
    /// Wall seconds of the whole job, reading and writing included.
    public var seconds: Double
    /// Cores the job could use.
    public var cores: Int

    public init(job: String, records: Int, candidatePairs: Int, seconds: Double, cores: Int) {
        self.job = job
        self.records = records
        self.candidatePairs = candidatePairs
        self.seconds = seconds
        self.cores = cores
    }

    /// Candidate pairs per wall second and core, the whole job counted.
    public var pairsPerSecondPerCore: Double {
        seconds > 0 && cores > 0 ? Double(candidatePairs) / seconds / Double(cores) : 0
    }

    /// Records per wall second, the whole job counted.
    public var recordsPerSecond: Double { seconds > 0 ? Double(records) / seconds : 0 }
}

/// Per-label accuracy of the coverage workflow against the truth (`truth/labels.csv` or
/// `truth/enterprise_labels.csv`), summarised as minimum and mean over the labels.
///
/// ```swift
/// let labels = BenchLabels(["paying": .init(truth: 100, found: 100, agreed: 99)])
/// labels.minPrecision   // 0.99
/// ```
public struct BenchLabels: Codable, Sendable, Hashable {
    /// Counts per label: in the truth, found by the run, found in both (with precision and recall).
    public typealias Score = LabelEvaluation.Score

    /// Scores per label.
    public var scores: [String: Score]
    /// Labels the run wrote that the truth does not define (e.g. `unresolved_identity`, a
    /// data-quality finding), with how many keys had them; not scored.
    public var unscored: [String: Int]
    /// The lowest precision over the labels, and its label.
    public var minPrecision: Double
    public var minPrecisionLabel: String
    /// The mean precision over the labels.
    public var meanPrecision: Double
    /// The lowest recall over the labels, and its label.
    public var minRecall: Double
    public var minRecallLabel: String
    /// The mean recall over the labels.
    public var meanRecall: Double

    /// Summarises per-label scores. Labels absent from both truth and run are left out; with
    /// `defined`, labels outside it are listed in ``unscored`` instead of scored.
    public init(_ scores: [String: Score], defined: Set<String>? = nil) {
        let kept = scores.filter { ($0.value.truth > 0 || $0.value.found > 0) && defined?.contains($0.key) != false }
        unscored = scores.filter { defined?.contains($0.key) == false && $0.value.found > 0 }.mapValues(\.found)
        self.scores = kept
        let labels = kept.keys.sorted()
        let p = labels.map { (kept[$0]!.precision, $0) }, r = labels.map { (kept[$0]!.recall, $0) }
        let worstP = p.min { $0.0 < $1.0 }, worstR = r.min { $0.0 < $1.0 }
        minPrecision = worstP?.0 ?? 1
        minPrecisionLabel = worstP?.1 ?? ""
        minRecall = worstR?.0 ?? 1
        minRecallLabel = worstR?.1 ?? ""
        meanPrecision = p.isEmpty ? 1 : p.map(\.0).reduce(0, +) / Double(p.count)
        meanRecall = r.isEmpty ? 1 : r.map(\.0).reduce(0, +) / Double(r.count)
    }

    /// Labels scored.
    public var count: Int { scores.count }
}
