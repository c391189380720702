import Foundation
import Testing
import Zhaoren
import ZhaorenBase
import ZhaorenBench
import ZhaorenCoverage
import ZhaorenSynth
import ZhaorenTestSupport

/// A generated city's coverage run, stored in a base once for the suite.
enum BaseFixture {
    static let run: (result: CoverageResult, folder: URL) = {
        let folder = Scratch.path("base-city")
        let city = try! SyntheticCity(CityConfig(persons: 2000, seed: 21))
        try! CityFolder.write(city, to: folder)
        let settings = try! CoverageSettings.load(folder.appendingPathComponent("coverage.json"))
        let result = try! CoverageRun(settings: settings, asOf: CivilDate(year: 2026, month: 11, day: 1)).run()
        return (result, folder)
    }()
}

@Suite struct PopulationBaseTests {
    @Test func aBuiltBaseHoldsEveryPersonRecordLabelAndAction() throws {
        let (result, folder) = BaseFixture.run
        let url = folder.appendingPathComponent("t1.sqlite")
        let summary = try PopulationBase.build(from: result, settings: "{}", to: url)
        #expect(summary.persons == result.persons.count)
        #expect(summary.records == result.persons.reduce(0) { $0 + $1.records.count })
        let base = try PopulationBase(opening: url)
        #expect(base.labelNames == result.labelNames)
        #expect(base.actions == result.actions)
        #expect(base.asOf == "2026-11-01")
        let counts = try base.counts()
        #expect(counts.persons == result.persons.count && counts.notes == 0)
        // Every person of the run is there with its values, labels, action and rows.
        let stored = try base.matchFields()
        #expect(stored.count == result.persons.count)
        let byName = Dictionary(grouping: result.persons, by: \.name)
        var checked = 0
        for p in stored.prefix(200) {
            let candidates = byName[p.name] ?? []
            #expect(candidates.contains { c in
                c.idNumber == p.idNumber && c.area.village == p.village && c.labels.map { result.labelNames[$0] } == p.labels
                    && c.action.map { result.actions[$0].name } == p.action
            }, "\(p.person)")
            checked += 1
        }
        #expect(checked == 200)
        let one = try #require(try base.person(summary.firstPersonID!))
        #expect(!one.records.isEmpty)
        #expect(one.person.count == 16 && one.person.allSatisfy(\.isHexDigit))
        #expect(try base.person("0000000000000000") == nil)
    }

    @Test func worklistsFollowTheAreaAndNotesAreKept() throws {
        let (result, folder) = BaseFixture.run
        let url = folder.appendingPathComponent("t2.sqlite")
        try PopulationBase.build(from: result, to: url)
        let base = try PopulationBase(opening: url)
        let all = try base.worklist(try BaseArea(parsing: "*"))
        #expect(all.count == result.persons.count { $0.action != nil })
        let first = try #require(all.first { !$0.village.isEmpty })
        let village = try base.worklist(try BaseArea(parsing: first.areaPath))
        #expect(!village.isEmpty && village.allSatisfy { $0.village == first.village && $0.township == first.township })
        #expect(village.count == result.persons.count {
            $0.action != nil && $0.area.county == first.county && $0.area.township == first.township && $0.area.village == first.village
        })
        let note = try #require(try base.addNote(person: first.person, user: "村级核查员", text: "已核实"))
        #expect(note.user == "村级核查员" && note.text == "已核实")
        #expect(try base.addNote(person: "nobody", user: "x", text: "y") == nil)
        #expect(try base.person(first.person)?.notes == [note])
        #expect(try base.worklist(try BaseArea(parsing: first.areaPath)).first { $0.person == first.person }?.notes == [note])
        // Areas: parsing and containment.
        let county = try BaseArea(parsing: first.county)
        #expect(county.contains(try BaseArea(parsing: first.areaPath)))
        #expect(!(try BaseArea(parsing: first.areaPath)).contains(county))
        // A person is in an area where they live or where they are registered.
        var moved = first
        moved.county = "别县"; moved.township = "别镇"; moved.village = "别村"
        moved.hukouCounty = first.county; moved.hukouTownship = first.township; moved.hukouVillage = first.village
        #expect(moved.lies(in: [try BaseArea(parsing: first.areaPath)]))
        #expect(moved.lies(in: [try BaseArea(parsing: "别县/别镇")]))
        #expect(!moved.lies(in: [try BaseArea(parsing: "第三县")]))
        // Reads are audited without values.
        try base.audit(user: "村级核查员", endpoint: "persons", persons: [first.person])
        #expect(try base.auditTrail().last.map { [$0.user, $0.endpoint, $0.person] } == ["村级核查员", "persons", first.person])
        #expect(throws: ZhaorenError.self) { try BaseArea(parsing: "a//b") }
        #expect(throws: ZhaorenError.self) { try BaseArea(parsing: "a/b/c/d") }
    }

    @Test func rebuildingReplacesTheFileWhole() throws {
        let (result, folder) = BaseFixture.run
        let url = folder.appendingPathComponent("t3.sqlite")
        let a = try PopulationBase.build(from: result, to: url)
        let b = try PopulationBase.build(from: result, to: url)
        #expect(a.firstPersonID != b.firstPersonID)   // new opaque ids, unrelated to the values
        #expect(try PopulationBase(opening: url).person(b.firstPersonID!) != nil)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasPrefix(".t3.sqlite.") }
        #expect(leftovers.isEmpty)
        // Not a base.
        let other = folder.appendingPathComponent("coverage.json")
        #expect(throws: ZhaorenError.self) { try PopulationBase(opening: other) }
        #expect(throws: ZhaorenError.self) { try PopulationBase(opening: folder.appendingPathComponent("none.sqlite")) }
    }

    @Test func theMatcherFindsPersonsDespiteTypos() throws {
        let (result, folder) = BaseFixture.run
        let url = folder.appendingPathComponent("t4.sqlite")
        try PopulationBase.build(from: result, to: url)
        let base = try PopulationBase(opening: url)
        let matcher = try BaseMatcher(base: base)
        let persons = try base.matchFields().filter { $0.idNumber != nil && $0.birthDate != nil }
        var found = 0, tried = 0
        for p in persons.prefix(100) {
            tried += 1
            var id = Array(p.idNumber!)
            id[8] = id[8] == "0" ? "1" : "0"
            let best = matcher.match(BaseMatcher.Query(id: String(id))).first
            if best?.person.person == p.person && (best?.probability ?? 0) > 0.5 { found += 1 }
            let byName = matcher.match(BaseMatcher.Query(name: p.name, birth: p.birthDate)).first
            #expect(byName.map { $0.person.name == p.name } == true)
        }
        #expect(found >= tried * 9 / 10, "\(found) of \(tried)")
        #expect(matcher.match(BaseMatcher.Query(name: "不存在的人名字")).isEmpty)
    }
}

