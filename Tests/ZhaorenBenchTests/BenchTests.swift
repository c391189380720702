import Foundation
import Testing
import ZhaorenTestSupport
import Zhaoren
import ZhaorenSynth
@testable import ZhaorenBench
import ZhaorenEvaluation
import ZhaorenSupport

@Suite struct BenchTests {
    /// One small end-to-end run, shared by the tests below (generated once per process; its
    /// folder goes with ``Scratch/root`` when the process exits).
    static let small: (result: BenchResult, folder: URL) = {
        let folder = BenchFixture.temporaryFolder("bench")
        var run = BenchRun(persons: 2_000, seed: 5, folder: folder, keep: true)
        run.linkSettings.randomPairs = 50_000   // debug builds train slowly; the figures stay sane
        let result = try! run.run()
        return (result, folder)
    }()

    @Test func realShapedCityIsPlacedInVillages() throws {
        let r = Self.small.result
        #expect(r.shape == "real")
        let areas = try #require(r.areas)
        #expect(areas.persons == r.basePersons)
        #expect(areas.villageShare >= 0.98, "placed: \(areas.villageShare)")
        #expect(areas.correctShare >= 0.97, "right village: \(areas.correctShare)")
        #expect(areas.villages >= 20)
        let labels = try #require(r.personLabels)
        #expect(labels.minPrecision >= 0.95 && labels.minRecall >= 0.95)
    }

