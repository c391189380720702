import Foundation
import Testing
@testable import Zhaoren

@Suite struct RegionTableTests {
    /// The package root, found from this file's path.
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test func hasHistoricalCodes() {
        #expect(RegionTable.shared.codeCount >= 7_000)
    }

    @Test func guyuanCounties() {
        let names = RegionTable.shared.guyuanCounties.map { "\($0.code) \($0.name)" }
        #expect(names == ["640402 原州区", "640422 西吉县", "640423 隆德县", "640424 泾源县", "640425 彭阳县"])
    }

    @Test func guyuanCountiesBefore2001() {
        let names = RegionTable.guyuanCountyCodesBefore2001.map { RegionTable.shared.lookup($0, year: 1990)?.name }
        #expect(names == ["固原县", "西吉县", "隆德县", "泾源县", "彭阳县"])
        #expect(RegionTable.shared.status(code: 640_402, year: 1990) == .notInForce)
        #expect(RegionTable.shared.status(code: 642_221, year: 1990) == .inForce)
    }

    @Test func reusedCodeHasNamePerYear() {
        let table = RegionTable.shared
        #expect(table.lookup("362324", year: 1980)?.name == "丰城县")
        #expect(table.lookup("362324", year: 1990)?.name == "铅山县")
        #expect(table.lookup("362324", year: 2010) == nil)
        #expect(table.history("362324").count == 2)
        #expect(table.lookup("120110")?.name == "东丽区")
    }

    @Test func specialRegions() {
        let table = RegionTable.shared
        #expect(table.lookup("710000")?.name == "台湾省")
        #expect(table.lookup("810000")?.name == "香港特别行政区")
        #expect(table.lookup("820000")?.name == "澳门特别行政区")
        #expect(table.lookup("830000")?.name == "台湾省")
        #expect(!table.contains("111111"))
        #expect(table.lookup("11111") == nil)
        #expect(table.status(code: 111_111, year: 1990) == .unknown)
        #expect(table.status(code: 110_111, year: 1950) == .notInForce)
        #expect(table.status(code: 110_111, year: 1990) == .inForce)
    }

    @Test func malformedTableThrowsWithLine() {
        #expect(throws: ZhaorenError.self) { try RegionTable(tsv: "code\tname\tfirst_year\tlast_year\n12345\tx\t\t\n") }
        do {
            _ = try RegionTable(tsv: "h\n110000\t北京市\t1980\t\n110101\t东城区\tabc\t\n")
        } catch {
            #expect(error.line == 3)
        }
    }
}
