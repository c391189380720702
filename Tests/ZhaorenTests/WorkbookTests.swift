import Foundation
import Testing
import ZhaorenTestSupport
@testable import Zhaoren

/// Reads a workbook (or any file) through ``CSVReader`` into rows of strings.
private func readAll(_ path: String, _ configure: (inout CSVReader.Options) -> Void = { _ in }) throws -> (reader: CSVReader, rows: [[String]], numbers: [Int], rejects: [RejectedRow]) {
    var options = CSVReader.Options()
    configure(&options)
    let reader = try CSVReader(path: path, options: options)
    var rows: [[String]] = [], numbers: [Int] = [], rejects: [RejectedRow] = []
    while let batch = try reader.nextBatch() {
        for row in batch {
            rows.append((0..<row.count).map { row.string($0) })
            numbers.append(row.number)
        }
        rejects += batch.rejects
    }
    return (reader, rows, numbers, rejects)
}

/// The committed workbooks, made by openpyxl and LibreOffice (`Scripts/make-workbook-fixtures.py`).
private func fixture(_ name: String) -> String {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Workbooks/\(name)").path
}

@Suite struct WorkbookReadingTests {
    @Test func departmentRosterFromOpenpyxl() throws {
        let (reader, rows, numbers, rejects) = try readAll(fixture("dept-openpyxl.xlsx")) { $0.headerNames = ["户主姓名", "身份证号", "出生日期"] }
        #expect(reader.format == .xlsx)
        #expect(reader.statistics.sheet == "低保")
        #expect(reader.header == ["序号", "户主姓名", "身份证号", "家庭人口", "保障金额", "乡镇", "出生日期", "备注"])
        #expect(reader.statistics.headerRow == 3)
        #expect(reader.statistics.skippedRows == [1, 2])
        #expect(reader.statistics.skippedAboveHeader == ["2024年西吉县低保对象花名册", "填报单位：西吉县民政局（盖章） 填报日期：2024年3月"])
        #expect(reader.statistics.notes.first == "header on row 3; rows 1–2 skipped: \"2024年西吉县低保对象花名册\", \"填报单位：西吉县民政局（盖章） 填报日期：2024年3月\"")
        // Row numbers are the sheet's own; row 6 holds only a formula never calculated.
        #expect(numbers == [4, 5, 7])
        #expect(rejects.isEmpty)
        // The ID typed as a number kept 15 digits (flagged by the ID check as excel_mangled);
        // the ID stored as text is whole; dates from serials in two formats; rich text joined.
        #expect(rows[0] == ["1", "王五", "640422197411075000", "3", "1250.5", "吉强镇", "1974-11-07", ""])
        #expect(rows[1] == ["2", "马六", "640422198001010029", "2", "980", "兴隆镇", "1980-01-01", "曾用名 马 六"])
        #expect(rows[2] == ["", "", "", "TRUE", "", "", "", ""])
        #expect(ResidentID.parse(rows[0][2]).issues.codes.contains("excel_mangled"))
        #expect(reader.statistics.uncalculatedFormulas == 1)
        #expect(reader.statistics.blankLines == 1)
        #expect(reader.statistics.rowsRead == 3 && reader.statistics.rowsAccepted == 3)
    }

    @Test func theSameWorkbookSavedByLibreOffice() throws {
        let (reader, rows, numbers, _) = try readAll(fixture("dept-libreoffice.xlsx")) { $0.headerNames = ["户主姓名", "身份证号"] }
        #expect(reader.statistics.headerRow == 3)
        #expect(numbers == [4, 5, 6, 7])
        #expect(rows[0][2] == "640422197411075000" && rows[0][6] == "1974-11-07" && rows[0][4] == "1250.5")
        #expect(rows[1][1] == "马六" && rows[1][2] == "640422198001010029" && rows[1][6] == "1980-01-01")
        #expect(rows[2][1] == "王五马六")   // LibreOffice cached the formula's result
        #expect(reader.statistics.uncalculatedFormulas == 0)
    }

