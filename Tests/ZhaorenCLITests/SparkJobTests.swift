import Foundation
import Testing
import ZhaorenTestSupport

/// `Scripts/spark/zhaoren_spark.py` in Spark's local mode, shipping the built binary, against
/// the single-machine run on the same generated city. Needs a JRE and the job's Python
/// packages: `.ci/run` installs them (`.venv-spark` in the checkout); elsewhere set
/// `ZHAOREN_SPARK_PYTHON` to a Python with PySpark, or the tests are skipped.
@Suite(.serialized, .enabled(if: SparkJob.python != nil, "no Python with PySpark and pyarrow, or no java: run .ci/run once"))
struct SparkJobTests {
    /// Pairwise F1 of clustering `b` against clustering `a` (`clusters.csv` files): how far a
    /// sharded run is from the single one.
    static func clusterF1(_ a: URL, _ b: URL) throws -> (f1: Double, pairs: Int) {
        func pairs(_ url: URL) throws -> Set<String> {
            var members: [String: [String]] = [:]
            for line in try String(contentsOf: url, encoding: .utf8).split(separator: "\n").dropFirst() {
                let f = line.split(separator: ",")
                members[String(f[2]), default: []].append("\(f[0]):\(f[1])")
            }
            var out = Set<String>()
            for m in members.values where m.count > 1 {
                let s = m.sorted()
                for i in s.indices { for j in (i + 1)..<s.count { out.insert(s[i] + "|" + s[j]) } }
            }
            return out
        }
        let x = try pairs(a), y = try pairs(b)
        let common = Double(x.intersection(y).count)
        guard !x.isEmpty || !y.isEmpty else { return (1, 0) }
        return (2 * common / Double(x.count + y.count), x.count)
    }

    /// Settings shared by both runs: fewer random pairs for u (the debug binary is slow), and a
    /// name rule capped so low that its blocks are oversized and split.
    static func settings(in folder: URL) throws -> URL {
        let url = folder.appendingPathComponent("settings.json")
        try Data("""
            {"random_pairs": 200000,
             "blocking": [
               {"name": "id", "on": ["id"], "max_block_size": 100},
               {"name": "id_one_edit", "on": ["id_corrections"], "max_block_size": 50},
               {"name": "name_birth", "on": ["name", "birth"], "max_block_size": 300},
               {"name": "surname_year", "on": ["surname", "birth_year"], "max_block_size": 8, "split_by": ["sex", "birth"]},
               {"name": "fuzzy_pinyin_birth", "on": ["fuzzy_pinyin", "birth"], "max_block_size": 300}
             ]}
            """.utf8).write(to: url)
        return url
    }

    func runJob(_ arguments: [String], in city: URL) throws -> CLIRunner.Result {
        try CLIRunner.run(program: URL(fileURLWithPath: SparkJob.python!),
                          [SparkJob.script.path] + arguments + ["--zhaoren", CLIRunner.binary.path, "--master", "local[2]", "--parts", "3"],
                          in: city)
    }

    @Test func dedupeOnSparkGivesTheSingleRunsClusters() throws {
        let city = EngineCity.folder
        let work = try CLIRunner.temporaryDirectory()
        defer { Scratch.remove(work) }
        let settings = try Self.settings(in: work)
        let single = work.appendingPathComponent("single"), spark = work.appendingPathComponent("spark")
        let stages = work.appendingPathComponent("stages.json")
        let one = try CLIRunner.run(["dedupe", "grid_survey.csv", "--columns", EngineCity.survey, "--settings", settings.path,
                                     "--out", single.path], in: city)
        #expect(one.status == 0, "\(one.stderr)")
        let job = try runJob(["dedupe", "grid_survey.csv", "--columns", EngineCity.survey, "--encoding", "gb18030",
                              "--settings", settings.path, "--out", spark.path, "--stages", stages.path], in: city)
        try #require(job.status == 0, "\(job.stderr.suffix(3000))")
        let (f1, pairs) = try Self.clusterF1(single.appendingPathComponent("clusters.csv"), spark.appendingPathComponent("clusters.csv"))
        #expect(pairs > 50)
        #expect(f1 >= 0.999, "F1 \(f1) against the single run")
        // The same files, in the same formats.
        for file in ["pairs.csv", "clusters.csv", "rejects.csv"] {
            let a = try String(contentsOf: single.appendingPathComponent(file), encoding: .utf8).split(separator: "\n")
            let b = try String(contentsOf: spark.appendingPathComponent(file), encoding: .utf8).split(separator: "\n")
            #expect(a.first == b.first, "\(file) header")
            #expect(abs(a.count - b.count) <= max(2, a.count / 1000), "\(file): \(a.count) against \(b.count) lines")
        }
        let s1 = try EngineCity.json(String(contentsOf: single.appendingPathComponent("summary.json"), encoding: .utf8))
        let s2 = try EngineCity.json(String(contentsOf: spark.appendingPathComponent("summary.json"), encoding: .utf8))
        #expect(Set(s1.keys) == Set(s2.keys))
        #expect(s2["records"] as? Int == s1["records"] as? Int)
        // The capped rule's blocks were oversized in both runs and split, not exploded: the
        // same candidate pairs per rule.
        func rules(_ s: [String: Any]) -> [[String: Any]] { ((s["blocking"] as? [String: Any])?["rules"] as? [[String: Any]]) ?? [] }
        let capped1 = try #require(rules(s1).first { $0["name"] as? String == "surname_year" })
        let capped2 = try #require(rules(s2).first { $0["name"] as? String == "surname_year" })
        #expect((capped1["oversized_blocks"] as? Int ?? 0) > 0)
        #expect(capped2["oversized_blocks"] as? Int == capped1["oversized_blocks"] as? Int)
        #expect(capped2["dropped_records"] as? Int == capped1["dropped_records"] as? Int)
        #expect(rules(s2).map { $0["pairs"] as? Int } == rules(s1).map { $0["pairs"] as? Int })
        // Every stage measured.
        let measured = try EngineCity.json(String(contentsOf: stages, encoding: .utf8))
        let seconds = try #require(measured["seconds"] as? [String: Double])
        #expect(Set(seconds.keys).isSuperset(of: ["read", "plan", "keys", "route", "count", "train", "score", "cluster"]))
        let facts = try #require(measured["facts"] as? [String: Any])
        #expect((facts["oversized_blocks"] as? Int ?? 0) > 0)
        #expect((facts["routed_rows"] as? Int ?? 0) > 0)
    }

