import Foundation
import Testing
import ZhaorenTestSupport
import Zhaoren

@Suite struct LinkCommandTests {
    @Test func linkSurveyToPoliceRegister() throws {
        let city = EngineCity.folder
        let out = try CLIRunner.temporaryDirectory()
        defer { Scratch.remove(out) }
        let result = try CLIRunner.run(["link", "police.csv", "grid_survey.csv",
                                        "--left-columns", EngineCity.police, "--right-columns", EngineCity.survey,
                                        "--out", out.path], in: city)
        #expect(result.status == 0, "\(result.stderr)")
        let unmatched = try String(contentsOf: out.appendingPathComponent("unmatched.csv"), encoding: .utf8)
        #expect(unmatched.hasPrefix("source,row\n"))
        #expect(unmatched.contains("police,"))   // residents the survey missed
        let evaluation = try CLIRunner.run(["evaluate", "--pairs", out.appendingPathComponent("pairs.csv").path,
                                            "--truth", "truth/entities.csv",
                                            "--summary", out.appendingPathComponent("summary.json").path], in: city)
        #expect(evaluation.status == 0, "\(evaluation.stderr)")
        let report = try EngineCity.json(evaluation.stdout)
        #expect(report["scope"] as? String == "cross")
        let pairwise = try #require(report["pairwise"] as? [String: Any])
        #expect((pairwise["precision"] as? Double ?? 0) >= 0.99, "\(pairwise)")
        #expect((pairwise["recall"] as? Double ?? 0) >= 0.99, "\(pairwise)")
        // Without --summary, the summary.json beside pairs.csv still says it was a link.
        let besides = try CLIRunner.run(["evaluate", "--pairs", out.appendingPathComponent("pairs.csv").path,
                                         "--truth", "truth/entities.csv"], in: city)
        let scored = try EngineCity.json(besides.stdout)
        #expect(scored["scope"] as? String == "cross")
        #expect((scored["pairwise"] as? [String: Any])?["recall"] as? Double == pairwise["recall"] as? Double)
    }

    @Test func oneToOneKeepsEachRecordOnce() throws {
        let city = EngineCity.folder
        let out = try CLIRunner.temporaryDirectory()
        defer { Scratch.remove(out) }
        let result = try CLIRunner.run(["link", "police.csv", "grid_survey.csv", "--one-to-one", "--quiet",
                                        "--left-columns", EngineCity.police, "--right-columns", EngineCity.survey,
                                        "--out", out.path], in: city)
        #expect(result.status == 0, "\(result.stderr)")
        let pairs = try String(contentsOf: out.appendingPathComponent("pairs.csv"), encoding: .utf8)
        var seen = Set<Substring>()
        let lines = pairs.split(separator: "\n").dropFirst()
        #expect(lines.count > 1000)
        for line in lines {
            let f = line.split(separator: ",")
            #expect(f[0] == "police" && f[2] == "grid_survey")
            #expect(seen.insert(f[1]).inserted && seen.insert("s" + f[3]).inserted)
        }
    }

    @Test func sameFileNamesAreRefused() throws {
        let city = EngineCity.folder
        let result = try CLIRunner.run(["link", "police.csv", "police.csv", "--left-columns", EngineCity.police,
                                        "--right-columns", EngineCity.police, "--out", "/tmp/never"], in: city)
        #expect(result.status == 64)
    }
}