@Suite struct BaseUpdateTests {
    /// The fixture city's run without its death register, and with it.
    static let runs: (without: CoverageResult, with: CoverageResult) = {
        let folder = BaseFixture.run.folder
        var settings = try! CoverageSettings.load(folder.appendingPathComponent("coverage.json"))
        let asOf = CivilDate(year: 2026, month: 11, day: 1)
        let full = BaseFixture.run.result
        settings.sources.removeAll { $0.name == "deaths" }
        let without = try! CoverageRun(settings: settings, asOf: asOf).run()
        return (without, full)
    }()

    @Test func aDeathsListTurnsPersonsDeceasedAndTouchesNoOneElse() throws {
        let folder = try Scratch.folder("update")
        defer { Scratch.remove(folder) }
        let url = folder.appendingPathComponent("base.sqlite")
        try PopulationBase.build(from: Self.runs.without, to: url)
        let base = try PopulationBase(opening: url)
        let before = Dictionary(uniqueKeysWithValues: try base.matchFields().map { ($0.person, $0) })
        let noted = try #require(before.values.first { $0.action != nil })
        _ = try base.addNote(person: noted.person, user: "村级核查员", text: "已核实")
        let summary = try base.retrain(from: Self.runs.with, settings: "{}")
        #expect(summary.update == 1)
        #expect(summary.changed > 0 && summary.gone == 0 && summary.merged == 0)
        #expect(summary.persons == Self.runs.with.persons.count)
        let after = Dictionary(uniqueKeysWithValues: try base.matchFields().map { ($0.person, $0) })
        // Every stored person keeps their id.
        #expect(before.keys.allSatisfy { after[$0] != nil })
        var changed = 0
        for (id, old) in before {
            let now = after[id]!
            if now.labels != old.labels || now.action != old.action {
                changed += 1
                // Only persons the death register speaks of changed, and they are deceased now.
                let card = try #require(try base.person(id))
                #expect(card.records.contains { $0.source == "deaths" }, "\(id) changed without a death record")
                #expect(now.labels.contains("deceased"))
            }
        }
        #expect(changed == summary.changed)
        #expect(summary.unchanged == before.count - changed)
        // New persons are those only the death register knows.
        for (id, p) in after where before[id] == nil {
            #expect(try base.person(id)!.records.allSatisfy { $0.source == "deaths" }, "\(p.person)")
        }
        // The note stays; the ledger says who became deceased where.
        #expect(try base.person(noted.person)?.notes.map(\.text) == ["已核实"])
        let ledger = try base.ledger()
        #expect(ledger.contains { $0.label == "deceased" && $0.new > 0 })
        #expect(ledger.allSatisfy { $0.update == 1 })
        #expect(ledger.filter { $0.label == "deceased" }.reduce(0) { $0 + $1.new } >= summary.changed)
        #expect(try base.personChanges(update: 1).filter { $0.kind == "changed" }.count == summary.changed)
        // The same files again change nothing.
        let again = try base.retrain(from: Self.runs.with)
        #expect(again.update == 2 && again.changed == 0 && again.new == 0 && again.gone == 0)
        #expect(try base.ledger(update: 2).allSatisfy { $0.new == 0 && $0.resolved == 0 })
    }