    @Test func householdMembersUnderAVerticallyMergedHead() throws {
        for file in ["dept-openpyxl.xlsx", "dept-libreoffice.xlsx"] {
            let (reader, rows, numbers, _) = try readAll(fixture(file)) { $0.sheet = "家庭成员"; $0.headerNames = ["成员姓名", "身份证号"] }
            #expect(reader.statistics.headerRow == 1)
            #expect(numbers == [2, 3, 4])
            #expect(rows.map { $0[0] } == ["H001", "H001", "H001"], "\(file)")
            #expect(rows.map { $0[1] } == ["王五", "王五", "王五"], "\(file)")
            #expect(rows.map { $0[2] } == ["王五", "李梅", "王小明"])
            #expect(rows[1][4] == "640422197603121228")
            #expect(reader.statistics.filledFromMerges == 4)
        }
    }

    @Test func sheetsByNameOrPositionAndAClearErrorOtherwise() throws {
        let byIndex = try readAll(fixture("dept-openpyxl.xlsx")) { $0.sheet = "2" }
        #expect(byIndex.reader.statistics.sheet == "家庭成员")
        let book = try Workbook(path: fixture("dept-openpyxl.xlsx"))
        #expect(book.sheets.map(\.name) == ["低保", "家庭成员", "备用"])
        #expect(book.sheets.map(\.hidden) == [false, false, true])
        do {
            _ = try CSVReader(path: fixture("dept-openpyxl.xlsx"), options: { var o = CSVReader.Options(); o.sheet = "工资"; return o }())
            Issue.record("an unknown sheet was accepted")
        } catch {
            #expect(error.code == .invalidArgument)
            #expect(error.message.contains("no sheet \"工资\"; the workbook has 1 \"低保\", 2 \"家庭成员\", 3 \"备用\" (hidden)"))
        }
    }

    @Test func typedIntoLibreOfficeFromCSV() throws {
        let (reader, rows, numbers, _) = try readAll(fixture("typed-libreoffice.xlsx")) { $0.headerNames = ["姓名", "身份证号"] }
        #expect(reader.header == ["姓名", "身份证号", "日期"])
        #expect(numbers == [2])
        #expect(rows == [["王五", "640422197411075000", "2024-03-05"]])
    }

    @Test func notAWorkbookIsAClearErrorNotACrash() throws {
        let folder = try Scratch.folder("workbook")
        defer { Scratch.remove(folder) }
        // A legacy .xls (an OLE file): save it as .xlsx.
        let xls = folder.appendingPathComponent("old.xls")
        try Data([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1] + [UInt8](repeating: 0, count: 504)).write(to: xls)
        #expect(throws: ZhaorenError.self) { try CSVReader(path: xls.path, options: .init(encoding: .auto, format: .xlsx)) }
        do { _ = try Workbook(path: xls.path) } catch { #expect(error.message.contains("save it as .xlsx")) }
        // A workbook cut short: the zip directory is gone.
        let whole = try Data(contentsOf: URL(fileURLWithPath: fixture("dept-openpyxl.xlsx")))
        let cut = folder.appendingPathComponent("cut.xlsx")
        try whole.prefix(whole.count / 2).write(to: cut)
        do {
            _ = try CSVReader(path: cut.path)
            Issue.record("a truncated workbook was read")
        } catch {
            #expect(error.code == .malformedInput)
            #expect(error.message.contains("not a readable .xlsx workbook"))
        }
        // A damaged byte inside a compressed part: an error naming the part, or rows, never a crash.
        var damaged = [UInt8](whole)
        for k in stride(from: 200, to: damaged.count / 2, by: 97) { damaged[k] ^= 0x5A }
        let bad = folder.appendingPathComponent("bad.xlsx")
        try Data(damaged).write(to: bad)
        do {
            let r = try readAll(bad.path)
            #expect(r.rows.count < 100)
        } catch let error as ZhaorenError {
            #expect(error.code == .malformedInput || error.code == .invalidArgument)
        }
    }
}

@Suite struct ExcelNumberTests {
    @Test func serialDatesWithThe1900Quirk() {
        #expect(ExcelNumber.date(serial: 27340, date1904: false) == "1974-11-07")
        #expect(ExcelNumber.date(serial: 45356, date1904: false) == "2024-03-05")
        #expect(ExcelNumber.date(serial: 1, date1904: false) == "1900-01-01")
        #expect(ExcelNumber.date(serial: 59, date1904: false) == "1900-02-28")
        #expect(ExcelNumber.date(serial: 60, date1904: false) == nil)          // 1900-02-29 never was
        #expect(ExcelNumber.date(serial: 61, date1904: false) == "1900-03-01")
        #expect(ExcelNumber.date(serial: 27340.99999999999, date1904: false) == "1974-11-08")
        #expect(ExcelNumber.date(serial: 45356.5, date1904: false) == "2024-03-05 12:00:00")
        #expect(ExcelNumber.date(serial: 25878, date1904: true) == "1974-11-07")   // 1904 system: 1,462 days later start
        #expect(ExcelNumber.date(serial: -1, date1904: false) == nil)
    }

