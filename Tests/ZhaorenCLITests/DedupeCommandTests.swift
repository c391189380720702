import Foundation
import Testing
import ZhaorenTestSupport
import Zhaoren
import ZhaorenSynth

/// A generated city on disk, shared by the engine's CLI tests (written once per process, into
/// ``Scratch/root``, which goes when the process exits).
enum EngineCity {
    static let survey = "name=姓名,id=证件号码,sex=性别,birth=出生日期,phone=联系电话,address=现居住地址,area=所属网格"
    static let police = "name=姓名,id=公民身份号码,sex=性别,birth=出生日期,address=户籍地址"
    static let folder: URL = {
        let url = Scratch.path("engine-city")
        let city = try! SyntheticCity(CityConfig(persons: 4000, seed: 5))
        _ = try! city.write(to: url)
        return url
    }()

    static func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }
}

@Suite struct DedupeCommandTests {
    @Test func dedupeWritesEveryOutputAndEvaluatesWell() throws {
        let city = EngineCity.folder
        let out = try CLIRunner.temporaryDirectory()
        defer { Scratch.remove(out) }
        let result = try CLIRunner.run(["dedupe", "grid_survey.csv", "--columns", EngineCity.survey,
                                        "--out", out.path], in: city)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("candidate pairs"))
        for file in ["pairs.csv", "clusters.csv", "rejects.csv", "summary.json"] {
            #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent(file).path), "\(file)")
        }
        let pairs = try String(contentsOf: out.appendingPathComponent("pairs.csv"), encoding: .utf8)
        #expect(pairs.hasPrefix("source_a,row_a,source_b,row_b,probability,match_weight,name,id,birth,sex,phone,address\n"))
        let clusters = try String(contentsOf: out.appendingPathComponent("clusters.csv"), encoding: .utf8)
        let surveyRows = try String(contentsOf: city.appendingPathComponent("grid_survey.csv"), encoding: .init(rawValue: 0x8000_0632))
            .split(separator: "\n", omittingEmptySubsequences: true).count - 1
        #expect(clusters.split(separator: "\n").count == surveyRows + 1)   // every record, singletons included

        let summary = try EngineCity.json(String(contentsOf: out.appendingPathComponent("summary.json"), encoding: .utf8))
        #expect(summary["mode"] as? String == "dedupe")
        #expect((summary["peak_memory_bytes"] as? Int ?? 0) > 0)
        #expect(((summary["blocking"] as? [String: Any])?["largest_blocks"] as? [Any]) != nil)

