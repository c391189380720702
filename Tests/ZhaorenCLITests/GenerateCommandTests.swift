import Foundation
import Testing
import ZhaorenTestSupport
import Zhaoren

/// End-to-end runs of `zhaoren generate` through the built binary.
@Suite struct GenerateCommandTests {
    @Test func generatesASmallCity() throws {
        let out = try CLIRunner.temporaryDirectory()
        defer { Scratch.remove(out) }
        let result = try CLIRunner.run(["generate", "--persons", "2000", "--seed", "1", "--out", out.path])
        #expect(result.status == 0, "\(result.stderr)")
        let files = ["police", "grid_survey", "insurance", "students", "dibao", "tekun", "disabled", "deaths", "enterprises", "tax"]
        var total = 0
        for file in files {
            // A real-shaped city's 低保 roster is a workbook; the other files are CSV.
            let name = file + (file == "dibao" ? ".xlsx" : ".csv")
            let lines: Int
            if file == "dibao" {
                var options = CSVReader.Options()
                options.headerRow = 3
                let reader = try CSVReader(path: out.appendingPathComponent(name).path, options: options)
                while try reader.nextBatch() != nil {}
                lines = reader.statistics.rowsRead
            } else {
                let data = try Data(contentsOf: out.appendingPathComponent(name))
                lines = data.reduce(0) { $0 + ($1 == 10 ? 1 : 0) } - 1
            }
            total += lines
            // The summary table on stdout reports the same row count.
            let line = result.stdout.split(separator: "\n").first { $0.hasPrefix(name + " ") }
            let reported = line.flatMap { $0.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first }.flatMap { Int($0) }
            #expect(reported == lines, "\(file)")
        }
        let police = try Data(contentsOf: out.appendingPathComponent("police.csv")).reduce(0) { $0 + ($1 == 10 ? 1 : 0) } - 1
        #expect(police > 1_700 && police <= 2_000)
        let entities = try String(contentsOf: out.appendingPathComponent("truth/entities.csv"), encoding: .utf8)
        #expect(entities.split(separator: "\n").count - 1 == total)
        let persons = try String(contentsOf: out.appendingPathComponent("truth/persons.csv"), encoding: .utf8)
        #expect(persons.split(separator: "\n").count - 1 == 2_000)
        for extra in ["truth/labels.csv", "truth/enterprises.csv", "truth/enterprise_labels.csv", "truth/errors.csv", "manifest.json", "README.txt"] {
            #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent(extra).path), "\(extra)")
        }
        // The grid survey is GB18030 by default: not valid UTF-8.
        let survey = try Data(contentsOf: out.appendingPathComponent("grid_survey.csv"))
        #expect(String(data: survey, encoding: .utf8) == nil)
    }

    @Test func aStackedCityCanBeWrittenAgainIntoTheSameFolder() throws {
        let out = try CLIRunner.temporaryDirectory()
        defer { Scratch.remove(out) }
        let population = out.appendingPathComponent("population.csv")
        let first = try CLIRunner.run(["generate", "--persons", "300", "--seed", "1", "--stacked", "--out", out.path])
        #expect(first.status == 0, "\(first.stderr)")
        let rows = try Data(contentsOf: population).reduce(0) { $0 + ($1 == 10 ? 1 : 0) } - 1
        #expect(rows > 300)
        // The stacked file belongs to the folder's unit: a second run replaces it rather than
        // refusing the folder as holding files it did not write.
        let second = try CLIRunner.run(["generate", "--persons", "300", "--seed", "2", "--stacked", "--out", out.path])
        #expect(second.status == 0, "\(second.stderr)")
        let marker = try String(contentsOf: out.appendingPathComponent(".zhaoren-output"), encoding: .utf8)
        #expect(marker.contains("\npopulation.csv\n") && marker.contains("\ntruth/population.csv"))
        let truth = try String(contentsOf: out.appendingPathComponent("truth/population.csv"), encoding: .utf8)
        let secondRows = try Data(contentsOf: population).reduce(0) { $0 + ($1 == 10 ? 1 : 0) } - 1
        #expect(truth.split(separator: "\n").count - 1 == secondRows)
        // Without --stacked the whole unit is replaced: no stale stacked file is left behind.
        let plain = try CLIRunner.run(["generate", "--persons", "300", "--seed", "2", "--out", out.path])
        #expect(plain.status == 0, "\(plain.stderr)")
        #expect(!FileManager.default.fileExists(atPath: population.path))
    }

    @Test func encodingFlagsChooseTheFiles() throws {
        let out = try CLIRunner.temporaryDirectory()
        defer { Scratch.remove(out) }
        let utf8 = try CLIRunner.run(["generate", "--persons", "300", "--out", out.path, "--encoding", "utf8"])
        #expect(utf8.status == 0)
        #expect(String(data: try Data(contentsOf: out.appendingPathComponent("grid_survey.csv")), encoding: .utf8) != nil)
        let police = try CLIRunner.run(["generate", "--persons", "300", "--out", out.path, "--gb18030-files", "police"])
        #expect(police.status == 0)
        #expect(String(data: try Data(contentsOf: out.appendingPathComponent("police.csv")), encoding: .utf8) == nil)
        #expect(String(data: try Data(contentsOf: out.appendingPathComponent("grid_survey.csv")), encoding: .utf8) != nil)
    }

    @Test func badArgumentsAreUsageErrors() throws {
        let out = try CLIRunner.temporaryDirectory()
        defer { Scratch.remove(out) }
        for args in [["--persons", "0"], ["--encoding", "latin1"], ["--gb18030-files", "nosuchfile"], ["--as-of", "2026-13-01"]] {
            let result = try CLIRunner.run(["generate", "--out", out.path] + args)
            #expect(result.status == 64, "\(args)")
            #expect(result.stderr.contains("Error"))
        }
    }
}
