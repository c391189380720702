import Foundation
import Testing
import Zhaoren
@testable import ZhaorenSynth
import ZhaorenSupport

/// The English-records generator: determinism, truth consistency, realism of the noise.
@Suite struct EnglishRecordsTests {
    static func write(_ config: EnglishConfig) throws -> (URL, EnglishSummary) {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("zhaoren-english-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        let summary = try EnglishRecords(config).write(to: out)
        return (out, summary)
    }

    static func lines(_ url: URL) throws -> [Substring] {
        try String(contentsOf: url, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false).dropLast()
    }

    @Test func sameSeedGivesByteIdenticalFiles() throws {
        let (a, _) = try Self.write(EnglishConfig(persons: 1_500, seed: 9))
        let (b, _) = try Self.write(EnglishConfig(persons: 1_500, seed: 9))
        let (c, _) = try Self.write(EnglishConfig(persons: 1_500, seed: 10))
        for file in ["people.csv", "register.csv", "truth/entities.csv"] {
            let x = try Data(contentsOf: a.appendingPathComponent(file)), y = try Data(contentsOf: b.appendingPathComponent(file))
            #expect(x == y, "\(file)")
            #expect(x != (try Data(contentsOf: c.appendingPathComponent(file))), "\(file)")
        }
        for u in [a, b, c] { try? FileManager.default.removeItem(at: u) }
    }

    @Test func truthCoversEveryRowOnce() throws {
        let (out, summary) = try Self.write(EnglishConfig(persons: 3_000, seed: 1))
        defer { try? FileManager.default.removeItem(at: out) }
        let people = try Self.lines(out.appendingPathComponent("people.csv"))
        let register = try Self.lines(out.appendingPathComponent("register.csv"))
        let truth = try Self.lines(out.appendingPathComponent("truth/entities.csv"))
        #expect(people.first == "given_name,surname,date_of_birth,street,suburb,state,postcode,ssn")
        #expect(people.count - 1 == summary.peopleRows && register.count - 1 == summary.registerRows)
        #expect(truth.count - 1 == summary.truthRows && summary.truthRows == summary.peopleRows + summary.registerRows)
        var seen = Set<String>()
        var perEntity: [Substring: Int] = [:]
        for line in truth.dropFirst() {
            let f = line.split(separator: ",")
            #expect(seen.insert("\(f[0]):\(f[1])").inserted)
            if f[0] == "people" { perEntity[f[2], default: 0] += 1 }
        }
        // Every person has at least one row; about 30 % have two or more.
        #expect(perEntity.count == 3_000)
        let duplicated = perEntity.values.filter { $0 >= 2 }.count
        #expect(duplicated == summary.duplicatedPersons)
        #expect(Double(duplicated) / 3_000 > 0.25 && Double(duplicated) / 3_000 < 0.35)
        #expect(summary.peopleRows > 4_000 && summary.peopleRows < 4_800)
        #expect(summary.registerRows > 2_250 && summary.registerRows < 2_550)
        // The register is clean: every row complete except the SSNs some persons lack; surnames in capitals.
        for line in register.dropFirst() {
            let f = line.split(separator: ",", omittingEmptySubsequences: false)
            #expect(f.count == 8 && f[0...6].allSatisfy { !$0.isEmpty })
            #expect(f[1] == f[1].uppercased())
        }
    }

    @Test func clusteringAndTwinsAreThere() throws {
        let records = EnglishRecords(EnglishConfig(persons: 20_000, seed: 3))
        let pop = records.population
        // Common names collide: many distinct persons share a full name.
        var names: [String: Int] = [:]
        for p in 0..<pop.count { names["\(pop.given[p])/\(pop.female[p])/\(pop.surname[p])", default: 0] += 1 }
        #expect(names.values.filter { $0 >= 2 }.count > 300)
        // Twins: same surname, address and birth date, different given names.
        var twins = 0
        for p in 1..<pop.count where pop.birth[p] == pop.birth[p - 1] && pop.address[p] == pop.address[p - 1] {
            #expect(!(pop.given[p] == pop.given[p - 1] && pop.female[p] == pop.female[p - 1]))
            twins += 1
        }
        #expect(twins > 50 && twins < 400)
        // SSN-like numbers are unique among those who have one.
        let ssns = pop.ssn.filter { $0 != 0 }
        #expect(Set(ssns).count == ssns.count)
        #expect(Double(ssns.count) / Double(pop.count) > 0.93)
    }

    @Test func noiseKindsAreApplied() throws {
        let (out, _) = try Self.write(EnglishConfig(persons: 4_000, seed: 5))
        defer { try? FileManager.default.removeItem(at: out) }
        let people = try Self.lines(out.appendingPathComponent("people.csv")).dropFirst()
        let rows = people.map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        #expect(rows.contains { $0[7].count == 9 })                            // SSN written without dashes
        #expect(rows.contains { $0[3].hasSuffix(" St") } && rows.contains { $0[3].hasSuffix(" Street") })
        #expect(rows.contains { $0[0].isEmpty } && rows.contains { $0[2].isEmpty } && rows.contains { $0[7].isEmpty })
        #expect(rows.contains { $0[0] == $0[0].uppercased() && $0[0].count > 2 })
        #expect(rows.contains { $0[5].count > 2 })                              // a state spelled out
        #expect(rows.allSatisfy { $0.count == 8 })
    }

    @Test func noiseFunctions() {
        var rng = SeededGenerator(seed: 1)
        for _ in 0..<200 {
            let t = EnglishNoise.typo(Array("smith".utf8), &rng)
            #expect(abs(t.count - 5) <= 1)
        }
        #expect(EnglishNoise.rewrite(Array("Philip".utf8), [(Array("ph".utf8), Array("f".utf8))], &rng).map { String(decoding: $0, as: UTF8.self) } == "Filip")
        #expect(EnglishNoise.rewrite(Array("abc".utf8), [(Array("x".utf8), Array("y".utf8))], &rng) == nil)
        let d = EnglishNoise.digitTypo(Array("123-45-6789".utf8), &rng)
        #expect(zip(d, Array("123-45-6789".utf8)).filter { $0 != $1 }.count == 1)
        let swapped = EnglishNoise.digitTransposition(Array("12".utf8), &rng)
        #expect(String(decoding: swapped, as: UTF8.self) == "21")
        let date = CivilDate(year: 1980, month: 3, day: 7)!
        for _ in 0..<50 {
            let off = EnglishModification.digitOff(date, &rng)
            let digits = (off.compact, date.compact)
            #expect(zip(digits.0, digits.1).filter { $0 != $1 }.count == 1)
        }
    }

    @Test func tablesLoad() {
        let t = EnglishTables()
        #expect(t.surnames.count == 25_000 && t.surnames[0] == "Smith")
        #expect(t.givenMale[0] == "James" && t.givenFemale[0] == "Mary")
        #expect(t.states.count == 51 && t.states.allSatisfy { $0.zipLow <= $0.zipHigh })
        #expect(t.spellingGroup["katherine"] != nil && t.nicknameGroup["william"] != nil)
        #expect(t.streetTypes.contains { $0.full == "Avenue" && $0.short == "Ave" })
    }
}

