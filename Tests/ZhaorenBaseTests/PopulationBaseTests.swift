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
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".tmp") }
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
