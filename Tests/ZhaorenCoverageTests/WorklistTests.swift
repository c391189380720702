import Foundation
import Testing
import ZhaorenTestSupport
import Zhaoren
@testable import ZhaorenCoverage

@Suite struct WorklistTests {
    static let header = "序号,网格,姓名,性别,身份证号,年龄,联系电话,标签,建议措施,来源记录,核实情况,备注\n"

    @Test func oneFilePerVillageWithPeopleNeedingAction() throws {
        let dir = CoverageFixture.folder()
        defer { Scratch.remove(dir) }
        try CoverageOutput(CoverageFixture.result()).write(to: dir, worklistFormat: .csv)
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("worklists").path).sorted()
        // 西吉县's only person needs no action: no worklist there.
        #expect(files == ["原州区-开城镇-和泉村.csv", "原州区-清河镇-东关村.csv", "未知-未知-未知.csv"])
    }

    @Test func groupsByGridThenNameWithMaskedIdentifiers() throws {
        let dir = CoverageFixture.folder()
        defer { Scratch.remove(dir) }
        try CoverageOutput(CoverageFixture.result()).write(to: dir, worklistFormat: .csv)
        let text = try CoverageFixture.text(dir.appendingPathComponent("worklists/原州区-清河镇-东关村.csv"))
        #expect(text == "\u{FEFF}" + Self.header + """
            1,网格1,张伟,男,640402********1234,36,138****8000,劳动年龄、应参未参,动员参加企业职工基本养老保险,police:1;tax:3,,
            2,网格2,王芳,女,640402********3456,56,095*****1234,劳动年龄、本地参保、中断缴费,动员恢复缴费,insurance:9;police:3,,

            """)
        #expect(Array(try Data(contentsOf: dir.appendingPathComponent("worklists/原州区-清河镇-东关村.csv")).prefix(3)) == [0xEF, 0xBB, 0xBF])
    }

    @Test func workbooksBySheetPerGridWithTextIdentifiersAndPrintSetup() throws {
        let dir = CoverageFixture.folder()
        defer { Scratch.remove(dir) }
        let written = try CoverageOutput(CoverageFixture.result()).write(to: dir)
        #expect(written.files.filter { $0.hasPrefix("worklists/") }
                .sorted() == ["worklists/原州区-开城镇-和泉村.xlsx", "worklists/原州区-清河镇-东关村.xlsx", "worklists/未知-未知-未知.xlsx"])
        let file = dir.appendingPathComponent("worklists/原州区-清河镇-东关村.xlsx").path
        let book = try Workbook(path: file)
        #expect(book.sheets.map(\.name) == ["网格1", "网格2"])
        // Read back by the project's own reader: the title row above the header, every cell as written.
        var options = CSVReader.Options()
        options.headerNames = ["姓名", "身份证号"]
        let reader = try CSVReader(path: file, options: options)
        #expect(reader.header.joined(separator: ",") + "\n" == Self.header)
        #expect(reader.statistics.headerRow == 2)
        #expect(reader.statistics.skippedAboveHeader == ["原州区清河镇东关村扩面人员明细表（网格1）\u{3000}2026年4月30日"])
        var rows: [[String]] = []
        while let batch = try reader.nextBatch() { for row in batch { rows.append((0..<row.count).map { row.string($0) }) } }
        #expect(rows == [["1", "网格1", "张伟", "男", "640402********1234", "36", "138****8000", "劳动年龄、应参未参",
                          "动员参加企业职工基本养老保险", "police:1;tax:3", "", ""]])
        let unmasked = try CoverageOutput(CoverageFixture.result()).write(to: dir, unmask: true)
        #expect(unmasked.worklists == 3)
        let full = try CSVReader(path: file, options: options)
        let batch = try #require(try full.nextBatch())
        #expect(batch[0].string(4) == "640402199001011234")   // all 18 characters, stored as text
    }

    @Test func sortsWithinAGridByName() throws {
        let area = CoverageFixture.dongguan
        let people = [
            CoverageFixture.person("640402199001010001", "王五", .male, born: (1990, 1, 1), area, labels: ["working_age"], action: 0),
            CoverageFixture.person("640402199001010002", "丁一", .male, born: (1990, 1, 1),
                                   AreaPath(county: "原州区", township: "清河镇", village: "东关村", grid: "网格2"), labels: [], action: 0),
            CoverageFixture.person("640402199001010003", "李四", .female, born: (1990, 1, 1), area, labels: [], action: 1),
        ]
        let dir = CoverageFixture.folder()
        defer { Scratch.remove(dir) }
        try CoverageOutput(CoverageFixture.result(persons: people)).write(to: dir, worklistFormat: .csv)
        let rows = try CoverageFixture.text(dir.appendingPathComponent("worklists/原州区-清河镇-东关村.csv"))
            .split(separator: "\n").dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false).prefix(3).joined(separator: ",") }
        // 网格1 before 网格2; within 网格1 by name in code-point order (李 U+674E < 王 U+738B).
        #expect(rows == ["1,网格1,李四", "2,网格1,王五", "3,网格2,丁一"])
    }

    @Test func unmaskWritesFullIdentifiersAsExcelText() throws {
        let dir = CoverageFixture.folder()
        defer { Scratch.remove(dir) }
        try CoverageOutput(CoverageFixture.result()).write(to: dir, unmask: true, worklistFormat: .csv)
        let text = try CoverageFixture.text(dir.appendingPathComponent("worklists/原州区-清河镇-东关村.csv"))
        #expect(text.contains("1,网格1,张伟,男,\t640402199001011234,36,\t13800138000,"))
        #expect(!text.contains("*"))
    }

    @Test func neutralizesFormulasAndHandlesUnknownPeople() throws {
        let dir = CoverageFixture.folder()
        defer { Scratch.remove(dir) }
        try CoverageOutput(CoverageFixture.result()).write(to: dir, worklistFormat: .csv)
        let text = try CoverageFixture.text(dir.appendingPathComponent("worklists/未知-未知-未知.csv"))
        #expect(text == "\u{FEFF}" + Self.header + "1,,'=SUM(A1),,,,,应参未参,动员参加城乡居民基本养老保险,grid:7,,\n")
    }

    @Test func masksIDNumbersAndPhones() {
        #expect(Masking.idNumber("64040219850307123X") == "640402********123X")
        #expect(Masking.idNumber("640402850307123") == "640402*****7123")   // 15-digit legacy
        #expect(Masking.idNumber("12345") == "*****")
        #expect(Masking.phone("13800138000") == "138****8000")
        #expect(Masking.phone("0954-2031234") == "095*****1234")
        #expect(Masking.phone("12345") == "***45")
        #expect(Masking.phone("") == "")
    }

    @Test func sanitizesFileNames() {
        #expect(WorklistFileName.make(county: "原州区", township: "清河镇", village: "东关/村") == "原州区-清河镇-东关_村.csv")
        #expect(WorklistFileName.make(county: "..", township: "a:b*c?", village: " 新村 ") == "未知-a_b_c_-新村.csv")
        #expect(WorklistFileName.make(county: "A-B", township: "<x>", village: "\u{7}") == "A_B-_x_-_.csv")
        #expect(WorklistFileName.make(county: "", township: "", village: "") == "未知-未知-未知.csv")
        #expect(WorklistFileName.sanitize(String(repeating: "村", count: 80)).count == 60)
    }

    @Test func keepsVillagesApartWhenTheirNamesSanitizeAlike() throws {
        let people = [
            CoverageFixture.person("640402199001010001", "甲", .male, born: (1990, 1, 1),
                                   AreaPath(county: "县", township: "镇", village: "a/b", grid: ""), labels: [], action: 0),
            CoverageFixture.person("640402199001010002", "乙", .male, born: (1990, 1, 1),
                                   AreaPath(county: "县", township: "镇", village: "a:b", grid: ""), labels: [], action: 0),
        ]
        let dir = CoverageFixture.folder()
        defer { Scratch.remove(dir) }
        let written = try CoverageOutput(CoverageFixture.result(persons: people)).write(to: dir, worklistFormat: .csv)
        #expect(written.files.filter { $0.hasPrefix("worklists/") } == ["worklists/县-镇-a_b.csv", "worklists/县-镇-a_b_2.csv"])
        #expect(try CoverageFixture.text(dir.appendingPathComponent("worklists/县-镇-a_b.csv")).contains(",甲,"))
        #expect(try CoverageFixture.text(dir.appendingPathComponent("worklists/县-镇-a_b_2.csv")).contains(",乙,"))
    }

    @Test func anEarlierRunsWorklistsGoAndAWorkersCopyIsNeverReplaced() throws {
        let dir = CoverageFixture.folder()
        defer { Scratch.remove(dir) }
        try CoverageOutput(CoverageFixture.result()).write(to: dir, worklistFormat: .csv)
        var later = CoverageFixture.result()
        later.persons[0].action = nil          // 和泉村 has no one left to visit
        try CoverageOutput(later).write(to: dir, worklistFormat: .csv)
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("worklists").path).sorted()
        #expect(files == ["原州区-清河镇-东关村.csv", "未知-未知-未知.csv"])
        // A worker's filled-in copy beside the worklists is not the tool's to remove: the
        // folder is refused, with the file named, and left as it was.
        let copy = dir.appendingPathComponent("worklists/原州区-开城镇-和泉村（已核实）.csv")
        try "序号\n".write(to: copy, atomically: true, encoding: .utf8)
        #expect {
            try CoverageOutput(CoverageFixture.result()).write(to: dir, worklistFormat: .csv)
        } throws: { error in
            (error as? ZhaorenError)?.message.contains("和泉村（已核实）.csv") == true
        }
        #expect(try CoverageFixture.text(copy) == "序号\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("worklists").path).count == 3)
    }
}
