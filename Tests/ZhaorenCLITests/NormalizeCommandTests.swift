import Foundation
import Testing
import ZhaorenTestSupport
import Zhaoren
import ZhaorenICU

/// Reads a CSV written by zhaoren back into rows (through the library's reader).
private func readCSV(_ url: URL) throws -> (header: [String], rows: [[String]]) {
    let reader = try CSVReader(url: url, options: .init(encoding: .utf8, format: .csv))
    var rows: [[String]] = []
    while let batch = try reader.nextBatch() {
        #expect(batch.rejects.isEmpty)
        for row in batch { rows.append((0..<row.count).map { row.string($0) }) }
    }
    return (reader.header, rows)
}

@Suite struct NormalizeCommandTests {
    @Test func gb18030FileRoundTripsWithEveryRowAccountedFor() throws {
        let folder = try CLIRunner.temporaryDirectory()
        defer { Scratch.remove(folder) }
        let gb = try CharsetConverter("GB18030")
        var bytes = try #require(gb.encode("姓名,身份证号,性别,出生日期,电话,地址\n"))
        bytes += try #require(gb.encode("張偉,110105491231002,男,1949-12-31,139 1234 5678,\"宁夏回族自治区,固原市\"\n"))
        bytes += try #require(gb.encode("李四,11010519491231002X\n"))                               // ragged
        bytes += try #require(gb.encode("王")) + [0xFF] + (try #require(gb.encode(",1,女,,,\n")))   // invalid byte
        bytes += try #require(gb.encode("张伟,110105491231002,男,19491231,13912345678,\"多\n行\"\n"))
        bytes += try #require(gb.encode("赵六,,女,,,北京\n"))
        let input = folder.appendingPathComponent("people.csv")
        try Data(bytes).write(to: input)

        let result = try CLIRunner.run(["normalize", "people.csv", "--columns",
                                        "name=姓名,id=身份证号,sex=性别,birth=出生日期,phone=电话,address=地址",
                                        "--out", "out/people.norm.csv"], in: folder)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("5 rows read (gb18030, csv)"))
        #expect(result.stderr.contains("3 written"))
        #expect(result.stderr.contains("2 rejected (invalid_encoding 1, ragged_row 1)"))