    @Test func numbersWrittenAsTheEngineReadsThem() {
        #expect(ExcelNumber.numberText("13912345678") == "13912345678")
        #expect(ExcelNumber.numberText("1.3912345678E10") == "13912345678")
        #expect(ExcelNumber.numberText("640422197411075123") == "640422197411075123")   // every digit kept
        #expect(ExcelNumber.numberText("6.40422197411075E+17") == "640422197411075000") // Excel kept 15
        #expect(ExcelNumber.numberText("6.40422197411075E+017") == "640422197411075000") // LibreOffice's exponent
        #expect(ExcelNumber.numberText("6.404221974110751e+17") == "640422197411075000") // Python's repr
        #expect(ExcelNumber.numberText("4.10102800101123E+14") == "410102800101123")    // a 15-digit ID is exact
        #expect(ExcelNumber.numberText("1250.5") == "1250.5")
        #expect(ExcelNumber.numberText("1E-3") == "0.001")
        #expect(ExcelNumber.numberText("-2.5E2") == "-250")
        #expect(ExcelNumber.numberText("abc") == "abc")
        #expect(ExcelNumber.text("27340", isDate: true) == "1974-11-07")
        #expect(ExcelNumber.text("27340", isDate: false) == "27340")
    }

    @Test func dateFormatsRecognised() {
        #expect(ExcelNumber.isDateFormat("yyyy\"年\"m\"月\"d\"日\""))
        #expect(ExcelNumber.isDateFormat("yyyy\\年m\\月d\\日"))
        #expect(ExcelNumber.isDateFormat("[$-F800]dddd\\,\\ mmmm\\ dd\\,\\ yyyy"))
        #expect(ExcelNumber.isDateFormat("[h]:mm:ss"))
        #expect(!ExcelNumber.isDateFormat("0.00_);[Red]\\(0.00\\)"))
        #expect(!ExcelNumber.isDateFormat("#,##0\"元\""))
        #expect(!ExcelNumber.isDateFormat("[DBNum1][$-804]General"))
        #expect(!ExcelNumber.isDateFormat("0.00E+00"))
        #expect(ExcelNumber.builtInDateFormats.contains(14) && ExcelNumber.builtInDateFormats.contains(31) && !ExcelNumber.builtInDateFormats.contains(49))
    }
}

@Suite struct WorkbookWritingTests {
    @Test func worklistLikeSheetsReadBackCellForCell() throws {
        let folder = try Scratch.folder("workbook-write")
        defer { Scratch.remove(folder) }
        var first = WorkbookWriter.Sheet(name: "第1网格", title: "三营村扩面人员明细表（第1网格）", header: ["序号", "姓名", "身份证号", "联系电话", "核实情况"])
        first.rows = [[.number(1), .text("张伟"), .text("640402197411075409"), .text("13912345678"), .empty],
                      [.number(2), .text("=SUM(A1)"), .text(" 空格 "), .text("a<b & \"c\""), .empty],
                      [.number(3), .text("李\u{0B}梅")]]
        first.widths = [6, 10, 21, 14, 24]
        var second = WorkbookWriter.Sheet(name: "第2网格/未知:[]", title: nil, header: ["序号", "姓名"])
        second.rows = [[.number(1), .text("王五")]]
        let url = folder.appendingPathComponent("三营村.xlsx")
        try WorkbookWriter.write([first, second], to: url)
        // The same sheets give the same bytes.
        #expect(try WorkbookWriter.data([first, second]) == Data(contentsOf: url))

        let book = try Workbook(path: url.path)
        #expect(book.sheets.map(\.name) == ["第1网格", "第2网格_未知___"])
        let (reader, rows, numbers, rejects) = try readAll(url.path) { $0.headerNames = ["姓名", "身份证号"] }
        #expect(reader.statistics.headerRow == 2)
        #expect(reader.statistics.skippedAboveHeader == ["三营村扩面人员明细表（第1网格）"])
        #expect(reader.header == ["序号", "姓名", "身份证号", "联系电话", "核实情况"])
        #expect(numbers == [3, 4, 5])
        #expect(rejects.isEmpty)
        #expect(rows[0] == ["1", "张伟", "640402197411075409", "13912345678", ""])   // text cells keep every digit
        #expect(rows[1] == ["2", "=SUM(A1)", " 空格 ", "a<b & \"c\"", ""])
        #expect(rows[2] == ["3", "李梅", "", "", ""])                                    // a control character dropped
        let second2 = try readAll(url.path) { $0.sheet = "2" }
        #expect(second2.reader.header == ["序号", "姓名"] && second2.rows == [["1", "王五"]] && second2.numbers == [2])
    }

