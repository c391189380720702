import Foundation
import Testing
import ZhaorenTestSupport
import ZhaorenCoverage
import Zhaoren

/// A CSV file rewritten as a department workbook: a title and a unit line above the header,
/// every value a text cell. Returns how many data rows it holds.
@discardableResult
private func workbook(from csv: String, to xlsx: String, title: String) throws -> Int {
    let reader = try CSVReader(path: csv)
    var sheet = WorkbookWriter.Sheet(name: "花名册", title: title, header: reader.header)
    while let batch = try reader.nextBatch() {
        for row in batch { sheet.rows.append((0..<row.count).map { .text(row.string($0)) }) }
    }
    try WorkbookWriter.write([sheet], to: URL(fileURLWithPath: xlsx))
    return sheet.rows.count
}

/// The clusters of a `clusters.csv` as sets of `source:row`, rows shifted by `shift`.
private func clusters(_ path: String, shift: Int = 0) throws -> Set<Set<String>> {
    let reader = try CSVReader(path: path)
    let selection = try reader.select(ColumnSpec(parsing: "cluster=cluster_id,source=source,row=row"))
    var groups: [String: Set<String>] = [:]
    while let batch = try reader.nextBatch() {
        for row in batch {
            let r = Int(selection.string(2, in: row))! + shift
            groups[selection.string(0, in: row), default: []].insert("\(r)")
        }
    }
    return Set(groups.values.filter { $0.count > 1 })
}