    @Test func personsNoLongerInAnyFileAreMarkedGoneWithTheirNotes() throws {
        // The list holding the most persons no other list knows, left out of the next month.
        let full = BaseFixture.run.result
        var alone: [String: Int] = [:]
        for p in full.persons {
            let sources = Set(p.records.map(\.source))
            if sources.count == 1, sources.first! != "police" { alone[sources.first!, default: 0] += 1 }
        }
        let dropped = try #require(alone.max { $0.value < $1.value }?.key, "no list knows persons of its own")
        var settings = try CoverageSettings.load(BaseFixture.run.folder.appendingPathComponent("coverage.json"))
        settings.sources.removeAll { $0.name == dropped }
        let next = try CoverageRun(settings: settings, asOf: CivilDate(year: 2026, month: 11, day: 1)).run()

        let folder = try Scratch.folder("update-gone")
        defer { Scratch.remove(folder) }
        let url = folder.appendingPathComponent("base.sqlite")
        try PopulationBase.build(from: full, to: url)
        let base = try PopulationBase(opening: url)
        let only = try base.matchFields().filter { p in try base.person(p.person)!.records.allSatisfy { $0.source == dropped } }
        #expect(only.count == alone[dropped])
        _ = try base.addNote(person: only[0].person, user: "x", text: "已迁出")
        let summary = try base.retrain(from: next)
        #expect(summary.gone == only.count)
        #expect(summary.persons == next.persons.count)
        #expect(try base.person(only[0].person) == nil)   // gone from the service and the worklists
        #expect(try base.counts().persons == next.persons.count)
        let gone = try base.personChanges(update: 1).filter { $0.kind == "gone" }.map(\.person)
        #expect(Set(gone) == Set(only.map(\.person)))
    }
}