    /// Collects what the print layout is made of from a part's XML.
    struct LayoutProbe: XMLHandler {
        var seen: [String] = []
        mutating func start(_ name: XMLName, _ a: XMLAttributes, empty: Bool) throws {
            let tag = String(decoding: name.bytes, as: UTF8.self)
            switch tag {
            case "pane": seen.append("pane \(a.string("ySplit") ?? "") \(a.string("state") ?? "")")
            case "pageSetup": seen.append("pageSetup \(a.string("paperSize") ?? "") \(a.string("orientation") ?? "") \(a.string("fitToWidth") ?? "")")
            case "pageSetUpPr": seen.append("fitToPage \(a.string("fitToPage") ?? "")")
            case "mergeCell": seen.append("merge \(a.string("ref") ?? "")")
            case "definedName": seen.append("defined \(a.string("name") ?? "")")
            case "col": seen.append("col \(a.string("width") ?? "")")
            case "ignoredError": seen.append("ignored \(a.string("sqref") ?? "")")
            case "c" where a.string("r") == "C3" || a.string("r") == "E3":
                seen.append("cell \(a.string("r") ?? "") s=\(a.string("s") ?? "") t=\(a.string("t") ?? "")")
            default: break
            }
        }
        mutating func end(_ name: XMLName) throws {}
        mutating func text(_ raw: UnsafeBufferPointer<UInt8>) throws {
            var bytes: [UInt8] = []
            XMLText.append(raw, to: &bytes)
            let t = String(decoding: bytes, as: UTF8.self)
            if t.contains("&P") { seen.append("text \(t)") }
        }
    }

    @Test func printLayoutOfAWorklistSheet() throws {
        let folder = try Scratch.folder("workbook-layout")
        defer { Scratch.remove(folder) }
        var sheet = WorkbookWriter.Sheet(name: "网格1", title: "三营村扩面人员明细表", header: ["序号", "姓名", "身份证号", "联系电话", "核实情况"])
        sheet.rows = [[.number(1), .text("张伟"), .text("640402197411075409"), .text("13912345678"), .empty]]
        sheet.widths = [6, 10, 21, 14, 24]
        let url = folder.appendingPathComponent("w.xlsx")
        try WorkbookWriter.write([sheet], to: url)
        let book = try Workbook(path: url.path)
        var probe = LayoutProbe()
        try book.scan("xl/worksheets/sheet1.xml", with: &probe)
        #expect(probe.seen.contains("fitToPage 1"))
        #expect(probe.seen.contains("pane 2 frozen"))                       // header frozen under the title
        #expect(probe.seen.contains("pageSetup 9 landscape 1"))             // A4 landscape, one page wide
        #expect(probe.seen.contains("merge A1:E1"))                         // the title across the columns
        #expect(probe.seen.contains("col 21.0"))
        #expect(probe.seen.contains("cell C3 s=3 t=inlineStr"))            // the ID is a text cell, bordered
        #expect(probe.seen.contains("cell E3 s=3 t="))                      // 核实情况 blank but bordered
        #expect(probe.seen.contains("ignored A3:E3"))
        #expect(probe.seen.contains("text &C第 &P 页，共 &N 页"))              // page numbers in the footer
        var names = LayoutProbe()
        try book.scan("xl/workbook.xml", with: &names)
        #expect(names.seen.contains("defined _xlnm.Print_Titles"))
        var titles = TitlesProbe()
        try book.scan("xl/workbook.xml", with: &titles)
        #expect(titles.text == "'网格1'!$1:$2")                              // title and header on every page
    }