@Suite struct WorkbookCommandTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("ZhaorenTests/Workbooks")

    @Test func normalizeADepartmentWorkbookWithTitleRows() throws {
        let folder = try CLIRunner.temporaryDirectory()
        defer { Scratch.remove(folder) }
        let out = folder.appendingPathComponent("out.csv").path
        let run = try CLIRunner.run(["normalize", Self.fixtures.appendingPathComponent("dept-libreoffice.xlsx").path,
                                     "--columns", "name=户主姓名,id=身份证号,birth=出生日期", "--out", out])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.contains("header on row 3; rows 1–2 skipped: \"2024年西吉县低保对象花名册\""))
        #expect(run.stderr.contains("4 rows read (xlsx, sheet \"低保\"); 4 written"))
        let text = try String(contentsOfFile: out, encoding: .utf8)
        #expect(text.contains("1,王五,640422197411075000,3,1250.5,吉强镇,1974-11-07,"))
        #expect(text.contains("bad_checksum;excel_mangled"))
        // --sheet and --header-row, and a clear error for a sheet that is not there.
        let members = try CLIRunner.run(["normalize", Self.fixtures.appendingPathComponent("dept-openpyxl.xlsx").path, "--sheet", "家庭成员",
                                         "--header-row", "1", "--columns", "name=成员姓名,id=身份证号", "--out", out])
        #expect(members.status == 0, "\(members.stderr)")
        #expect(members.stderr.contains("4 cells given the value of a merged range above"))
        let missing = try CLIRunner.run(["normalize", Self.fixtures.appendingPathComponent("dept-openpyxl.xlsx").path, "--sheet", "工资",
                                         "--columns", "name=姓名", "--out", out])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("no sheet \"工资\""))
    }

    @Test func dedupeAWorkbookFindsTheSameClustersAsItsCSV() throws {
        let folder = try CLIRunner.temporaryDirectory()
        defer { Scratch.remove(folder) }
        let city = folder.appendingPathComponent("city").path
        #expect(try CLIRunner.run(["generate", "--persons", "3000", "--seed", "5", "--out", city]).status == 0)
        let rows = try workbook(from: city + "/grid_survey.csv", to: folder.appendingPathComponent("grid_survey.xlsx").path,
                                title: "2026年网格员入户摸排登记表")
        let columns = "name=姓名,id=证件号码,phone=联系电话,address=现居住地址"
        let fromCSV = try CLIRunner.run(["dedupe", city + "/grid_survey.csv", "--columns", columns, "--out", folder.appendingPathComponent("a").path])
        let fromXLSX = try CLIRunner.run(["dedupe", folder.appendingPathComponent("grid_survey.xlsx").path, "--columns", columns,
                                          "--out", folder.appendingPathComponent("b").path])
        #expect(fromCSV.status == 0 && fromXLSX.status == 0, "\(fromXLSX.stderr)")
        #expect(fromXLSX.stderr.contains("grid_survey: header on row 2; row 1 skipped: \"2026年网格员入户摸排登记表\""))
        #expect(fromXLSX.stderr.contains("grid_survey \(rows) rows (0 rejected)"))
        // Data row k of the CSV is sheet row k + 2 (title, header): the same clusters.
        let a = try clusters(folder.appendingPathComponent("a/clusters.csv").path, shift: 2)
        let b = try clusters(folder.appendingPathComponent("b/clusters.csv").path)
        #expect(!a.isEmpty)
        #expect(a == b)
    }

    @Test func coverageReadsAWorkbookSourceAndWritesWorkbookWorklists() throws {
        let folder = try CLIRunner.temporaryDirectory()
        defer { Scratch.remove(folder) }
        let city = folder.appendingPathComponent("city").path
        #expect(try CLIRunner.run(["generate", "--persons", "3000", "--seed", "7", "--out", city]).status == 0)
        let csvOut = folder.appendingPathComponent("csv").path, xlsxOut = folder.appendingPathComponent("xlsx").path
        // A real-shaped city's 低保 roster is a workbook (title, unit line, header on row 3).
        let run = try CLIRunner.run(["coverage", "--settings", city + "/coverage.json", "--out", xlsxOut])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.contains("coverage: dibao: header on row 3; rows 1–2 skipped: \"2026年低保对象花名册\", \"填报单位：固原市民政局（盖章）"))
        // The same roster saved as CSV by hand: the same persons and labels.
        let reader = try CSVReader(path: city + "/dibao.xlsx", options: { var o = CSVReader.Options(); o.headerRow = 3; return o }())
        let csv = try CSVWriter(URL(fileURLWithPath: city + "/dibao.csv"), header: reader.header)
        while let batch = try reader.nextBatch() {
            for row in batch {
                for c in 0..<row.count { csv.row.field(row.string(c)) }
                csv.endRow()
            }
        }
        try csv.commit()
        var settings = try String(contentsOfFile: city + "/coverage.json", encoding: .utf8)
        settings = settings.replacingOccurrences(of: "\"dibao.xlsx\"", with: "\"dibao.csv\"")
        try settings.write(toFile: city + "/coverage-csv.json", atomically: true, encoding: .utf8)
        let again = try CLIRunner.run(["coverage", "--settings", city + "/coverage-csv.json", "--out", csvOut, "--worklists", "csv"])
        #expect(again.status == 0, "\(again.stderr)")
        // The same labels for everyone; the 低保 rows are named by their sheet rows.
        #expect(try String(contentsOfFile: csvOut + "/labels.csv", encoding: .utf8) == String(contentsOfFile: xlsxOut + "/labels.csv", encoding: .utf8))
        // Worklists are workbooks, one per village, the same villages as the CSV ones; the
        // report links to them.
        let csvLists = try FileManager.default.contentsOfDirectory(atPath: csvOut + "/worklists").sorted()
        let xlsxLists = try FileManager.default.contentsOfDirectory(atPath: xlsxOut + "/worklists").sorted()
        #expect(xlsxLists.count == csvLists.count && xlsxLists.allSatisfy { $0.hasSuffix(".xlsx") })
        #expect(xlsxLists.map { $0.dropLast(5) } == csvLists.map { $0.dropLast(4) })
        let report = try String(contentsOfFile: xlsxOut + "/report.html", encoding: .utf8)
        #expect(report.contains(".xlsx\">"))
        // Each workbook reads back as its CSV: the same rows, masked IDs as text.
        for name in xlsxLists.prefix(5) {
            var options = CSVReader.Options()
            options.headerNames = ["姓名", "身份证号"]
            var sheets: [[String]] = []
            let book = try Workbook(path: xlsxOut + "/worklists/" + name)
            for sheet in book.sheets {
                options.sheet = sheet.name
                let reader = try CSVReader(path: xlsxOut + "/worklists/" + name, options: options)
                #expect(reader.statistics.headerRow == 2)
                while let batch = try reader.nextBatch() { for row in batch { sheets.append((1..<row.count).map { row.string($0) }) } }
            }
            let csv = try CSVReader(path: csvOut + "/worklists/" + name.dropLast(5) + ".csv")
            var rows: [[String]] = []
            while let batch = try csv.nextBatch() { for row in batch { rows.append((1..<row.count).map { row.string($0) }) } }
            // The 低保 rows are named by their sheet rows: data row k is sheet row k + 3.
            let shifted = sheets.map { row in
                row.map { cell in
                    cell.split(separator: ";").map { ref in
                        ref.hasPrefix("dibao:") ? "dibao:\(Int(ref.dropFirst(6))! - 3)" : String(ref)
                    }.joined(separator: ";")
                }
            }
            #expect(shifted == rows, "\(name)")
        }
    }

    /// LibreOffice, where installed (CI installs it), converts a worklist to CSV: the same cells.
    @Test(.enabled(if: CLIRunner.which("soffice") != nil, "needs LibreOffice (soffice)"))
    func libreOfficeReadsTheWorklistsAsWritten() throws {
        let folder = try CLIRunner.temporaryDirectory()
        defer { Scratch.remove(folder) }
        var sheet = WorkbookWriter.Sheet(name: "网格1", title: "三营村扩面人员明细表（网格1）", header: ["序号", "姓名", "身份证号", "联系电话", "核实情况", "备注"])
        sheet.rows = [[.number(1), .text("张伟"), .text("640402197411075409"), .text("13912345678"), .empty, .empty],
                      [.number(2), .text("李秀兰"), .text("64042219800101002X"), .empty, .empty, .text("=1+1")]]
        let book = folder.appendingPathComponent("list.xlsx")
        try WorkbookWriter.write([sheet], to: book)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CLIRunner.which("soffice")!)
        process.arguments = ["--headless", "-env:UserInstallation=file://" + folder.appendingPathComponent("lo").path,
                             "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1",
                             "--outdir", folder.path, book.path]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".csv") }
        let text = try String(contentsOfFile: folder.appendingPathComponent(try #require(files.first)).path, encoding: .utf8)
        #expect(text.split(separator: "\n").map(String.init) == [
            "三营村扩面人员明细表（网格1）,,,,,",
            "序号,姓名,身份证号,联系电话,核实情况,备注",
            "1,张伟,640402197411075409,13912345678,,",
            "2,李秀兰,64042219800101002X,,,=1+1",
        ])
    }
}
