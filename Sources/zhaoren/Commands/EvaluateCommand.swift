import ArgumentParser
import Foundation
import Zhaoren
import ZhaorenEvaluation

/// `zhaoren evaluate`: precision, recall and F1 of pairs or clusters against a truth file.
struct EvaluateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Score pairs.csv or clusters.csv against a truth file (source,row,entity_id).",
        discussion: """
            Prints JSON on stdout: pairwise precision, recall and F1; for clusters also the share \
            of true entities recovered exactly; with --summary, blocking recall and reduction \
            ratio (reading and blocking are re-run as the summary records them).

            When the pairs file has a probability column, also calibration: per tenth of \
            predicted probability, the pairs, their mean prediction and the share that are true \
            pairs, with the expected calibration error and the true pairs scored below 0.5. \
            pairs.csv holds accepted pairs only; a run with --write candidates writes \
            candidates.csv, every scored candidate pair (its accepted column says which are \
            predicted), for the whole range.

            --scope cross counts only pairs of records from different files. It is the default \
            when the run was a link: when --summary, or the summary.json beside the pairs or \
            clusters file, says link mode.
            """
    )

    @Option(help: "A pairs.csv (or candidates.csv) to score.")
    var pairs: String?

    @Option(help: "A clusters.csv to score.")
    var clusters: String?

    @Option(help: "The truth file: source,row,entity_id.")
    var truth: String

    @Option(help: "A summary.json: adds blocking recall and reduction ratio.")
    var summary: String?

    @Option(help: "Which pairs count: auto, all or cross.")
    var scope: String = "auto"

    func validate() throws {
        if pairs == nil && clusters == nil && summary == nil {
            throw ValidationError("give --pairs or --clusters (and optionally --summary)")
        }
        guard scope == "auto" || Evaluation.Scope(rawValue: scope) != nil else {
            throw ValidationError("--scope must be auto, all or cross")
        }
    }

    func run() throws {
        do {
            let t = try GroundTruth.load(URL(fileURLWithPath: truth))
            var linkSummary: LinkSummary?
            if let summary {
                do {
                    linkSummary = try JSONDecoder().decode(LinkSummary.self, from: Data(contentsOf: URL(fileURLWithPath: summary)))
                } catch {
                    throw ZhaorenError(.malformedInput, "not a zhaoren summary.json: \(error)", file: summary)
                }
            }
            let resolvedScope: Evaluation.Scope = scope == "auto" ? (runMode(linkSummary) == .link ? .cross : .all)
                                                                  : Evaluation.Scope(rawValue: scope)!
            var report: [String: Any] = ["scope": resolvedScope.rawValue]
            if let pairs {
                let scored = try Evaluation.scoredPairsFile(URL(fileURLWithPath: pairs), truth: t, scope: resolvedScope)
                report["pairwise"] = try Self.object(scored.pairwise)
                if let calibration = scored.calibration { report["calibration"] = try Self.object(calibration) }
            }
            if let clusters {
                report["clusters"] = try Self.object(Evaluation.clustersFile(URL(fileURLWithPath: clusters), truth: t, scope: resolvedScope))
            }
            if let linkSummary {
                report["blocking"] = try Self.object(Evaluation.blocking(summary: linkSummary, truth: t))
            }
            let data = try JSONSerialization.data(withJSONObject: report, options: [.prettyPrinted, .sortedKeys])
            print(String(decoding: data, as: UTF8.self))
        } catch let error as ZhaorenError {
            Console.error("zhaoren: \(error.description)\n")
            throw ExitCode(1)
        }
    }

    /// The mode of the run scored: from --summary, else from a summary.json beside the files.
    func runMode(_ given: LinkSummary?) -> LinkPipeline.Mode? {
        if let given { return given.mode }
        for file in [pairs, clusters].compactMap({ $0 }) {
            let beside = URL(fileURLWithPath: file).deletingLastPathComponent().appendingPathComponent("summary.json")
            if let data = try? Data(contentsOf: beside), let s = try? JSONDecoder().decode(LinkSummary.self, from: data) {
                return s.mode
            }
        }
        return nil
    }

    static func object(_ value: some Encodable) throws -> Any {
        try JSONSerialization.jsonObject(with: JSONEncoder().encode(value))
    }
}
