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
