import Foundation
import Testing
@testable import Zhaoren

/// The embedded tables must equal `Data/` (regenerate with `python3 Scripts/names/embed-name-data.py`).
@Suite struct NameDataTests {
    @Test func embeddedTablesMatchDataFolder() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Data")
        for (name, text) in NameData.files {
            let onDisk = try String(contentsOf: root.appendingPathComponent(name), encoding: .utf8)
            #expect(onDisk.trimmingCharacters(in: .newlines) == text, "Data/\(name) differs from NameData.swift")
        }
        #expect(NameData.files.count == 12)
    }

    @Test func tablesParse() {
        #expect(NameTables.compoundSurnames().count >= 50)
        #expect(NameTables.surnames().count == 399)
        #expect(NameTables.pinyinSyllables().count == 420)
        #expect(NameTables.pinyinHeteronyms().count == 5_874)
        #expect(NameTables.regions().contains { $0.full == "固原市" && $0.short == "固原" })
    }
}
