import Foundation
import Testing
import ZhaorenTestSupport
import Zhaoren

/// `keygen`, `encode` and `--encoded` runs of the built binary on the generated city.
@Suite struct EncodedCommandTests {
    /// The cross-file pairwise F1 of a link output against the city's truth.
    func linkF1(_ out: URL, city: URL) throws -> Double {
        let evaluation = try CLIRunner.run(["evaluate", "--pairs", out.appendingPathComponent("pairs.csv").path,
                                            "--truth", "truth/entities.csv",
                                            "--summary", out.appendingPathComponent("summary.json").path], in: city)
        #expect(evaluation.status == 0, "\(evaluation.stderr)")
        let report = try EngineCity.json(evaluation.stdout)
        let pairwise = try #require(report["pairwise"] as? [String: Any])
        return try #require(pairwise["f1"] as? Double)
    }

    @Test func encodedLinkMatchesThePlaintextLink() throws {
        let city = EngineCity.folder
        let work = try CLIRunner.temporaryDirectory()
        defer { Scratch.remove(work) }
        let key = work.appendingPathComponent("city.key").path
        let keygen = try CLIRunner.run(["keygen", "--out", key])
        #expect(keygen.status == 0, "\(keygen.stderr)")
        #expect(keygen.stdout.contains("fingerprint"))
        #expect(!keygen.stdout.contains(try String(contentsOfFile: key, encoding: .utf8).dropFirst(15).prefix(16)))
        // Each department encodes its own file; the files keep their sources' names.
        let encoded = work.appendingPathComponent("encoded")
        for (file, columns) in [("police.csv", EngineCity.police), ("grid_survey.csv", EngineCity.survey)] {
            let r = try CLIRunner.run(["encode", file, "--columns", columns, "--key-file", key,
                                       "--out", encoded.appendingPathComponent(file).path], in: city)
            #expect(r.status == 0, "\(r.stderr)")
            #expect(r.stderr.contains("rows encoded"))
        }
        // No input value in any encoded file: no non-ASCII byte (names, addresses) and no input
        // ID number, phone or birth date among the digit runs.
        for (file, enc) in [("police.csv", "police.csv"), ("grid_survey.csv", "grid_survey.csv")] {
            let bytes = try Data(contentsOf: encoded.appendingPathComponent(enc))
            #expect(bytes.allSatisfy { $0 < 0x80 }, "\(enc) holds non-ASCII bytes")
            var runs = Set<String>(), run = ""
            for b in bytes {
                if b >= 0x30 && b <= 0x39 { run.append(Character(UnicodeScalar(b))) } else {
                    if run.count >= 8 { runs.insert(run) }
                    run = ""
                }
            }
            let input = try String(contentsOf: city.appendingPathComponent(file), encoding: file == "police.csv" ? .utf8 : .init(rawValue: 0x8000_0632))
            var values = Set<String>()
            for line in input.split(separator: "\n").dropFirst() {
                for cell in line.split(separator: ",") {
                    let digits = cell.filter(\.isNumber)
                    if digits.count >= 8 { values.insert(String(digits)) }
                }
            }
            #expect(values.count > 3000)
            #expect(runs.allSatisfy { run in !values.contains { run.contains($0) } }, "\(enc) holds an input number")
        }
        let plain = work.appendingPathComponent("plain"), linked = work.appendingPathComponent("linked")
        let p = try CLIRunner.run(["link", "police.csv", "grid_survey.csv", "--quiet",
                                   "--left-columns", EngineCity.police, "--right-columns", EngineCity.survey,
                                   "--out", plain.path], in: city)
        #expect(p.status == 0, "\(p.stderr)")
        let e = try CLIRunner.run(["link", encoded.appendingPathComponent("police.csv").path,
                                   encoded.appendingPathComponent("grid_survey.csv").path, "--encoded", "--out", linked.path])
        #expect(e.status == 0, "\(e.stderr)")
        // Outputs name records by source and row only.
        let pairs = try String(contentsOf: linked.appendingPathComponent("pairs.csv"), encoding: .utf8)
        #expect(pairs.hasPrefix("source_a,row_a,source_b,row_b,probability,match_weight,name,id,birth,sex,phone,address"))
        #expect(pairs.split(separator: "\n").count > 1000)
        let summary = try String(contentsOf: linked.appendingPathComponent("summary.json"), encoding: .utf8)
        #expect(summary.contains("(encoded)") || !summary.contains("640"))
        let plainF1 = try linkF1(plain, city: city), encodedF1 = try linkF1(linked, city: city)
        #expect(encodedF1 >= plainF1 - 0.005, "encoded \(encodedF1), plaintext \(plainF1)")
        #expect(encodedF1 > 0.98)
        // Deduplicating an encoded file works the same way.
        let deduped = work.appendingPathComponent("deduped")
        let d = try CLIRunner.run(["dedupe", encoded.appendingPathComponent("grid_survey.csv").path, "--encoded", "--quiet",
                                   "--write", "clusters", "--out", deduped.path])
        #expect(d.status == 0, "\(d.stderr)")
        let evaluation = try CLIRunner.run(["evaluate", "--clusters", deduped.appendingPathComponent("clusters.csv").path,
                                            "--truth", "truth/entities.csv"], in: city)
        let report = try EngineCity.json(evaluation.stdout)
        let clusters = try #require(report["clusters"] as? [String: Any], "\(report.keys)")
        #expect(((clusters["pairwise"] as? [String: Any])?["f1"] as? Double ?? 0) > 0.97, "\(clusters)")
    }