    @Test func linkOnSparkGivesTheSingleRunsClusters() throws {
        let city = EngineCity.folder
        let work = try CLIRunner.temporaryDirectory()
        defer { Scratch.remove(work) }
        let settings = try Self.settings(in: work)
        let single = work.appendingPathComponent("single"), spark = work.appendingPathComponent("spark")
        let one = try CLIRunner.run(["link", "police.csv", "grid_survey.csv", "--left-columns", EngineCity.police,
                                     "--right-columns", EngineCity.survey, "--settings", settings.path, "--out", single.path], in: city)
        #expect(one.status == 0, "\(one.stderr)")
        let job = try runJob(["link", "police.csv", "grid_survey.csv", "--left-columns", EngineCity.police,
                              "--right-columns", EngineCity.survey, "--encoding", "utf-8,gb18030", "--settings", settings.path,
                              "--driver-edges", "0", "--stages", work.appendingPathComponent("stages.json").path,
                              "--out", spark.path], in: city)
        try #require(job.status == 0, "\(job.stderr.suffix(3000))")
        let (f1, pairs) = try Self.clusterF1(single.appendingPathComponent("clusters.csv"), spark.appendingPathComponent("clusters.csv"))
        #expect(pairs > 1000)
        #expect(f1 >= 0.999, "F1 \(f1) against the single run")
        let u1 = try String(contentsOf: single.appendingPathComponent("unmatched.csv"), encoding: .utf8).split(separator: "\n").count
        let u2 = try String(contentsOf: spark.appendingPathComponent("unmatched.csv"), encoding: .utf8).split(separator: "\n").count
        #expect(abs(u1 - u2) <= max(2, u1 / 500))
        // Clustered in Spark (components by label propagation, cannot-link per component), not
        // on the driver: the same summary counts.
        let measured = try EngineCity.json(String(contentsOf: work.appendingPathComponent("stages.json"), encoding: .utf8))
        #expect((measured["facts"] as? [String: Any])?["clustering"] as? String == "spark")
        let s1 = try EngineCity.json(String(contentsOf: single.appendingPathComponent("summary.json"), encoding: .utf8))
        let s2 = try EngineCity.json(String(contentsOf: spark.appendingPathComponent("summary.json"), encoding: .utf8))
        for key in ["records", "pairs_above_threshold", "multi_record_clusters", "largest_cluster", "merges_refused"] {
            let a = s1[key] as? Int ?? -1, b = s2[key] as? Int ?? -2
            #expect(abs(a - b) <= max(1, a / 500), "\(key): \(a) against \(b)")
        }
        #expect((s2["unmatched"] as? [String: Int])?.keys.sorted() == ["grid_survey", "police"])
    }

    @Test func aMissingBinaryIsAClearError() throws {
        let work = try CLIRunner.temporaryDirectory()
        defer { Scratch.remove(work) }
        try Data("姓名\n张三\n".utf8).write(to: work.appendingPathComponent("x.csv"))
        let job = try CLIRunner.run(program: URL(fileURLWithPath: SparkJob.python!),
                                    [SparkJob.script.path, "dedupe", "x.csv", "--columns", "name=姓名", "--out", "out",
                                     "--zhaoren", work.appendingPathComponent("nothing").path], in: work)
        #expect(job.status == 1)
        let text = job.stderr
        #expect(text.contains("no zhaoren binary there"))
    }
}

/// Where the Spark job and a Python that runs it are.
enum SparkJob {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let script = root.appendingPathComponent("Scripts/spark/zhaoren_spark.py")

    /// `ZHAOREN_SPARK_PYTHON`, else the checkout's `.venv-spark`, if it imports PySpark and
    /// pyarrow and a `java` is on the PATH.
    static let python: String? = {
        guard CLIRunner.which("java") != nil else { return nil }
        let candidates = [ProcessInfo.processInfo.environment["ZHAOREN_SPARK_PYTHON"],
                          root.appendingPathComponent(".venv-spark/bin/python").path].compactMap { $0 }
        for candidate in candidates where FileManager.default.isExecutableFile(atPath: candidate) {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: candidate)
            p.arguments = ["-c", "import pyspark, pyarrow"]
            p.standardOutput = Pipe()
            p.standardError = Pipe()
            guard (try? p.run()) != nil else { continue }
            p.waitUntilExit()
            if p.terminationStatus == 0 { return candidate }
        }
        return nil
    }()
}
