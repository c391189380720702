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
