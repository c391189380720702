import Foundation
import Testing
import Zhaoren
import ZhaorenBase
import ZhaorenBench
import ZhaorenCoverage
import ZhaorenSynth
import ZhaorenTestSupport

/// A generated city's run kept with its rows (what `zhaoren base build` stores), and the same
/// city's next month written by ``NextMonth``.
enum IncrementalFixture {
    static let asOf = CivilDate(year: 2026, month: 11, day: 1)
    static let city: (folder: URL, result: CoverageResult, next: URL, month: NextMonth.Summary) = {
        let folder = Scratch.path("incremental-city")
        let city = try! SyntheticCity(CityConfig(persons: 2000, seed: 33))
        try! CityFolder.write(city, to: folder)
        let settings = try! CoverageSettings.load(folder.appendingPathComponent("coverage.json"))
        let result = try! CoverageRun(settings: settings, asOf: asOf).run(keepRows: true)
        let next = Scratch.path("incremental-city-next")
        let month = try! NextMonth(seed: 5).write(from: folder, to: next)
        return (folder, result, next, month)
    }()

    /// A new base of the city's first month.
    static func base(_ name: String) throws -> (PopulationBase, URL) {
        let folder = try Scratch.folder(name)
        let url = folder.appendingPathComponent("base.sqlite")
        try PopulationBase.build(from: city.result, settings: "{}", to: url)
        return (try PopulationBase(opening: url), folder)
    }

    /// Each active person's rows (deaths left out), by person id.
    static func rows(_ base: PopulationBase) throws -> [String: Set<SourceRow>] {
        var out: [String: Set<SourceRow>] = [:]
        for p in try base.matchFields() {
            out[p.person] = Set(try base.person(p.person)!.records.filter { $0.source != "deaths" })
        }
        return out
    }
}

@Suite struct IncrementalUpdateTests {
    @Test func aMonthsChangeLinksOnlyTheChangedRowsAndAgreesWithAFullRun() throws {
        let (base, folder) = try IncrementalFixture.base(#function)
        defer { Scratch.remove(folder) }
        let before = try IncrementalFixture.rows(base)
        let nextSettings = try CoverageSettings.load(IncrementalFixture.city.next.appendingPathComponent("coverage.json"))
        let run = try CoverageRun(settings: nextSettings)
        let summary = try base.update(run: run, settings: "{}")
        let month = IncrementalFixture.city.month
        // Every file's change is seen: new police rows and changed rows; the deaths list appended.
        let police = try #require(summary.sources.first { $0.source == "police" })
        #expect(police.added == police.removed + month.added["police"]!)
        #expect(police.removed >= month.changed["police"]! / 2 && police.removed <= month.changed["police"]! + month.deaths + 5,
                "\(police) \(month)")
        #expect(police.kept == police.rows - police.added)
        let deaths = try #require(summary.sources.first { $0.source == "deaths" })
        #expect(deaths.mode == .append && deaths.added == month.deaths && deaths.removed == 0)
        #expect(summary.new >= month.added["police"]! && summary.gone == 0)
        // Persons keep their ids; persons none of whose rows changed are untouched.
        let after = try IncrementalFixture.rows(base)
        #expect(before.keys.allSatisfy { after[$0] != nil })
        #expect(summary.unchanged == summary.persons - summary.new - summary.changed)
        #expect(summary.unchanged > summary.persons * 9 / 10)

        // The same files in a full run: the same persons (as sets of rows) and the same labels.
        let full = try CoverageRun(settings: nextSettings).run(keepRows: true)
        let fullRows = Dictionary(uniqueKeysWithValues: full.persons.map { ($0.key, Set($0.records.filter { $0.source != "deaths" })) })
        let incremental = Set(after.values.filter { !$0.isEmpty })
        let whole = Set(fullRows.values.filter { !$0.isEmpty })
        #expect(Double(incremental.intersection(whole).count) / Double(whole.count) > 0.995)
        // Labels, for persons with an ID number, except `deceased` (the full run sees only this
        // month's deaths list; the base keeps last month's deaths).
        let fullLabels = Dictionary(uniqueKeysWithValues: full.persons.compactMap { p in
            p.idNumber.map { ($0, Set(p.labels.map { full.labelNames[$0] })) }
        })
        var compared = 0, differ = 0
        for p in try base.matchFields() {
            guard let id = p.idNumber, let other = fullLabels[id], !other.contains("deceased"), !p.labels.contains("deceased") else { continue }
            compared += 1
            if Set(p.labels) != other { differ += 1 }
        }
        #expect(compared > 1000)
        #expect(Double(differ) / Double(compared) < 0.005, "\(differ) of \(compared) persons labelled otherwise than a full run")

        // The same files again: nothing to link.
        let again = try base.update(run: run)
        #expect(again.sources.allSatisfy { $0.added == 0 && $0.removed == 0 })
        #expect(again.new == 0 && again.changed == 0 && again.gone == 0)
        #expect(try base.ledger(update: again.update).allSatisfy { $0.new == 0 && $0.resolved == 0 })
    }

