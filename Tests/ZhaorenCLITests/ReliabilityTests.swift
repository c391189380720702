import Foundation
import Testing
import ZhaorenTestSupport
import Zhaoren
import ZhaorenICU
import ZhaorenSynth
import ZhaorenBench

/// What a fault tester tries: full disks, read-only folders, kills between output files,
/// closed pipes, misspelt roles and settings keys, files named by mistake, mixed encodings;
/// and that nothing a person is identified by leaks into summaries, reports or logs.
/// A small generated city with its coverage settings, for the many runs below.
enum SmallCity {
    static let folder: URL = {
        let url = Scratch.path("small-city")
        let city = try! SyntheticCity(CityConfig(persons: 800, seed: 9))
        _ = try! CityFolder.write(city, to: url)
        // Fewer random pairs for u than the default: a debug build compares slowly.
        try! #"{"random_pairs": 20000}"#.write(to: url.appendingPathComponent("link-settings.json"), atomically: true, encoding: .utf8)
        return url
    }()
}

@Suite(.serialized) struct ReliabilityTests {
    /// Every file below `folder` with its bytes (hidden files included).
    static func snapshot(_ folder: URL) throws -> [String: Data] {
        var out: [String: Data] = [:]
        guard let walker = FileManager.default.enumerator(atPath: folder.path) else { return out }
        while let path = walker.nextObject() as? String {
            var isFolder: ObjCBool = false
            let url = folder.appendingPathComponent(path)
            if FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder), !isFolder.boolValue {
                out[path] = try Data(contentsOf: url)
            }
        }
        return out
    }

    /// The hidden staging folders and temporary files beside or inside `folder`.
    static func leftovers(beside folder: URL) throws -> [String] {
        let parent = folder.deletingLastPathComponent()
        let beside = try FileManager.default.contentsOfDirectory(atPath: parent.path).filter { $0.contains(".zhaoren-staging-") }
        let inside = (try? snapshot(folder).keys.filter { $0.hasSuffix(".tmp") }) ?? []
        return beside + inside
    }

    /// Every file of `a` and `b` equal, but for `summary.json` and `report.html` whose
    /// timings differ from run to run (compared without them).
    static func sameOutputs(_ a: [String: Data], _ b: [String: Data]) -> Bool {
        guard Set(a.keys) == Set(b.keys) else { return false }
        for (path, data) in a {
            if path.hasSuffix("summary.json") || path.hasSuffix("report.html") {
                func untimed(_ d: Data) -> String {
                    String(decoding: d, as: UTF8.self).replacingOccurrences(of: #"[0-9]+\.[0-9]+"#, with: "#", options: .regularExpression)
                }
                if untimed(data) != untimed(b[path]!) { return false }
            } else if data != b[path] {
                return false
            }
        }
        return true
    }

    static let commands: [(name: String, arguments: @Sendable (String) -> [String])] = [
        ("dedupe", { ["dedupe", "grid_survey.csv", "--columns", EngineCity.survey, "--out", $0, "--quiet",
                      "--settings", "link-settings.json"] }),
        ("link", { ["link", "police.csv", "grid_survey.csv", "--left-columns", EngineCity.police, "--right-columns", EngineCity.survey,
                    "--out", $0, "--quiet", "--settings", "link-settings.json"] }),
        ("coverage", { ["coverage", "--settings", "coverage.json", "--out", $0] }),
        ("generate", { ["generate", "--persons", "300", "--seed", "4", "--out", $0] }),
    ]

    @Test(arguments: [("write:ENOSPC:after=20000", "No space left on device"), ("fsync:EIO", "Input/output error"),
                      ("rename:EACCES", "Permission denied")])
    func ioFaultsAreErrorsAndKeepThePreviousOutputs(fault: String, reason: String) throws {
        let city = SmallCity.folder
        let work = try CLIRunner.temporaryDirectory("faults")
        defer { Scratch.remove(work) }
        for command in Self.commands {
            let out = work.appendingPathComponent(command.name).path
            let first = try CLIRunner.run(command.arguments(out), in: city)
            #expect(first.status == 0, "\(command.name): \(first.stderr)")
            let before = try Self.snapshot(URL(fileURLWithPath: out))
            #expect(!before.isEmpty)
            let failed = try CLIRunner.run(command.arguments(out), in: city, environment: ["ZHAOREN_FAULTS": fault])
            #expect(failed.status == 1, "\(command.name) with \(fault): status \(failed.status), \(failed.stderr)")
            #expect(failed.stderr.contains(reason), "\(command.name) with \(fault): \(failed.stderr)")
            #expect(!failed.stderr.contains("Fatal error") && !failed.stderr.contains("crashed"), "\(failed.stderr)")
            #expect(Self.sameOutputs(before, try Self.snapshot(URL(fileURLWithPath: out))), "\(command.name) changed its outputs")
            #expect(try Self.leftovers(beside: URL(fileURLWithPath: out)).isEmpty, "\(command.name) left temporary files")
        }
    }

    @Test func aReadOnlyFolderFailsBeforeTheWork() throws {
        let city = SmallCity.folder
        let work = try CLIRunner.temporaryDirectory("readonly")
        defer { Scratch.remove(work) }
        let result = try CLIRunner.run(["dedupe", "grid_survey.csv", "--columns", EngineCity.survey, "--out", work.appendingPathComponent("dd").path],
                                       in: city, environment: ["ZHAOREN_FAULTS": "mkdir:EROFS"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("Read-only file system") && result.stderr.contains(work.path))
        #expect(!result.stderr.contains("read_normalize"), "the work started before the folder was checked: \(result.stderr)")
        let coverage = try CLIRunner.run(["coverage", "--settings", "coverage.json", "--out", work.appendingPathComponent("cov").path],
                                         in: city, environment: ["ZHAOREN_FAULTS": "mkdir:EROFS"])
        #expect(coverage.status == 1 && coverage.stderr.contains("Read-only file system"))
        #expect(!coverage.stderr.contains("link persons"), "\(coverage.stderr)")
    }

    /// The folder shows the old set or the new set whole, wherever the run is killed.
    @Test func aKilledRunLeavesTheOldOrTheNewSetWhole() throws {
        let city = SmallCity.folder
        let work = try CLIRunner.temporaryDirectory("kill")
        defer { Scratch.remove(work) }
        let out = work.appendingPathComponent("cov").path
        func run(_ asOf: String, _ env: [String: String] = [:]) throws -> CLIRunner.Result {
            try CLIRunner.run(["coverage", "--settings", "coverage.json", "--out", out, "--as-of", asOf], in: city, environment: env)
        }
        #expect(try run("2026-12-01").status == 0)
        let new = try Self.snapshot(URL(fileURLWithPath: out))
        #expect(try run("2025-06-01").status == 0)
        let old = try Self.snapshot(URL(fileURLWithPath: out))
        #expect(!Self.sameOutputs(old, new))
        // Steps: every file of the new set (the manifest included), then the switch, then the
        // removal of the old set. Kill at the first steps, in the middle and around the switch.
        let n = new.count
        var sawOld = false, sawNew = false
        for step in Set([1, 2, n / 2, n - 1, n, n + 1, n + 2]).sorted() where step >= 1 {
            let killed = try run("2026-12-01", ["ZHAOREN_FAULTS": "kill:after=\(step)"])
            #expect(killed.status != 0, "step \(step) of \(n + 2): the run was not killed")
            let now = try Self.snapshot(URL(fileURLWithPath: out))
            let isOld = Self.sameOutputs(now, old), isNew = Self.sameOutputs(now, new)
            #expect(isOld || isNew, "killed at step \(step) of \(n + 2): a mix of two runs")
            #expect(isOld == (step <= n + 1), "killed at step \(step) of \(n + 2)")
            sawOld = sawOld || isOld
            sawNew = sawNew || isNew
            // Put the old set back for the next step (a finished run also cleans up what the killed one left).
            if isNew { #expect(try run("2025-06-01").status == 0) }
        }
        #expect(sawOld && sawNew && n > 5)
        #expect(try run("2026-12-01").status == 0)
        #expect(try Self.leftovers(beside: URL(fileURLWithPath: out)).isEmpty, "a finished run removes what killed runs left")
    }

    @Test func foreignFilesInTheOutputFolderAreNeverReplaced() throws {
        let city = SmallCity.folder
        let work = try CLIRunner.temporaryDirectory("foreign")
        defer { Scratch.remove(work) }
        let out = work.appendingPathComponent("dd")
        let args = ["dedupe", "grid_survey.csv", "--columns", EngineCity.survey, "--out", out.path, "--quiet",
                    "--settings", "link-settings.json"]
        #expect(try CLIRunner.run(args, in: city).status == 0)
        try "worker's notes".write(to: out.appendingPathComponent("notes.txt"), atomically: true, encoding: .utf8)
        let again = try CLIRunner.run(args, in: city)
        #expect(again.status == 1)
        #expect(again.stderr.contains("notes.txt"))
        #expect(try String(contentsOf: out.appendingPathComponent("notes.txt"), encoding: .utf8) == "worker's notes")
    }

    @Test func aClosedPipeIsAnErrorNotACrash() throws {
        let work = try CLIRunner.temporaryDirectory("pipe")
        defer { Scratch.remove(work) }
        let ids = work.appendingPathComponent("ids.txt")
        try String(repeating: "11010519491231002X\n", count: 50_000).write(to: ids, atomically: true, encoding: .utf8)
        let status = work.appendingPathComponent("status")
        // A real closed pipe: bash's PIPESTATUS gives the first command's status.
        let bash = Process()
        bash.executableURL = URL(fileURLWithPath: "/bin/bash")
        bash.arguments = ["-c", "'\(CLIRunner.binary.path)' check resident-id '\(ids.path)' 2>'\(work.path)/err' | head -1 >/dev/null; echo ${PIPESTATUS[0]} > '\(status.path)'"]
        try bash.run()
        bash.waitUntilExit()
        let code = try String(contentsOf: status, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        let err = try String(contentsOf: work.appendingPathComponent("err"), encoding: .utf8)
        #expect(code == "1", "exit status \(code): \(err)")
        #expect(err.contains("standard output: Broken pipe"))
        #expect(!err.contains("crashed"))
    }

    @Test func misspeltRolesAndSettingsKeysAreErrorsThatListWhatIsAccepted() throws {
        let city = SmallCity.folder
        let work = try CLIRunner.temporaryDirectory("roles")
        defer { Scratch.remove(work) }
        let role = try CLIRunner.run(["dedupe", "grid_survey.csv", "--columns", "nam=姓名,id=证件号码", "--out", work.path + "/x"], in: city)
        #expect(role.status == 64)
        #expect(role.stderr.contains("unknown role \"nam\"") && role.stderr.contains("did you mean \"name\"") && role.stderr.contains("given_name"))
        let normalize = try CLIRunner.run(["normalize", "grid_survey.csv", "--columns", "name=姓名,idd=证件号码", "--out", work.path + "/n.csv"],
                                          in: city)
        #expect(normalize.status == 64 && normalize.stderr.contains("unknown role \"idd\""))

        let settings = work.appendingPathComponent("s.json")
        try #"{"treshold": 0.95}"#.write(to: settings, atomically: true, encoding: .utf8)
        let key = try CLIRunner.run(["dedupe", "grid_survey.csv", "--columns", EngineCity.survey, "--settings", settings.path,
                                     "--out", work.path + "/y"], in: city)
        #expect(key.status == 1)
        #expect(key.stderr.contains("unknown key \"treshold\"") && key.stderr.contains("did you mean \"threshold\"") && key.stderr.contains("cannot_link"))

        // A coverage source with a misspelt role.
        var text = try String(contentsOf: city.appendingPathComponent("coverage.json"), encoding: .utf8)
        text = text.replacingOccurrences(of: "\"death_date\"", with: "\"death_dat\"")
        let coverage = work.appendingPathComponent("coverage.json")
        try text.replacingOccurrences(of: "\"path\" : \"", with: "\"path\" : \"\(city.path)/").write(to: coverage, atomically: true, encoding: .utf8)
        let cov = try CLIRunner.run(["coverage", "--settings", coverage.path, "--out", work.path + "/c"])
        #expect(cov.status == 1)
        #expect(cov.stderr.contains("unknown role \"death_dat\"") && cov.stderr.contains("did you mean \"death_date\""))
    }

    @Test func aFileNamedByMistakeIsNotQuoted() throws {
        let work = try CLIRunner.temporaryDirectory("mistake")
        defer { Scratch.remove(work) }
        let secret = work.appendingPathComponent("shadow")
        try "root:$6$saltsaltsaltsalt$hashhashhashhashhashhash:19000:0:99999:7:::\nbin:*:19000:0:99999:7:::\n"
            .write(to: secret, atomically: true, encoding: .utf8)
        let result = try CLIRunner.run(["dedupe", secret.path, "--columns", "name=姓名", "--out", work.path + "/x"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("no column \"姓名\""))
        #expect(!result.stderr.contains("saltsalt") && !result.stderr.contains("hashhash"), "\(result.stderr)")
    }

    @Test func aFileThatSwitchesEncodingIsReportedAtTheLineThatFails() throws {
        let work = try CLIRunner.temporaryDirectory("mixed")
        defer { Scratch.remove(work) }
        let file = work.appendingPathComponent("mixed.csv")
        var bytes = Array("姓名,身份证号\n张伟,11010519491231002X\n李娜,110105198002022342\n".utf8)
        bytes += try #require(try CharsetConverter("GB18030").encode("王芳,\n赵敏,\n"))
        try Data(bytes).write(to: file)
        let result = try CLIRunner.run(["normalize", file.path, "--columns", "name=姓名,id=身份证号", "--out", work.path + "/n.csv"])
        #expect(result.status == 0, "\(result.stderr)")
        let rejects = try String(contentsOf: work.appendingPathComponent("n.rejects.csv"), encoding: .utf8)
        #expect(rejects.contains("mixed.csv,3,4,1,invalid_encoding") && rejects.contains("mix encodings"), "\(rejects)")
        #expect(result.stderr.contains("2 written") && result.stderr.contains("2 rejected"))
    }

    @Test func gb18030TargetsAreRead() throws {
        let city = SmallCity.folder
        let work = try CLIRunner.temporaryDirectory("targets")
        defer { Scratch.remove(work) }
        let out = work.appendingPathComponent("cov").path
        #expect(try CLIRunner.run(["coverage", "--settings", "coverage.json", "--out", out, "--as-of", "2025-06-01"], in: city).status == 0)
        let targets = work.appendingPathComponent("targets.csv")
        try Data(try #require(try CharsetConverter("GB18030").encode("地区,目标\n原州区,50\n"))).write(to: targets)
        let again = try CLIRunner.run(["coverage", "--settings", "coverage.json", "--out", out, "--previous", out,
                                       "--targets", targets.path], in: city)
        #expect(again.status == 0, "\(again.stderr)")
        let summary = try EngineCity.json(try String(contentsOf: URL(fileURLWithPath: out + "/summary.json"), encoding: .utf8))
        let rows = try #require(summary["targets"] as? [[String: Any]])
        #expect(rows.first?["area"] as? String == "原州区")
        #expect((rows.first?["matched"] as? [String])?.isEmpty == false)
    }

    /// No ID number, phone or full name of the city reaches a summary, a report or a log.
    @Test func summariesReportsAndLogsAreMasked() throws {
        let city = SmallCity.folder
        let work = try CLIRunner.temporaryDirectory("masking")
        defer { Scratch.remove(work) }
        var logs = ""
        let runs: [[String]] = [
            ["dedupe", "grid_survey.csv", "--columns", EngineCity.survey, "--out", work.path + "/dd", "--settings", "link-settings.json"],
            ["link", "police.csv", "grid_survey.csv", "--left-columns", EngineCity.police, "--right-columns", EngineCity.survey,
             "--out", work.path + "/lk", "--settings", "link-settings.json"],
            ["coverage", "--settings", "coverage.json", "--out", work.path + "/cov"],
        ]
        for args in runs {
            let result = try CLIRunner.run(args, in: city)
            #expect(result.status == 0, "\(result.stderr)")
            logs += result.stdout + result.stderr
        }
        let shared = [logs] + (try ["dd/summary.json", "lk/summary.json", "cov/summary.json", "cov/report.html"].map {
            try String(contentsOf: work.appendingPathComponent($0), encoding: .utf8)
        })
        let text = shared.joined(separator: "\n")
        #expect(text.contains("**"), "the largest blocks show masked values")
        let persons = try String(contentsOf: city.appendingPathComponent("truth/persons.csv"), encoding: .utf8)
            .split(separator: "\n").dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        var leaks: [String] = []
        func isHan(_ c: Character?) -> Bool { c.map { $0.unicodeScalars.first!.value >= 0x3400 } ?? false }
        for p in persons {
            let name = String(p[1]), id = String(p[2]), phone = String(p[14])
            if id.count == 18 && text.contains(id) { leaks.append("id \(id.prefix(6))…") }
            if phone.count == 11 && text.contains(phone) { leaks.append("phone \(phone.prefix(3))…") }
            // A name counts where it stands alone (not inside a longer word such as a village name).
            var range = text.startIndex..<text.endIndex
            while name.count >= 2, let found = text.range(of: name, range: range) {
                let before = found.lowerBound > text.startIndex ? text[text.index(before: found.lowerBound)] : nil
                let after = found.upperBound < text.endIndex ? text[found.upperBound] : nil
                if !isHan(before) && !isHan(after) { leaks.append("name \(name.prefix(1))…"); break }
                range = found.upperBound..<text.endIndex
            }
        }
        #expect(leaks.isEmpty, "\(leaks.count) values leak, e.g. \(leaks.prefix(5))")
    }

    /// Coverage outputs do not depend on the number of threads.
    @Test func coverageIsTheSameOnOneThreadAndOnAll() throws {
        let city = SmallCity.folder
        let work = try CLIRunner.temporaryDirectory("threads")
        defer { Scratch.remove(work) }
        let one = try CLIRunner.run(["coverage", "--settings", "coverage.json", "--out", work.path + "/one"], in: city,
                                    environment: ["ZHAOREN_THREADS": "1"])
        let all = try CLIRunner.run(["coverage", "--settings", "coverage.json", "--out", work.path + "/all"], in: city)
        #expect(one.status == 0 && all.status == 0)
        #expect(Self.sameOutputs(try Self.snapshot(work.appendingPathComponent("one")), try Self.snapshot(work.appendingPathComponent("all"))))
    }
}
