import Foundation
import Testing
import ZhaorenTestSupport
import ZhaorenCoverage
import ZhaorenEvaluation
import Zhaoren

@Suite struct CoverageCommandTests {
    @Test func exampleSettingsParseAndValidate() throws {
        let result = try CLIRunner.run(["coverage", "--example-settings"])
        #expect(result.status == 0)
        let settings = try JSONDecoder().decode(CoverageSettings.self, from: Data(result.stdout.utf8))
        #expect(settings.sources.count == 11)
        #expect(settings.sources.contains { $0.kind == .list && $0.facts?["category"] == "优抚类别" })
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
        // A real-shaped city (addresses and grid codes only): one worklist per village, persons placed.
        #expect(worklists.filter { $0.contains("未知") }.count <= 6, "\(worklists.filter { $0.contains("未知") })")
        let summary = try JSONDecoder().decode(CoverageSummary.self, from: Data(contentsOf: URL(fileURLWithPath: out + "/summary.json")))
        #expect(summary.quality.villageShare >= 0.98)
        #expect(summary.quality.employers.byName > 0)
        let areas = try AreaEvaluation(truth: URL(fileURLWithPath: city + "/truth/persons.csv"),
                                       found: URL(fileURLWithPath: out + "/persons.csv"))
        #expect(areas.correctShare >= 0.97, "right village: \(areas.correctShare)")
        for file in ["enterprises.csv", "employers_unmatched.csv"] {
            #expect(FileManager.default.fileExists(atPath: out + "/" + file), "\(file) missing")
        }

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

    /// A department list the project has never seen (delivery riders), with a fact column and
    /// a rule on it, through the command line.
    @Test func customListKindEndToEnd() throws {
        let folder = try CLIRunner.temporaryDirectory()
        defer { Scratch.remove(folder) }
        let city = folder.appendingPathComponent("city").path, out = folder.appendingPathComponent("out").path
        #expect(try CLIRunner.run(["generate", "--persons", "1500", "--seed", "3", "--out", city]).status == 0)
        // The riders: the first 40 living working-age persons of the police register, by ID.
        let police = try String(contentsOfFile: city + "/police.csv", encoding: .utf8).split(separator: "\n").dropFirst()
        var riders = ["骑手姓名,证件号,平台"]
        var ids: [String] = []
        for line in police {
            let f = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            guard f.count > 6, f[6] == "正常", f[1].count == 18, let year = Int(f[1].dropFirst(6).prefix(4)), year >= 1970, year <= 2004 else { continue }
            riders.append("\(f[0]),\(f[1]),\(ids.count % 2 == 0 ? "美团" : "饿了么")")
            ids.append(f[1])
            if ids.count == 40 { break }
        }
        try (riders.joined(separator: "\n") + "\n").write(toFile: city + "/riders.csv", atomically: true, encoding: .utf8)
        var settings = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: city + "/coverage.json"))) as! [String: Any]
        var sources = settings["sources"] as! [[String: Any]]
        sources.append(["name": "riders", "path": "riders.csv", "kind": "list",
                        "columns": ["name": "骑手姓名", "id": "证件号"], "facts": ["platform": "平台"]])
        settings["sources"] = sources
        var labels = settings["labels"] as! [[String: Any]]
        labels.append(["name": "rider", "when": "in_riders"])
        labels.append(["name": "meituan_rider", "when": #"riders.platform == "美团" and working_age"#])
        settings["labels"] = labels
        try JSONSerialization.data(withJSONObject: settings).write(to: URL(fileURLWithPath: city + "/riders.json"))
        let run = try CLIRunner.run(["coverage", "--settings", city + "/riders.json", "--out", out])
        #expect(run.status == 0, "\(run.stderr)")
        let e = try LabelEvaluation(truth: [:], found: LabelEvaluation.load(URL(fileURLWithPath: out + "/labels.csv")))
        #expect(e.scores["rider"]?.found == 40)
        #expect(e.scores["meituan_rider"]?.found == 20)
        let found = try LabelEvaluation.load(URL(fileURLWithPath: out + "/labels.csv"))
        #expect(found["rider"] == Set(ids))
        // A typo in the fact name is a settings error naming the rule, not a silently false label.
        labels.append(["name": "odd", "when": #"riders.platfrom == "美团""#])
        settings["labels"] = labels
        try JSONSerialization.data(withJSONObject: settings).write(to: URL(fileURLWithPath: city + "/riders.json"))
        let bad = try CLIRunner.run(["coverage", "--settings", city + "/riders.json", "--out", out + "-bad"])
        #expect(bad.status == 1)
        #expect(bad.stderr.contains("riders.platfrom"))
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
