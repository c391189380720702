import Foundation
import Testing
import ZhaorenBase
import ZhaorenTestSupport

/// `zhaoren base build`, `update` and `changes` as an operator runs them, and an update killed
/// half way.
@Suite struct BaseCommandTests {
    /// A generated city with a settings file that leaves out its death register.
    func city() throws -> URL {
        let folder = Scratch.path("base-cli-city")
        let generate = try CLIRunner.run(["generate", "--persons", "2500", "--seed", "13", "--out", folder.path])
        try #require(generate.status == 0, "\(generate.stderr)")
        let settings = folder.appendingPathComponent("coverage.json")
        var json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: settings)) as? [String: Any])
        json["sources"] = (json["sources"] as? [[String: Any]])?.filter { $0["name"] as? String != "deaths" }
        try JSONSerialization.data(withJSONObject: json).write(to: folder.appendingPathComponent("no-deaths.json"))
        return folder
    }

    @Test func buildUpdateAndReadTheLedger() throws {
        let folder = try city()
        defer { Scratch.remove(folder) }
        let db = folder.appendingPathComponent("base.sqlite").path
        let build = try CLIRunner.run(["base", "build", "--settings", folder.appendingPathComponent("no-deaths.json").path,
                                       "--db", db, "--as-of", "2026-11-01"])
        #expect(build.status == 0, "\(build.stderr)")
        #expect(build.stderr.contains("base of "))
        let update = try CLIRunner.run(["base", "update", "--settings", folder.appendingPathComponent("coverage.json").path,
                                        "--db", db, "--as-of", "2026-11-01"])
        #expect(update.status == 0, "\(update.stderr)")
        #expect(update.stderr.contains("update 1 (") && update.stderr.contains("deaths +") && update.stderr.contains("untouched"))
        let changes = try CLIRunner.run(["base", "changes", "--db", db])
        #expect(changes.status == 0)
        #expect(changes.stdout.hasPrefix("update,label,county,township,village,new,resolved,persisting\n"))
        #expect(changes.stdout.contains("\n1,deceased,"))
        // Nothing personal in what the commands print.
        let base = try PopulationBase(opening: URL(fileURLWithPath: db))
        for p in try base.matchFields().prefix(300) {
            #expect(!update.stderr.contains(p.name) && !(p.idNumber.map { changes.stdout.contains($0) } ?? false))
        }
        #expect(try CLIRunner.run(["base", "update", "--settings", "none.json", "--db", db]).status == 1)
        #expect(try CLIRunner.run(["base", "changes", "--db", folder.appendingPathComponent("none.sqlite").path]).status == 1)
    }

    @Test func nextMonthsFilesGoInIncrementallyAndARetrainKeepsIds() throws {
        let folder = try city()
        defer { Scratch.remove(folder) }
        let next = folder.appendingPathComponent("next")
        let month = try CLIRunner.run(["generate", "--next-month", folder.path, "--out", next.path, "--seed", "3"])
        #expect(month.status == 0, "\(month.stderr)")
        #expect(month.stdout.contains("police") && month.stdout.contains("apply it: zhaoren base update"))
        let deaths = try String(contentsOf: next.appendingPathComponent("deaths.csv"), encoding: .utf8)
        let settings = try String(contentsOf: next.appendingPathComponent("coverage.json"), encoding: .utf8)
        #expect(settings.contains("\"update\" : \"append\""))
        let db = folder.appendingPathComponent("base.sqlite").path
        #expect(try CLIRunner.run(["base", "build", "--settings", folder.appendingPathComponent("coverage.json").path,
                                   "--db", db, "--as-of", "2026-11-01"]).status == 0)
        let before = Set(try PopulationBase(opening: URL(fileURLWithPath: db)).matchFields().map(\.person))
        let update = try CLIRunner.run(["base", "update", "--settings", next.appendingPathComponent("coverage.json").path, "--db", db])
        #expect(update.status == 0, "\(update.stderr)")
        // Only what changed is linked: the new police rows, the month's deaths appended.
        let deathRows = deaths.split(separator: "\n").count - 1
        #expect(update.stderr.contains("deaths +\(deathRows) -0"), "\(update.stderr)")
        #expect(update.stderr.contains("base: link:") && update.stderr.contains("base: label:"))
        let after = Set(try PopulationBase(opening: URL(fileURLWithPath: db)).matchFields().map(\.person))
        #expect(before.isSubset(of: after) && after.count > before.count)
        // A retrain re-runs everything and keeps the ids.
        let retrain = try CLIRunner.run(["base", "retrain", "--settings", next.appendingPathComponent("coverage.json").path, "--db", db])
        #expect(retrain.status == 0, "\(retrain.stderr)")
        #expect(retrain.stderr.contains("(retrained)"))
        let retrained = Set(try PopulationBase(opening: URL(fileURLWithPath: db)).matchFields().map(\.person))
        #expect(Double(retrained.intersection(after).count) / Double(after.count) > 0.95)
        // Bad arguments.
        #expect(try CLIRunner.run(["generate", "--next-month", folder.appendingPathComponent("none").path, "--out", next.path]).status == 1)
    }

    @Test func anUpdateKilledHalfWayLeavesTheBaseAsItWas() throws {
        let folder = try city()
        defer { Scratch.remove(folder) }
        let db = folder.appendingPathComponent("base.sqlite")
        #expect(try CLIRunner.run(["base", "build", "--settings", folder.appendingPathComponent("no-deaths.json").path,
                                   "--db", db.path, "--as-of", "2026-11-01"]).status == 0)
        let before = try PopulationBase(opening: db).counts()
        let labelsBefore = try PopulationBase(opening: db).matchFields().map(\.labels)
        // Killed (SIGKILL, as a power cut) at one of its steps inside the transaction.
        var killed = false
        for step in 1...6 where !killed {
            let r = try CLIRunner.run(["base", "update", "--settings", folder.appendingPathComponent("coverage.json").path,
                                       "--db", db.path, "--as-of", "2026-11-01"], environment: ["ZHAOREN_FAULTS": "kill:after=\(step)"])
            if r.status == 0 { break }   // finished before the step came: the base is then the new one
            killed = r.status == 9
            #expect(killed, "exit \(r.status): \(r.stderr)")
            let base = try PopulationBase(opening: db)
            #expect(try base.counts() == before)
            #expect(try base.matchFields().map(\.labels) == labelsBefore)
            #expect(try base.ledger().isEmpty)
        }
        #expect(killed, "no step of the update was reached")
        // The next update completes.
        let update = try CLIRunner.run(["base", "update", "--settings", folder.appendingPathComponent("coverage.json").path,
                                        "--db", db.path, "--as-of", "2026-11-01"])
        #expect(update.status == 0, "\(update.stderr)")
        #expect(try PopulationBase(opening: db).ledger().contains { $0.label == "deceased" })
    }

    @Test func notesFromTheBaseFillTheNextWorklists() throws {
        let folder = try city()
        defer { Scratch.remove(folder) }
        let settings = folder.appendingPathComponent("coverage.json").path
        let db = folder.appendingPathComponent("base.sqlite")
        #expect(try CLIRunner.run(["base", "build", "--settings", settings, "--db", db.path, "--as-of", "2026-11-01"]).status == 0)
        let base = try PopulationBase(opening: db)
        let person = try #require(try base.worklist(try BaseArea(parsing: "*")).first { $0.idNumber != nil })
        _ = try base.addNote(person: person.person, user: "村级核查员", text: "已入户核实：外出务工")
        let out = folder.appendingPathComponent("coverage")
        let run = try CLIRunner.run(["coverage", "--settings", settings, "--out", out.path, "--as-of", "2026-11-01",
                                     "--worklists", "csv", "--notes-from", db.path])
        #expect(run.status == 0, "\(run.stderr)")
        let files = try FileManager.default.contentsOfDirectory(atPath: out.appendingPathComponent("worklists").path)
        var cells: [String] = []
        for file in files {
            let text = try String(contentsOf: out.appendingPathComponent("worklists").appendingPathComponent(file), encoding: .utf8)
            for line in text.split(separator: "\n") where line.contains("已入户核实") { cells.append(String(line)) }
        }
        // One worklist line, the person's, with the note (date and user) in 核实情况.
        #expect(cells.count == 1, "\(cells)")
        #expect(cells.first?.contains(person.name) == true)
        #expect(cells.first?.contains("村级核查员：已入户核实：外出务工") == true)
        // The report counts the visits by village (counts only, no note text).
        let report = try String(contentsOf: out.appendingPathComponent("report.html"), encoding: .utf8)
        #expect(report.contains("id=\"verification\"") && report.contains("核实进度"))
        #expect(report.contains("：1 / "))
        #expect(report.contains("<td>\(person.village)</td><td class=\"r\">") )
        #expect(!report.contains("外出务工"))
        // A base that is not there fails before the work.
        let missing = try CLIRunner.run(["coverage", "--settings", settings, "--out", folder.appendingPathComponent("c2").path,
                                         "--notes-from", folder.appendingPathComponent("none.sqlite").path])
        #expect(missing.status == 1 && missing.stderr.contains("no base here"))
    }
}
