import Foundation
import Zhaoren

/// Per-label precision and recall of a run's `labels.csv` against a truth file of the same
/// shape (`key,label`), as the synthetic city writes in `truth/labels.csv`.
///
/// ```swift
/// let e = try LabelEvaluation(truth: URL(fileURLWithPath: "city/truth/labels.csv"),
///                             found: URL(fileURLWithPath: "out/labels.csv"))
/// e.scores["interrupted"]?.precision   // 0.998
/// print(e.table)
/// ```
public struct LabelEvaluation: Sendable {
    /// The counts and scores of one label.
    public struct Score: Sendable, Hashable, Codable {
        /// Keys with the label in the truth.
        public var truth: Int
        /// Keys with the label in the run.
        public var found: Int
        /// Keys with the label in both.
        public var agreed: Int
        /// agreed / found (1 when nothing was found and nothing was true).
        public var precision: Double { found == 0 ? (truth == 0 ? 1 : 0) : Double(agreed) / Double(found) }
        /// agreed / truth (1 when the truth has none).
        public var recall: Double { truth == 0 ? 1 : Double(agreed) / Double(truth) }

        /// Creates a score from its counts.
        public init(truth: Int, found: Int, agreed: Int) {
            self.truth = truth
            self.found = found
            self.agreed = agreed
        }
    }

    /// Scores per label, for every label in either file.
    public var scores: [String: Score]

    /// Compares two `key,label` files.
    public init(truth: URL, found: URL) throws(ZhaorenError) {
        self.init(truth: try Self.load(truth), found: try Self.load(found))
    }

    /// Compares two label sets (label → keys).
    public init(truth: [String: Set<String>], found: [String: Set<String>]) {
        var scores: [String: Score] = [:]
        for label in Set(truth.keys).union(found.keys) {
            let t = truth[label] ?? [], f = found[label] ?? []
            scores[label] = Score(truth: t.count, found: f.count, agreed: t.intersection(f).count)
        }
        self.scores = scores
    }

    /// Reads a `key,label` file into label → keys.
    public static func load(_ url: URL) throws(ZhaorenError) -> [String: Set<String>] {
        let reader = try CSVReader(url: url)
        guard reader.header.count >= 2 else {
            throw ZhaorenError(.malformedInput, "expected the columns key,label; the header has \(reader.header.joined(separator: ","))", file: url.path)
        }
        var out: [String: Set<String>] = [:]
        try reader.forEachBatch { batch throws(ZhaorenError) in
            for row in batch { out[row.string(1), default: []].insert(row.string(0)) }
        }
        return out
    }

    /// A fixed-width table: label, truth, found, precision, recall (sorted by label).
    public var table: String {
        var lines = ["label                      truth    found  precision  recall"]
        for label in scores.keys.sorted() {
            let s = scores[label]!
            lines.append(label.padding(toLength: 25, withPad: " ", startingAt: 0)
                + String(format: " %7d  %7d     %.4f  %.4f", s.truth, s.found, s.precision, s.recall))
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
