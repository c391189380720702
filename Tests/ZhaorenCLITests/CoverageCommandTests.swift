import Foundation
import Testing
import ZhaorenTestSupport
import ZhaorenCoverage
import ZhaorenEvaluation

@Suite struct CoverageCommandTests {
    @Test func exampleSettingsParseAndValidate() throws {
        let result = try CLIRunner.run(["coverage", "--example-settings"])
        #expect(result.status == 0)
        let settings = try JSONDecoder().decode(CoverageSettings.self, from: Data(result.stdout.utf8))
        #expect(settings.sources.count == 10)
        #expect(settings.labels?.map(\.name).contains("deceased_but_paid") == true)
        try settings.validate()
    }

    @Test func generatedCityEndToEnd() throws {
        let folder = try CLIRunner.temporaryDirectory()
        defer { Scratch.remove(folder) }
        let city = folder.appendingPathComponent("city").path, out = folder.appendingPathComponent("out").path
        let generated = try CLIRunner.run(["generate", "--persons", "4000", "--seed", "11", "--out", city])
        #expect(generated.status == 0, "\(generated.stderr)")
        let run = try CLIRunner.run(["coverage", "--settings", city + "/coverage.json", "--out", out])
        #expect(run.status == 0, "\(run.stderr)")
        for file in ["labels.csv", "enterprise_labels.csv", "persons.csv", "summary.json", "report.html", "rejects.csv"] {
            #expect(FileManager.default.fileExists(atPath: out + "/" + file), "\(file) missing")
        }
        let worklists = try FileManager.default.contentsOfDirectory(atPath: out + "/worklists")
        #expect(worklists.count > 10)

        let e = try LabelEvaluation(truth: URL(fileURLWithPath: city + "/truth/labels.csv"),
                                    found: URL(fileURLWithPath: out + "/labels.csv"))
        for label in ["deceased", "over_60", "working_age", "student", "dibao", "tekun", "disabled", "insured_local",
                      "insured_elsewhere", "paying", "receiving_pension", "interrupted", "suspended",
                      "uninsured_should_enrol", "duplicate_enrolment"] {
            let s = try #require(e.scores[label], "no \(label)")
            #expect(s.truth > 0, "the city has no \(label)")
            #expect(s.precision >= 0.97 && s.recall >= 0.97, "\(label): precision \(s.precision) recall \(s.recall)")
        }
        // A second run against the first writes the monthly ledger.
        let again = try CLIRunner.run(["coverage", "--settings", city + "/coverage.json", "--out", out + "2", "--previous", out])
        #expect(again.status == 0, "\(again.stderr)")
        let changes = try String(contentsOfFile: out + "2/changes.csv", encoding: .utf8)
        #expect(changes.hasPrefix("key,label,change"))
    }

    @Test func badSettingsAreClearErrors() throws {
        let folder = try CLIRunner.temporaryDirectory()
        defer { Scratch.remove(folder) }
        let path = folder.appendingPathComponent("s.json").path
        try #"{"localRegionPrefixes": ["6404"], "sources": [{"name": "p", "path": "p.csv", "kind": "population", "columns": {"name": "姓名"}}]}"#
            .write(toFile: path, atomically: true, encoding: .utf8)
        let result = try CLIRunner.run(["coverage", "--settings", path, "--out", folder.appendingPathComponent("o").path])
        #expect(result.status == 1)
        #expect(result.stderr.contains("s.json: source p (population) needs a column for role \"id\""))
        try #"{"sources": 3}"#.write(toFile: path, atomically: true, encoding: .utf8)
        let broken = try CLIRunner.run(["coverage", "--settings", path, "--out", folder.appendingPathComponent("o").path])
        #expect(broken.status == 1)
        #expect(broken.stderr.contains("s.json"))
    }
}