    @Test func refusalsExitWithAReason() throws {
        let city = EngineCity.folder
        let work = try CLIRunner.temporaryDirectory()
        defer { Scratch.remove(work) }
        let k1 = work.appendingPathComponent("one.key").path, k2 = work.appendingPathComponent("two.key").path
        #expect(try CLIRunner.run(["keygen", "--out", k1]).status == 0)
        #expect(try CLIRunner.run(["keygen", "--out", k2]).status == 0)
        // An existing key is never overwritten.
        let again = try CLIRunner.run(["keygen", "--out", k1])
        #expect(again.status == 1 && again.stderr.contains("never overwritten"))
        // A missing key file.
        let missing = try CLIRunner.run(["encode", "police.csv", "--columns", EngineCity.police,
                                         "--key-file", work.appendingPathComponent("none.key").path,
                                         "--out", work.appendingPathComponent("x.csv").path], in: city)
        #expect(missing.status == 1 && missing.stderr.contains("keygen"), "\(missing.stderr)")
        // Files encoded with different keys.
        let a = work.appendingPathComponent("police.csv").path, b = work.appendingPathComponent("grid_survey.csv").path
        #expect(try CLIRunner.run(["encode", "police.csv", "--columns", EngineCity.police, "--key-file", k1, "--out", a, "--quiet"], in: city).status == 0)
        #expect(try CLIRunner.run(["encode", "grid_survey.csv", "--columns", EngineCity.survey, "--key-file", k2, "--out", b, "--quiet"], in: city).status == 0)
        let mixed = try CLIRunner.run(["link", a, b, "--encoded", "--out", work.appendingPathComponent("out").path])
        #expect(mixed.status == 1 && mixed.stderr.contains("another key"), "\(mixed.stderr)")
        #expect(!FileManager.default.fileExists(atPath: work.appendingPathComponent("out/pairs.csv").path))
        // A plaintext file passed as encoded.
        let plain = try CLIRunner.run(["dedupe", "police.csv", "--encoded", "--out", work.appendingPathComponent("out2").path], in: city)
        #expect(plain.status == 1 && plain.stderr.contains("not a keyed-encoded file"), "\(plain.stderr)")
        // --columns with --encoded, or neither: usage errors.
        #expect(try CLIRunner.run(["dedupe", a, "--encoded", "--columns", "name=姓名", "--out", "/tmp/never"]).status == 64)
        #expect(try CLIRunner.run(["dedupe", a, "--out", "/tmp/never"]).status == 64)
    }
}