        let evaluation = try CLIRunner.run(["evaluate", "--pairs", out.appendingPathComponent("pairs.csv").path,
                                            "--clusters", out.appendingPathComponent("clusters.csv").path,
                                            "--truth", "truth/entities.csv",
                                            "--summary", out.appendingPathComponent("summary.json").path], in: city)
        #expect(evaluation.status == 0, "\(evaluation.stderr)")
        let report = try EngineCity.json(evaluation.stdout)
        let pairwise = try #require(report["pairwise"] as? [String: Any])
        #expect((pairwise["precision"] as? Double ?? 0) >= 0.98, "\(pairwise)")
        #expect((pairwise["recall"] as? Double ?? 0) >= 0.98, "\(pairwise)")
        let blocking = try #require(report["blocking"] as? [String: Any])
        #expect((blocking["recall"] as? Double ?? 0) >= 0.99)
        #expect((blocking["reduction_ratio"] as? Double ?? 0) > 0.99)
    }

    /// `--write` picks the files; `candidates.csv` holds every scored candidate pair, with the
    /// accepted ones exactly those of `pairs.csv`, and `evaluate` reads calibration from it.
    @Test func writeChoosesTheFilesAndCandidatesCarryCalibration() throws {
        let city = EngineCity.folder
        let out = try CLIRunner.temporaryDirectory()
        defer { Scratch.remove(out) }
        let onlyClusters = out.appendingPathComponent("clusters-only")
        let run = try CLIRunner.run(["dedupe", "grid_survey.csv", "--columns", EngineCity.survey, "--quiet",
                                     "--write", "clusters", "--out", onlyClusters.path], in: city)
        #expect(run.status == 0, "\(run.stderr)")
        let written = try FileManager.default.contentsOfDirectory(atPath: onlyClusters.path).filter { !$0.hasPrefix(".") }.sorted()
        #expect(written == ["clusters.csv", "rejects.csv", "summary.json"])
        let summary = try EngineCity.json(String(contentsOf: onlyClusters.appendingPathComponent("summary.json"), encoding: .utf8))
        #expect(summary["files"] as? [String] == ["clusters.csv", "rejects.csv", "summary.json"])

        let all = out.appendingPathComponent("all")
        let full = try CLIRunner.run(["dedupe", "grid_survey.csv", "--columns", EngineCity.survey, "--quiet",
                                      "--write", "all", "--out", all.path], in: city)
        #expect(full.status == 0, "\(full.stderr)")
        // The clusters do not depend on which files are written.
        #expect(try Data(contentsOf: all.appendingPathComponent("clusters.csv")) == Data(contentsOf: onlyClusters.appendingPathComponent("clusters.csv")))
        let candidates = try String(contentsOf: all.appendingPathComponent("candidates.csv"), encoding: .utf8).split(separator: "\n")
        #expect(candidates.first == "source_a,row_a,source_b,row_b,probability,match_weight,accepted")
        let pairs = try String(contentsOf: all.appendingPathComponent("pairs.csv"), encoding: .utf8).split(separator: "\n").dropFirst()
        func key(_ line: Substring) -> String { line.split(separator: ",").prefix(4).joined(separator: ",") }
        let accepted = candidates.dropFirst().filter { $0.hasSuffix(",1") }
        #expect(Set(accepted.map(key)) == Set(pairs.map(key)))
        let allSummary = try EngineCity.json(String(contentsOf: all.appendingPathComponent("summary.json"), encoding: .utf8))
        #expect(candidates.count - 1 == (allSummary["blocking"] as? [String: Any])?["candidate_pairs"] as? Int)
        // A candidate's probability is its weight through the model, as in pairs.csv.
        for line in candidates.dropFirst().prefix(50) {
            let f = line.split(separator: ",")
            let p = Double(f[4])!, w = Double(f[5])!
            #expect(f[6] == "0" || f[6] == "1")
            #expect(p >= 0 && p <= 1 && (w > 0) == (p > 0.5) || abs(p - 0.5) < 0.01)
        }

        let evaluation = try CLIRunner.run(["evaluate", "--pairs", all.appendingPathComponent("candidates.csv").path,
                                            "--truth", "truth/entities.csv"], in: city)
        #expect(evaluation.status == 0, "\(evaluation.stderr)")
        let report = try EngineCity.json(evaluation.stdout)
        // Scored as pairs: only the accepted candidates count as predicted.
        let fromPairs = try CLIRunner.run(["evaluate", "--pairs", all.appendingPathComponent("pairs.csv").path,
                                           "--truth", "truth/entities.csv"], in: city)
        let pairsReport = try EngineCity.json(fromPairs.stdout)
        let a = try #require(report["pairwise"] as? [String: Any]), b = try #require(pairsReport["pairwise"] as? [String: Any])
        #expect(a["true_positives"] as? Int == b["true_positives"] as? Int && a["false_positives"] as? Int == b["false_positives"] as? Int)
        let calibration = try #require(report["calibration"] as? [String: Any])
        let bins = try #require(calibration["bins"] as? [[String: Any]])
        #expect(bins.count == 10)
        #expect(bins.reduce(0) { $0 + ($1["pairs"] as? Int ?? 0) } == candidates.count - 1)
        // Calibrated at the ends: nearly every pair above 0.9 is true, few below 0.1 are.
        #expect((bins[9]["observed"] as? Double ?? 0) > 0.99)
        #expect((bins[0]["observed"] as? Double ?? 1) < 0.2)
        #expect((calibration["expected_calibration_error"] as? Double ?? 1) < 0.05)

        let bad = try CLIRunner.run(["dedupe", "grid_survey.csv", "--columns", EngineCity.survey, "--write", "clusters,graph",
                                     "--out", out.appendingPathComponent("bad").path], in: city)
        #expect(bad.status == 64)
        #expect(bad.stderr.contains("graph") && bad.stderr.contains("pairs, clusters, unmatched, candidates"))
    }

    @Test func printSettingsAndReuseThem() throws {
        let city = EngineCity.folder
        let printed = try CLIRunner.run(["dedupe", "grid_survey.csv", "--columns", EngineCity.survey, "--print-settings"], in: city)
        #expect(printed.status == 0, "\(printed.stderr)")
        let settings = try EngineCity.json(printed.stdout)
        #expect((settings["comparisons"] as? [Any])?.count == 6)
        #expect((settings["blocking"] as? [[String: Any]])?.first?["name"] as? String == "id")
        let folder = try CLIRunner.temporaryDirectory()
        defer { Scratch.remove(folder) }
        let file = folder.appendingPathComponent("s.json")
        try printed.stdout.write(to: file, atomically: true, encoding: .utf8)
        let out = folder.appendingPathComponent("out")
        let run = try CLIRunner.run(["dedupe", "grid_survey.csv", "--columns", EngineCity.survey, "--settings", file.path,
                                     "--threshold", "0.99", "--out", out.path, "--quiet"], in: city)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.isEmpty)
        let summary = try EngineCity.json(String(contentsOf: out.appendingPathComponent("summary.json"), encoding: .utf8))
        #expect(summary["threshold"] as? Double == 0.99)
    }

    @Test func badInputsGiveClearErrors() throws {
        let city = EngineCity.folder
        let missing = try CLIRunner.run(["dedupe", "grid_survey.csv", "--columns", "name=没有这列", "--out", "/tmp/x"], in: city)
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("grid_survey") && missing.stderr.contains("没有这列"))
        let folder = try CLIRunner.temporaryDirectory()
        defer { Scratch.remove(folder) }
        let bad = folder.appendingPathComponent("bad.json")
        try #"{"blocking": [{"on": ["no_such_part"]}]}"#.write(to: bad, atomically: true, encoding: .utf8)
        let settings = try CLIRunner.run(["dedupe", "grid_survey.csv", "--columns", EngineCity.survey, "--settings", bad.path,
                                          "--out", folder.appendingPathComponent("o").path], in: city)
        #expect(settings.status == 1)
        #expect(settings.stderr.contains("bad.json"))
        let usage = try CLIRunner.run(["dedupe", "grid_survey.csv", "--columns", EngineCity.survey], in: city)
        #expect(usage.status == 64)
    }
}
