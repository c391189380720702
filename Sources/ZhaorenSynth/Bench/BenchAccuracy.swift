/// Pairwise accuracy of a dedupe or link run against the truth (`truth/entities.csv`).
///
/// ```swift
/// let a = BenchPairwise(truePositives: 990, falsePositives: 5, falseNegatives: 10)
/// a.f1   // 0.9925
/// ```
public struct BenchPairwise: Codable, Sendable, Hashable {
    /// Predicted pairs that are true pairs.
    public var truePositives: Int
    /// Predicted pairs that are not.
    public var falsePositives: Int
    /// True pairs not predicted.
    public var falseNegatives: Int
    /// `tp / (tp + fp)` (1 when nothing was predicted).
    public var precision: Double
    /// `tp / (tp + fn)` (1 when there is nothing to find).
    public var recall: Double
    /// The harmonic mean of precision and recall.
    public var f1: Double

    /// Creates the figures from confusion counts.
    public init(truePositives: Int, falsePositives: Int, falseNegatives: Int) {
        self.truePositives = truePositives
        self.falsePositives = falsePositives
        self.falseNegatives = falseNegatives
        let predicted = truePositives + falsePositives, actual = truePositives + falseNegatives
        precision = predicted == 0 ? 1 : Double(truePositives) / Double(predicted)
        recall = actual == 0 ? 1 : Double(truePositives) / Double(actual)
        f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall)
    }
}

/// Per-label accuracy of the coverage workflow against the truth (`truth/labels.csv` or
/// `truth/enterprise_labels.csv`), summarised as minimum and mean over the labels.
///
/// ```swift
/// let labels = BenchLabels(["paying": .init(truth: 100, found: 100, agreed: 99)])
/// labels.minPrecision   // 0.99
/// ```
public struct BenchLabels: Codable, Sendable, Hashable {
    /// Counts per label: in the truth, found by the run, found in both.
    public struct Score: Codable, Sendable, Hashable {
        /// Keys with the label in the truth.
        public var truth: Int
        /// Keys with the label in the run.
        public var found: Int
        /// Keys with the label in both.
        public var agreed: Int
        /// `agreed / found` (1 when nothing was found and nothing was true).
        public var precision: Double { found == 0 ? (truth == 0 ? 1 : 0) : Double(agreed) / Double(found) }
        /// `agreed / truth` (1 when the truth has none).
        public var recall: Double { truth == 0 ? 1 : Double(agreed) / Double(truth) }

        public init(truth: Int, found: Int, agreed: Int) {
            self.truth = truth
            self.found = found
            self.agreed = agreed
        }
    }

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
