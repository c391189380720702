import Foundation
import Testing
import Zhaoren
@testable import ZhaorenSynth
import ZhaorenSupport

/// The embedded tables must be exactly `Data/synth/*.tsv` and `Data/english/*.tsv`
/// (rerun `python3 Scripts/embed-tables.py`).
@Suite struct EmbeddedTablesTests {
    static let dataFolder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Data")

    @Test func embeddedMatchesData() throws {
        for (path, embedded) in EmbeddedTables.files {
            let text = try String(contentsOf: Self.dataFolder.appendingPathComponent(path), encoding: .utf8)
            #expect(text == embedded + "\n", "\(path) changed: run python3 Scripts/embed-tables.py")
        }
        #expect(EmbeddedTables.files.count == 18)
    }

    @Test func surnameTableFixesAndAdditions() {
        let rows = Dictionary(uniqueKeysWithValues: TSV.rows(EmbeddedTables.surnames).map { (String($0[0]), Double($0[1])!) })
        #expect(rows["于"] == 0.40)                 // faker's 0.0074 fixed
        #expect(rows["王"] == 7.17)
        for compound in ["欧阳", "上官", "司马", "诸葛", "尉迟"] { #expect(rows[compound] != nil) }
        for polyphonic in ["单", "曾", "解", "仇", "区", "朴", "缪", "查"] { #expect((rows[polyphonic] ?? 0) > 0) }
    }

    @Test func regionCodesAreRealSixDigitCodes() {
        let regions = RegionCodes()
        #expect(regions.codes.count >= 30)
        #expect(regions.codes.allSatisfy { $0 >= 110000 && $0 <= 659999 })
        #expect(regions.codes.contains(362324) && regions.codes.contains(120110))
    }
}

/// The generator's region codes agree with the engine's GB/T 2260 table.
@Suite struct SynthRegionCodeTests {
    @Test func everyCodeIsKnownToTheRegionTable() {
        let table = RegionTable.shared
        let regions = RegionCodes()
        for code in regions.codes { #expect(table.contains(String(code)), "\(code)") }
        for code in RegionTable.guyuanCountyCodes + RegionTable.guyuanCountyCodesBefore2001 { #expect(table.contains(code)) }
        for (i, code) in regions.codes.enumerated() where regions.kinds[i] != .abolished {
            #expect(table.status(code: Int(code), year: 2026) == .inForce, "\(code)")
        }
        for code in [362324, 642222, 642101] { #expect(table.status(code: code, year: 2026) == .notInForce) }
    }

    @Test func cityCodesMatchTheEngine() {
        let geo = { var rng = SeededGenerator(seed: 1); return Geography(persons: 1_000, &rng) }()
        #expect(geo.counties.map { String($0.code) } == RegionTable.guyuanCountyCodes)
        #expect(geo.counties.map { String($0.oldCode) } == RegionTable.guyuanCountyCodesBefore2001)
    }
}
