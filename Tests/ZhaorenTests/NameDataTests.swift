import Foundation
import Testing
@testable import Zhaoren

/// The engine's embedded tables must equal `Data/` byte for byte (regenerate with
/// `python3 Scripts/embed-tables.py`).
@Suite struct EmbeddedDataTests {
    @Test func embeddedTablesMatchDataFolder() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Data")
        for (path, text) in EmbeddedData.files {
            let onDisk = try String(contentsOf: root.appendingPathComponent(path), encoding: .utf8)
            #expect(onDisk == text + "\n", "Data/\(path) differs from the embedded copy: run python3 Scripts/embed-tables.py")
        }
        #expect(EmbeddedData.files.count == 15)
        #expect(Set(EmbeddedData.files.map(\.path)).contains("regions.tsv"))
    }
}

@Suite struct NameDataTests {
    @Test func tablesParse() {
        #expect(NameTables.compoundSurnames().count >= 50)
        #expect(NameTables.surnames().count == 399)
        #expect(NameTables.pinyinSyllables().count == 420)
        #expect(NameTables.pinyinHeteronyms().count == 5_874)
        #expect(NameTables.regions().contains { $0.full == "固原市" && $0.short == "固原" })
    }
}