    struct TitlesProbe: XMLHandler {
        var text = ""
        var inside = false
        mutating func start(_ name: XMLName, _ a: XMLAttributes, empty: Bool) throws { inside = name.is("definedName") }
        mutating func end(_ name: XMLName) throws { inside = false }
        mutating func text(_ raw: UnsafeBufferPointer<UInt8>) throws {
            if inside { var b: [UInt8] = []; XMLText.append(raw, to: &b); text += String(decoding: b, as: UTF8.self) }
        }
    }

    @Test func columnNamesAndSheetNames() {
        #expect(WorkbookWriter.columnName(0) == "A" && WorkbookWriter.columnName(25) == "Z")
        #expect(WorkbookWriter.columnName(26) == "AA" && WorkbookWriter.columnName(16383) == "XFD")
        #expect(WorkbookWriter.sheetNames(["a", "A", "history", String(repeating: "长", count: 40)])
                == ["a", "A(2)", "Sheet", String(repeating: "长", count: 31)])
    }
}

@Suite struct HeaderRowTests {
    @Test func csvTitleRowsAboveTheHeaderAreSkippedAndReported() throws {
        let text = "2024年西吉县低保对象花名册,,,\n填报单位：西吉县民政局,,,\n\n序号,姓名,身份证号,备注\n1,王五,640422197411075409,\n2,马六,6404221980,\"a,b\",x\n"
        let url = try ReadFixture.file(Array(text.utf8))
        defer { ReadFixture.remove(url) }
        let (reader, rows, numbers, rejects) = try readAll(url.path) { $0.headerNames = ["姓名", "身份证号"] }
        #expect(reader.header == ["序号", "姓名", "身份证号", "备注"])
        #expect(reader.statistics.headerRow == 4)
        #expect(reader.statistics.skippedRows == [1, 2])
        #expect(reader.statistics.skippedAboveHeader == ["2024年西吉县低保对象花名册", "填报单位：西吉县民政局"])
        #expect(reader.statistics.notes == ["header on row 4; rows 1–2 skipped: \"2024年西吉县低保对象花名册\", \"填报单位：西吉县民政局\""])
        #expect(rows == [["1", "王五", "640422197411075409", ""]])
        #expect(numbers == [1])
        #expect(rejects.count == 1 && rejects[0].line == 6 && rejects[0].reason == .raggedRow)
        #expect(reader.statistics.rowsRead == 2)
    }

    @Test func explicitHeaderRowAndTheFirstRowByDefault() throws {
        let text = "标题 13912345678 一行\n姓名,身份证号\n王五,640422197411075409\n"
        let url = try ReadFixture.file(Array(text.utf8))
        defer { ReadFixture.remove(url) }
        let given = try readAll(url.path) { $0.headerRow = 2 }
        #expect(given.reader.header == ["姓名", "身份证号"] && given.rows == [["王五", "640422197411075409"]])
        #expect(given.reader.statistics.skippedAboveHeader == ["标题 *********** 一行"])   // digits masked in reports
        let plain = try readAll(url.path)
        #expect(plain.reader.header == ["标题 13912345678 一行"])
        #expect(plain.rejects.count == 2)   // two fields under a one-field header: nothing lost, both reported
        let none = try readAll(url.path) { $0.headerNames = ["工资"] }   // nothing matches: the first row
        #expect(none.reader.statistics.headerRow == 1)
        #expect(throws: ZhaorenError.self) { try readAll(url.path) { $0.headerRow = 9 } }
    }

    @Test func aTitleWithoutDelimitersDoesNotHideTheTabs() throws {
        let text = "花名册\n姓名\t身份证号\n王五\t640422197411075409\n"
        let url = try ReadFixture.file(Array(text.utf8), "input.tsv")
        defer { ReadFixture.remove(url) }
        let (reader, rows, _, _) = try readAll(url.path) { $0.headerNames = ["姓名"] }
        #expect(reader.format == .tsv)
        #expect(reader.header == ["姓名", "身份证号"] && rows == [["王五", "640422197411075409"]])
    }
}