    @Test func anAppendedDeathsListTurnsItsPersonsDeceasedAndTouchesNoOneElse() throws {
        let (base, folder) = try IncrementalFixture.base(#function)
        defer { Scratch.remove(folder) }
        let persons = try base.matchFields()
        let chosen = Array(persons.filter { $0.idNumber != nil && !$0.labels.contains("deceased") && $0.labels.contains("over_60") }.prefix(3))
        try #require(chosen.count == 3)
        let noted = chosen[0].person
        _ = try base.addNote(person: noted, user: "村级核查员", text: "已入户核实")
        // This month's deaths: three persons, the file an append source.
        var text = "姓名,身份证号码,性别,死亡日期,死亡地点,登记机关\n"
        for p in chosen { text += "\(p.name),\(p.idNumber!),\(p.sex ?? ""),2026年11月20日,家中,固原市原州区公安局\n" }
        let deathsFile = folder.appendingPathComponent("deaths-2026-11.csv")
        try text.write(to: deathsFile, atomically: true, encoding: .utf8)
        var settings = try CoverageSettings.load(IncrementalFixture.city.folder.appendingPathComponent("coverage.json"))
        let d = try #require(settings.sources.firstIndex { $0.kind == .deaths })
        settings.sources[d].path = deathsFile.path
        settings.sources[d].update = .append
        let summary = try base.update(run: try CoverageRun(settings: settings, asOf: IncrementalFixture.asOf), settings: "{}")
        #expect(summary.sources.map(\.added).reduce(0, +) == 3 && summary.sources[d].added == 3)
        #expect(summary.new == 0 && summary.gone == 0)
        #expect(summary.changed == 3)
        // Only they changed, and they are deceased now; the note stays.
        let after = Dictionary(uniqueKeysWithValues: try base.matchFields().map { ($0.person, $0) })
        for p in persons {
            let now = try #require(after[p.person])
            if chosen.contains(where: { $0.person == p.person }) {
                #expect(now.labels.contains("deceased") && !now.labels.contains("over_60"))
            } else {
                #expect(now.labels == p.labels && now.action == p.action && now.village == p.village)
            }
        }
        #expect(Set(try base.personChanges(update: summary.update).map(\.person)) == Set(chosen.map(\.person)))
        #expect(try base.person(noted)?.notes.map(\.text) == ["已入户核实"])
        let deceased = try base.ledger().filter { $0.label == "deceased" }
        #expect(deceased.reduce(0) { $0 + $1.new } == 3)
        #expect(deceased.reduce(0) { $0 + $1.persisting } == persons.filter { $0.labels.contains("deceased") }.count)
        // The same list sent again adds nothing.
        let again = try base.update(run: try CoverageRun(settings: settings, asOf: IncrementalFixture.asOf))
        #expect(again.sources.allSatisfy { $0.added == 0 } && again.changed == 0)
    }

    @Test func changedRulesAskForARetrain() throws {
        let (base, folder) = try IncrementalFixture.base(#function)
        defer { Scratch.remove(folder) }
        var settings = try CoverageSettings.load(IncrementalFixture.city.folder.appendingPathComponent("coverage.json"))
        settings.labels = (settings.labels ?? CoverageSettings.defaultLabels) + [.init(name: "extra", when: "age >= 100")]
        #expect(throws: ZhaorenError.self) { try base.update(run: try CoverageRun(settings: settings, asOf: IncrementalFixture.asOf)) }
        do {
            try base.update(run: try CoverageRun(settings: settings, asOf: IncrementalFixture.asOf))
        } catch {
            #expect(error.description.contains("zhaoren base retrain"))
        }
        // A retrain applies them and keeps the base updatable.
        let retrained = try base.retrain(from: try CoverageRun(settings: settings, asOf: IncrementalFixture.asOf).run(keepRows: true))
        #expect(retrained.gone == 0 && retrained.new == 0)
        let reopened = try PopulationBase(opening: base.url)
        #expect(reopened.labelNames.last == "extra")
        let after = try reopened.update(run: try CoverageRun(settings: settings, asOf: IncrementalFixture.asOf))
        #expect(after.new == 0 && after.changed == 0)
    }

    @Test func onlyAgesARuleTellsApartAreRelabelledWhenTheDateMoves() throws {
        let settings = try CoverageSettings.load(IncrementalFixture.city.folder.appendingPathComponent("coverage.json"))
        let run = try CoverageRun(settings: settings, asOf: IncrementalFixture.asOf)
        #expect(run.ageBoundaries == [16, 40, 45, 60])
        #expect(!run.readsMonth)
        var odd = settings
        odd.labels = (settings.labels ?? CoverageSettings.defaultLabels) + [.init(name: "odd", when: "age + 1 > 3")]
        #expect(try CoverageRun(settings: odd, asOf: IncrementalFixture.asOf).ageBoundaries == nil)
        var monthly = settings
        monthly.labels = (settings.labels ?? CoverageSettings.defaultLabels) + [.init(name: "late", when: "as_of_month > 202612")]
        #expect(try CoverageRun(settings: monthly, asOf: IncrementalFixture.asOf).readsMonth)
    }
}