    @Test func smallRunHasEveryStageWithSaneFigures() throws {
        let r = Self.small.result
        #expect(r.persons == 2_000)
        #expect(r.seed == 5)
        #expect(r.rowsPerFile.count == CityFile.allCases.count)
        #expect(r.departmentRows == r.rowsPerFile.values.reduce(0, +))
        #expect(r.rowsPerFile["police"]! > 1_800 && r.rowsPerFile["police"]! <= 2_000)
        let names = r.stages.map { "\($0.workflow) \($0.name)" }
        #expect(Array(names.prefix(8)) == ["generate population", "generate files", "coverage read", "coverage link persons",
                                           "coverage place persons", "coverage label persons", "coverage label enterprises", "coverage write"])
        #expect(names.contains("dedupe read_normalize") && names.contains("dedupe blocking") && names.contains("dedupe write"))
        #expect(names.contains("link read_normalize") && names.contains("link score") && names.contains("link write"))
        let blocking = try #require(r.stages.first { $0.workflow == "dedupe" && $0.name == "blocking" })
        #expect(blocking.rows == r.rowsPerFile["grid_survey"])
        #expect((blocking.candidatePairs ?? 0) > 0)
        let linkRead = try #require(r.stages.first { $0.workflow == "link" && $0.name == "read_normalize" })
        #expect(linkRead.rows == r.rowsPerFile["grid_survey"]! + r.rowsPerFile["police"]!)
        for s in r.stages where s.name != "name tables" {
            #expect(s.rows > 0, "\(s.name)")
            #expect(s.seconds >= 0 && s.seconds < 120, "\(s.name)")
            #expect(s.rowsPerSecond == (s.seconds > 0 ? Double(s.rows) / s.seconds : 0))
        }
        #expect(r.stages.first { $0.name == "files" }?.rows == r.departmentRows)
        #expect(r.stages.first { $0.name == "read" }?.rows == r.departmentRows)   // every row read back, none lost
        #expect(r.wallSeconds >= r.coverageSeconds && r.coverageSeconds > 0)
        #expect(r.peakMemoryBytes > 10 << 20 && r.peakMemoryBytes < 4 << 30)
        #expect(r.peakMemoryIsolated)
        // The base holds about one person per hidden person (migrants in, the unlisted out).
        #expect(r.basePersons > 1_800 && r.basePersons < 2_300)
        let rate = try #require(r.coverageRate)
        #expect(rate > 0.5 && rate < 1)
    }

    @Test func smallRunScoresTheLabelsAgainstTheTruth() throws {
        let persons = try #require(Self.small.result.personLabels)
        #expect(persons.count >= 14)
        #expect(Set(persons.scores.keys).isSubset(of: Set(PersonLabel.allCases.map(\.rawValue))))
        #expect(persons.unscored["unresolved_identity", default: 0] >= 0)
        #expect(persons.scores["unresolved_identity"] == nil)
        for value in [persons.minPrecision, persons.meanPrecision, persons.minRecall, persons.meanRecall] {
            #expect(value >= 0 && value <= 1)
        }
        #expect(persons.meanPrecision > 0.97 && persons.meanRecall > 0.97)
        #expect(persons.minPrecision > 0.8 && persons.minRecall > 0.8)
        #expect(persons.minPrecision == persons.scores[persons.minPrecisionLabel]!.precision)
        let enterprises = try #require(Self.small.result.enterpriseLabels)
        #expect(enterprises.count >= 1)
        #expect(enterprises.meanPrecision > 0.9 && enterprises.meanRecall > 0.9)
    }

    @Test func smallRunScoresDedupeAndLinkAgainstTheTruth() throws {
        let dedupe = try #require(Self.small.result.dedupe), link = try #require(Self.small.result.link)
        for p in [dedupe, link] {
            #expect(p.precision >= 0 && p.precision <= 1 && p.recall >= 0 && p.recall <= 1)
            #expect(p.f1 > 0.95, "\(p)")
            #expect(p.truePositives > 0)
        }
        // Linking finds about one police record per surveyed resident.
        #expect(link.truePositives > Self.small.result.rowsPerFile["grid_survey"]! * 8 / 10)
    }

    @Test func stackedPopulationIsDeduplicatedAndScored() throws {
        let r = Self.small.result
        let stacked = try #require(r.stacked)
        #expect(stacked.f1 > 0.97, "\(stacked)")
        // About 2.5 rows per person: far more true pairs than the survey alone has.
        let surveyAlone = try #require(r.dedupe)
        #expect(stacked.truePositives > surveyAlone.truePositives * 10)
        let jobs = try #require(r.engineJobs)
        #expect(jobs.map(\.job) == ["dedupe", "link", "stacked"])
        let job = jobs[2]
        let police = r.rowsPerFile["police"]!, survey = r.rowsPerFile["grid_survey"]!, insurance = r.rowsPerFile["insurance"]!
        #expect(job.records == police + survey + insurance)
        #expect(job.candidatePairs == r.stages.first { $0.workflow == "stacked" && $0.name == "blocking" }?.candidatePairs)
        #expect(job.seconds >= r.seconds(of: "stacked") && job.cores >= 1)
        #expect(job.pairsPerSecondPerCore == Double(job.candidatePairs) / job.seconds / Double(job.cores))
        let table = BenchReport(results: [r]).table
        #expect(table.contains("dedupe police+survey+insurance") && table.contains("pairs/s per core"))
    }

    @Test func stackedFileHoldsEveryRowOfTheThreeRegistersWithItsTruth() throws {
        let city = Self.small.folder.appendingPathComponent("city")
        var population: [(fields: [String], line: Int)] = []
        let reader = try CSVReader(url: city.appendingPathComponent(StackedPopulation.fileName))
        #expect(reader.header == StackedPopulation.header)
        try reader.forEachBatch { batch in
            for row in batch { population.append(([0, 1, 3, 5].map { row.string($0) }, row.line)) }
        }
        let r = Self.small.result
        #expect(population.count == r.rowsPerFile["police"]! + r.rowsPerFile["grid_survey"]! + r.rowsPerFile["insurance"]!)
        let bySource = Dictionary(grouping: population.map { $0.fields[0] }, by: { $0 }).mapValues(\.count)
        #expect(bySource == ["police": r.rowsPerFile["police"]!, "grid_survey": r.rowsPerFile["grid_survey"]!, "insurance": r.rowsPerFile["insurance"]!])
        // The insurance accounts carry no birth date; the registers' rows do.
        #expect(population.filter { $0.fields[0] == "insurance" }.allSatisfy { $0.fields[3].isEmpty })
        #expect(population.filter { $0.fields[0] == "police" }.allSatisfy { !$0.fields[3].isEmpty })
        // Each stacked row has the entity of the register row it came from.
        let truth = try GroundTruth.load(city.appendingPathComponent(StackedPopulation.truthPath))
        let entities = try GroundTruth.load(city.appendingPathComponent("truth/entities.csv"))
        func entity(_ t: GroundTruth, _ source: String, _ row: Int) -> String? {
            t.key(source: source, row: row).flatMap(t.entity(of:)).map { t.entities[Int($0)] }
        }
        for (k, row) in population.enumerated() where k % 97 == 0 {
            let stacked = try #require(entity(truth, "population", k + 1))
            #expect(stacked == entity(entities, row.fields[0], Int(row.fields[1])!))
        }
    }

    @Test func keptFolderHoldsTheCityAndTheOutputs() throws {
        let folder = Self.small.folder
        for path in ["city/police.csv", "city/coverage.json", "city/truth/labels.csv", "out/coverage/report.html", "out/coverage/labels.csv",
                     "out/dedupe/clusters.csv", "out/link/pairs.csv",
                     "city/population.csv", "city/truth/population.csv", "out/stacked/clusters.csv"] {
            #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent(path).path), "\(path)")
        }
    }

    @Test func withoutKeepTheFolderIsRemoved() throws {
        let folder = BenchFixture.temporaryFolder("bench-removed")
        defer { Scratch.remove(folder) }
        var run = BenchRun(persons: 300, seed: 2, folder: folder)
        run.linkSettings.randomPairs = 20_000
        let result = try run.run()
        #expect(result.departmentRows > 0)
        #expect(!FileManager.default.fileExists(atPath: folder.path))
    }

    @Test func staleScratchFoldersOfDeadProcessesAreSwept() throws {
        let directory = BenchFixture.temporaryFolder("bench-sweep")
        defer { Scratch.remove(directory) }
        let finished = Process()
        finished.executableURL = URL(fileURLWithPath: "/bin/sh")
        finished.arguments = ["-c", "exit 0"]
        try finished.run()
        finished.waitUntilExit()
        let dead = finished.processIdentifier, me = getpid()
        func make(_ name: String, marked: Bool) -> URL {
            let url = directory.appendingPathComponent(name)
            if marked { BenchRun.markScratch(url) } else { try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true) }
            return url
        }
        let stale = make("zhaoren-bench-\(dead)-300", marked: true)
        let kept = make("zhaoren-bench-\(dead)-400", marked: false)          // keep: no marker
        let mine = make("zhaoren-bench-\(me)-300", marked: true)             // this process runs
        let other = make("zhaoren-bench-\(dead)-300-notes", marked: true)    // not a name BenchRun makes
        BenchRun.removeStaleScratch(in: directory)
        #expect(!FileManager.default.fileExists(atPath: stale.path))
        for url in [kept, mine, other] { #expect(FileManager.default.fileExists(atPath: url.path), "\(url.lastPathComponent)") }
    }

    @Test func reportWritesJSONMarkdownAndHistory() throws {
        let folder = BenchFixture.temporaryFolder("bench-report")
        defer { Scratch.remove(folder) }
        let report = BenchReport(results: [Self.small.result], version: "0.1.0")
        let files = try report.write(to: folder)
        #expect(files.map(\.lastPathComponent) == ["bench.json", "bench.md", "history.jsonl"])
        let decoded = try JSONDecoder().decode(BenchReport.self, from: Data(contentsOf: files[0]))
        #expect(decoded == report)
        let md = try String(contentsOf: files[1], encoding: .utf8)
        #expect(md.contains("| size | shape | persons | rows |"))
        #expect(md.contains("| 2k | real | 2000 |"))
        #expect(md.contains("| 2k | persons placed in a village |"))
        #expect(md.contains("| 2k | generate | population | 2000 |"))
        #expect(md.contains("## Accuracy against the truth"))
        try report.write(to: folder)
        let history = try String(contentsOf: files[2], encoding: .utf8).split(separator: "\n")
        #expect(history.count == 2)   // one line per run, appended
        #expect(try JSONDecoder().decode(BenchReport.self, from: Data(history[1].utf8)) == report)

        let table = report.table
        #expect(table.contains("size  workflow  stage"))
        #expect(table.contains("person labels (1"))
        #expect(!table.contains(" \n"))   // no trailing spaces
    }

    @Test func childResultsRoundTripThroughAProcess() throws {
        let result = Self.small.result
        let json = BenchChild.output(result)
        #expect(!json.contains("\n"))
        let echoed = try BenchChild.run(executable: URL(fileURLWithPath: "/bin/sh"), arguments: ["-c", "cat <<'END'\n\(json)\nEND"])
        #expect(echoed == result)
        #expect(throws: ZhaorenError.self) { try BenchChild.run(executable: URL(fileURLWithPath: "/bin/sh"), arguments: ["-c", "exit 3"]) }
        #expect(throws: ZhaorenError.self) { try BenchChild.run(executable: URL(fileURLWithPath: "/bin/sh"), arguments: ["-c", "echo nonsense"]) }
    }

    @Test func labelSummaryAndPairwiseFigures() {
        let labels = BenchLabels(["a": .init(truth: 10, found: 10, agreed: 9), "b": .init(truth: 4, found: 5, agreed: 4),
                                  "c": .init(truth: 0, found: 0, agreed: 0), "x": .init(truth: 0, found: 7, agreed: 0)],
                                 defined: ["a", "b", "c"])
        #expect(labels.count == 2)
        #expect(labels.unscored == ["x": 7])
        #expect(labels.minPrecision == 0.8 && labels.minPrecisionLabel == "b")
        #expect(labels.minRecall == 0.9 && labels.minRecallLabel == "a")
        #expect(abs(labels.meanPrecision - 0.85) < 1e-12 && abs(labels.meanRecall - 0.95) < 1e-12)
        let p = BenchPairwise(truePositives: 990, falsePositives: 10, falseNegatives: 30)
        #expect(p.precision == 0.99)
        #expect(abs(p.recall - 990.0 / 1020) < 1e-12)
        #expect(abs(p.f1 - 2 * 0.99 * (990.0 / 1020) / (0.99 + 990.0 / 1020)) < 1e-12)
        #expect(BenchPairwise(truePositives: 0, falsePositives: 0, falseNegatives: 0).f1 == 1)
        #expect(BenchPairwise(truePositives: 0, falsePositives: 3, falseNegatives: 2).f1 == 0)
    }

    @Test func sizeLabels() {
        #expect(BenchRun.sizeLabel(950) == "950")
        #expect(BenchRun.sizeLabel(10_000) == "10k")
        #expect(BenchRun.sizeLabel(2_500) == "2.5k")
        #expect(BenchRun.sizeLabel(1_200_000) == "1.2M")
        #expect(BenchRun.sizeLabel(3_000_000) == "3M")
    }

    @Test func peakMemoryCanBeReadAndReset() {
        #expect(ProcessMemory.residentBytes() > 0)
        // Touch 256 MiB, free it (a large block goes back to the system), then reset the peak.
        let size = 256 << 20
        let block = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 4096)
        for offset in stride(from: 0, to: size, by: 4096) { block.storeBytes(of: 1, toByteOffset: offset, as: UInt8.self) }
        let high = ProcessMemory.peakBytes()
        block.deallocate()
        #expect(high > size)
        #expect(ProcessMemory.resetPeak())
        #expect(ProcessMemory.peakBytes() < high - size / 2)
    }
}

enum BenchFixture {
    /// A fresh folder inside ``Scratch/root``.
    static func temporaryFolder(_ name: String) -> URL {
        let url = Scratch.path("bench-" + name)
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
