import Foundation
import Testing
import ZhaorenTestSupport

@Suite struct BenchCommandTests {
    /// The tests run the debug binary, which bench refuses: the refusal is what can be tested
    /// end to end (the bench library itself is tested on a small city in ZhaorenSynthTests).
    @Test func refusesADebugBuild() throws {
        let folder = try CLIRunner.temporaryDirectory()
        defer { Scratch.remove(folder) }
        let result = try CLIRunner.run(["bench", "--persons", "1000", "--out", folder.path])
        #expect(result.status == 1)
        #expect(result.stderr.contains("zhaoren bench: refusing to run in a debug build"))
        #expect(result.stderr.contains("swift build -c release && .build/release/zhaoren bench"))
        #expect(result.stdout.isEmpty)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
    }

    @Test func badSizesAreUsageErrors() throws {
        let result = try CLIRunner.run(["bench", "--persons", "10k,lots"])
        #expect(result.status == 64)
        #expect(result.stderr.contains("--persons takes sizes such as 10000,100k,1.2M, not \"lots\""))
    }
}

@Suite struct DemoCommandTests {
    @Test func smallDemoRunsInADebugBuild() throws {
        let folder = try CLIRunner.temporaryDirectory()
        defer { Scratch.remove(folder) }
        let out = folder.appendingPathComponent("demo").path
        let result = try CLIRunner.run(["demo", "--persons", "3000", "--out", out])
        #expect(result.status == 0, "\(result.stderr)")
        let text = result.stdout
        #expect(text.contains("a synthetic city of 3,000 persons (seed 1)"))
        #expect(text.contains("police.csv"))
        #expect(text.contains("grid_survey.csv") && text.contains("(GB18030)"))
        #expect(text.contains("persons in the population base 人口底数: "))
        #expect(text.contains("coverage of working-age residents 劳动年龄人口参保率: "))
        #expect(text.contains("top actions 主要建议:"))
        #expect(text.contains("Accuracy against the truth 对照真值的准确率:"))
        #expect(text.contains("person labels 人员标签 (1"))
        #expect(text.contains("enterprise labels 企业标签 ("))
        #expect(text.contains("Deduplicated 去重 grid_survey ("))
        #expect(text.contains("Linked 关联 grid_survey → police ("))
        for job in ["grid_survey", "grid_survey → police"] {
            let accuracy = try #require(text.split(separator: "\n").first { $0.contains("\(job) pairwise 成对: precision") })
            let f1 = try #require(accuracy.components(separatedBy: "F1 ").last.flatMap { Double($0.prefix(6)) })
            #expect(f1 > 0.95 && f1 <= 1, "\(accuracy)")
        }
        // The outputs, the coverage report first.
        let outputs = try #require(text.components(separatedBy: "Outputs 输出:\n").last?.split(separator: "\n"))
        #expect(outputs.first?.hasSuffix(out + "/coverage/report.html") == true)
        for file in ["coverage/report.html", "coverage/labels.csv", "coverage/persons.csv", "coverage/summary.json", "truth/labels.csv",
                     "dedupe/pairs.csv", "dedupe/clusters.csv", "link/pairs.csv", "link/summary.json"] {
            #expect(FileManager.default.fileExists(atPath: out + "/" + file), "\(file)")
        }
        #expect(result.stderr.contains("demo: generating a city of 3000 persons"))
        // The accuracy line holds real figures.
        let line = try #require(text.split(separator: "\n").first { $0.contains("person labels 人员标签") })
        let mean = try #require(line.components(separatedBy: "mean ").dropFirst().first.flatMap { Double($0.prefix(6)) })
        #expect(mean > 0.97 && mean <= 1)
        // The city is real-shaped (addresses and grid codes): persons are still placed in villages.
        let villages = try #require(text.split(separator: "\n").first { $0.contains("villages 村（社区）: ") })
        let placed = try #require(villages.components(separatedBy: ": ").dropFirst().first.flatMap { Double($0.prefix(5)) })
        #expect(placed > 95 && placed <= 100, "\(villages)")
        let right = try #require(villages.components(separatedBy: "), ").last.flatMap { Double($0.prefix(5)) })
        #expect(right > 95 && right <= 100, "\(villages)")
    }
}