        let (header, rows) = try readCSV(folder.appendingPathComponent("out/people.norm.csv"))
        #expect(Array(header.prefix(6)) == ["姓名", "身份证号", "性别", "出生日期", "电话", "地址"])
        #expect(header.contains("name_folded") && header.contains("id_normalized") && header.contains("address_folded"))
        #expect(rows.count == 3)
        #expect(rows.map { Array($0.prefix(6)) } == [
            ["張偉", "110105491231002", "男", "1949-12-31", "139 1234 5678", "宁夏回族自治区,固原市"],
            ["张伟", "110105491231002", "男", "19491231", "13912345678", "多\n行"],
            ["赵六", "", "女", "", "", "北京"],
        ])
        func cell(_ row: Int, _ column: String) -> String { rows[row][header.firstIndex(of: column)!] }
        // 張偉 and 张伟 fold to the same name; the 15-digit ID is upgraded to 18 characters.
        #expect(cell(0, "name_folded") == "张伟")
        #expect(cell(1, "name_folded") == "张伟")
        #expect(cell(0, "name_surname") == "张")
        #expect(cell(0, "name_given") == "伟")
        #expect(cell(0, "name_pinyin") == "zhangwei")
        #expect(cell(0, "name_fuzzy_pinyin") == "zanwei")
        #expect(cell(0, "id_normalized") == "11010519491231002X")
        #expect(cell(0, "id_valid") == "true")
        #expect(cell(0, "id_issues") == "legacy_15")
        #expect(cell(0, "id_birth") == "1949-12-31")
        #expect(cell(0, "id_sex") == "F")
        #expect(cell(0, "id_region") == "110105")
        #expect(cell(0, "birth_iso") == "1949-12-31")
        #expect(cell(1, "birth_iso") == "1949-12-31")
        #expect(cell(0, "phone_normalized") == "13912345678")
        #expect(cell(0, "phone_kind") == "mobile")
        #expect(cell(0, "sex_code") == "M")
        #expect(cell(2, "sex_code") == "F")
        #expect(cell(0, "address_folded") == "宁夏回族自治区,固原市")
        #expect(cell(2, "id_normalized") == "")

        let (rejectHeader, rejects) = try readCSV(folder.appendingPathComponent("out/people.norm.rejects.csv"))
        #expect(rejectHeader == ["source", "row", "line", "column", "reason", "raw"])
        #expect(rejects == [
            ["people.csv", "2", "3", "", "ragged_row: 2 fields, the header has 6", "李四,11010519491231002X"],
            ["people.csv", "3", "4", "1", "invalid_encoding: field 1 is not valid gb18030", "王\\xFF,1,女,,,"],
        ])
        #expect(rows.count + rejects.count == 5)
    }

    @Test func surnameAndGivenNameMakeTheName() throws {
        let folder = try CLIRunner.temporaryDirectory()
        defer { Scratch.remove(folder) }
        try "姓\t名\t单位\n欧阳\t娜娜\t固原市某某有限公司\n".write(to: folder.appendingPathComponent("p.tsv"), atomically: true, encoding: .utf8)
        let result = try CLIRunner.run(["normalize", "p.tsv", "--columns", "surname=姓,given_name=名,org_name=单位",
                                        "--out", "n.csv", "--rejects", "bad/r.csv"], in: folder)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("(utf8, tsv)"))
        let (header, rows) = try readCSV(folder.appendingPathComponent("n.csv"))
        #expect(header == ["姓", "名", "单位", "name_folded", "name_surname", "name_given", "name_pinyin",
                           "name_fuzzy_pinyin", "org_name_key", "org_name_branch"])
        #expect(rows[0][3...] == ["欧阳娜娜", "欧阳", "娜娜", "ouyangnana", "ouyannana", "某某", ""])
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("bad/r.csv").path))
    }

    @Test func missingColumnIsExitOneWithLocation() throws {
        let folder = try CLIRunner.temporaryDirectory()
        defer { Scratch.remove(folder) }
        try "姓名,证件号码\n张三,1\n".write(to: folder.appendingPathComponent("a.csv"), atomically: true, encoding: .utf8)
        let result = try CLIRunner.run(["normalize", "a.csv", "--columns", "name=姓名,id=身份证号", "--out", "o.csv"], in: folder)
        #expect(result.status == 1)
        #expect(result.stderr.contains(#"a.csv:1: no column "身份证号" for role id; the header has "姓名", "证件号码""#))
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("o.csv").path))
    }

    @Test func usageErrorsExit64() throws {
        let folder = try CLIRunner.temporaryDirectory()
        defer { Scratch.remove(folder) }
        try "a\n1\n".write(to: folder.appendingPathComponent("a.csv"), atomically: true, encoding: .utf8)
        for arguments in [["--columns", "name", "--out", "o.csv"],
                          ["--columns", "name=a", "--out", "o.csv", "--encoding", "latin1"],
                          ["--columns", "name=a"]] {
            let result = try CLIRunner.run(["normalize", "a.csv"] + arguments, in: folder)
            #expect(result.status == 64, "\(arguments)")
        }
    }

    @Test func unreadableInputIsExitOne() throws {
        let folder = try CLIRunner.temporaryDirectory()
        defer { Scratch.remove(folder) }
        let result = try CLIRunner.run(["normalize", "nope.csv", "--columns", "name=a", "--out", "o.csv"], in: folder)
        #expect(result.status == 1)
        #expect(result.stderr.contains("nope.csv: cannot open"))
    }

    @Test func rerunReplacesTheOutputs() throws {
        let folder = try CLIRunner.temporaryDirectory()
        defer { Scratch.remove(folder) }
        try "a\n1\n".write(to: folder.appendingPathComponent("a.csv"), atomically: true, encoding: .utf8)
        let first = try CLIRunner.run(["normalize", "a.csv", "--columns", "address=a", "--out", "o.csv"], in: folder)
        #expect(first.status == 0)
        try "a\n2\n".write(to: folder.appendingPathComponent("a.csv"), atomically: true, encoding: .utf8)
        let second = try CLIRunner.run(["normalize", "a.csv", "--columns", "address=a", "--out", "o.csv"], in: folder)
        #expect(second.status == 0, "\(second.stderr)")
        #expect(try String(contentsOf: folder.appendingPathComponent("o.csv"), encoding: .utf8) == "a,address_folded\n2,2\n")
    }

    @Test func outputMayNotOverwriteInput() throws {
        let folder = try CLIRunner.temporaryDirectory()
        defer { Scratch.remove(folder) }
        try "a\n1\n".write(to: folder.appendingPathComponent("a.csv"), atomically: true, encoding: .utf8)
        let result = try CLIRunner.run(["normalize", "a.csv", "--columns", "name=a", "--out", "a.csv"], in: folder)
        #expect(result.status == 1)
        #expect(try String(contentsOf: folder.appendingPathComponent("a.csv"), encoding: .utf8) == "a\n1\n")
    }
}
