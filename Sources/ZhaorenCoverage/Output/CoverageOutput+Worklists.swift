import Foundation
import Zhaoren
import ZhaorenSupport

extension CoverageOutput {
    /// The columns of a worklist (《扩面人员明细表》).
    static let worklistHeader = ["序号", "网格", "姓名", "性别", "身份证号", "年龄", "联系电话", "标签", "建议措施",
                                 "来源记录", "核实情况", "备注"]

    /// Writes one worklist per village with at least one person needing action (a recommended
    /// action), people sorted by grid, then name, then key. Returns each village's file name.
    ///
    /// Each file starts with a UTF-8 BOM (Excel needs it). ID numbers and phones are masked
    /// unless `unmask`; unmasked, they get a leading tab so that Excel keeps them as text
    /// (an 18-digit number would lose its last digits). Text fields that Excel would take
    /// for a formula (starting with `=`, `+`, `-`, `@`) get a leading `'`. 核实情况 holds the
    /// workers' earlier findings from `notes` (by person key), else is blank for the worker, as
    /// 备注 is.
    ///
    /// As workbooks (`format` `.xlsx`), each village's file has one sheet per grid (people by
    /// name), titled with the village and the reference date; ID and phone cells are text.
    func writeWorklists(to folder: URL, _ tally: CoverageTally, unmask: Bool, format: WorklistFormat = .csv,
                        notes: [String: String] = [:]) throws(ZhaorenError) -> [(village: CoverageTally.Village, file: String)] {
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw ZhaorenError(.io, "cannot create the folder: \(error.localizedDescription)", file: folder.path)
        }
        var byVillage = [[Int]](repeating: [], count: tally.villages.count)
        for (p, person) in result.persons.enumerated() where person.action != nil {
            byVillage[Int(tally.personVillage[p])].append(p)
        }
        var used = Set<String>()
        var written: [(village: CoverageTally.Village, file: String)] = []
        var jobs: [[Int]] = []
        for (v, members) in byVillage.enumerated() where !members.isEmpty {
            let village = tally.villages[v]
            let ext = format.rawValue
            var name = WorklistFileName.make(county: village.county, township: village.township, village: village.village, extension: ext)
            if used.contains(name) {
                let stem = String(name.dropLast(ext.count + 1))
                var n = 2
                while used.contains("\(stem)_\(n).\(ext)") { n += 1 }
                name = "\(stem)_\(n).\(ext)"
            }
            used.insert(name)
            let people = members.sorted {
                let a = result.persons[$0], b = result.persons[$1]
                return (a.area.grid, a.name, a.key) < (b.area.grid, b.name, b.key)
            }
            if format == .csv {
                let out = try CSVWriter(folder.appendingPathComponent(name), byteOrderMark: true)
                worklist(people, unmask: unmask, notes: notes, into: &out.row)
                try out.commit()
            }
            written.append((village, name))
            jobs.append(people)
        }
        if format == .xlsx {
            // Workbooks are built (XML, deflate) in parallel, one village per task.
            let tasks = jobs, files = written
            let failures = Parallel.map(tasks.count) { k -> ZhaorenError? in
                do throws(ZhaorenError) {
                    try WorkbookWriter.write(self.worklistSheets(tasks[k], village: files[k].village, unmask: unmask, notes: notes),
                                             to: folder.appendingPathComponent(files[k].file))
                    return nil
                } catch {
                    return error
                }
            }
            if let failure = failures.compactMap({ $0 }).first { throw failure }
        }
        return written
    }

    /// Column widths of a worklist sheet, in characters.
    static let worklistWidths: [Double] = [6, 10, 10, 6, 21, 6, 14, 24, 30, 22, 24, 16]

    /// A village's worklist as sheets: one per grid (people already in grid order), each with
    /// its title. Text is the same as in the CSV form, without its Excel guards (a workbook
    /// cell is text as stored).
    func worklistSheets(_ people: [Int], village: CoverageTally.Village, unmask: Bool,
                        notes: [String: String] = [:]) -> [WorkbookWriter.Sheet] {
        let place = [village.county, village.township, village.village].filter { !$0.isEmpty }.joined()
        let date = "\(result.asOf.year)年\(result.asOf.month)月\(result.asOf.day)日"
        let labelText = result.labelNames.map { CoverageLabelText.chinese($0) }
        var sheets: [WorkbookWriter.Sheet] = []
        var start = 0
        while start < people.count {
            let grid = result.persons[people[start]].area.grid
            var end = start
            while end < people.count && result.persons[people[end]].area.grid == grid { end += 1 }
            let gridName = grid.isEmpty ? "未分网格" : grid
            var sheet = WorkbookWriter.Sheet(name: gridName, title: "\(place)扩面人员明细表（\(gridName)）　\(date)",
                                             header: Self.worklistHeader)
            sheet.widths = Self.worklistWidths
            for (n, p) in people[start..<end].enumerated() {
                let person = result.persons[p]
                let action = person.action.flatMap { $0 >= 0 && $0 < result.actions.count ? result.actions[$0] : nil }
                let id = person.idNumber.map { unmask ? $0 : Masking.idNumber($0) }
                let phone = person.phone.map { unmask ? $0 : Masking.phone($0) }
                sheet.rows.append([
                    .number(n + 1), .text(person.area.grid), .text(person.name), .text(person.sex?.chinese ?? ""),
                    id.map { .text($0) } ?? .empty, person.age.map { .number($0) } ?? .empty, phone.map { .text($0) } ?? .empty,
                    .text(person.labels.filter { $0 >= 0 && $0 < labelText.count }.map { labelText[$0] }.joined(separator: "、")),
                    .text(action?.text ?? ""), .text(person.records.map { "\($0.source):\($0.row)" }.joined(separator: ";")),
                    notes[person.key].map { .text($0) } ?? .empty, .empty,
                ])
            }
            sheets.append(sheet)
            start = end
        }
        return sheets
    }

    /// One worklist's rows, header first.
    func worklist(_ people: [Int], unmask: Bool, notes: [String: String] = [:], into row: inout CSVRow) {
        for h in Self.worklistHeader { row.plain(h) }
        row.endRecord()
        let labelText = result.labelNames.map { Array(CoverageLabelText.chinese($0).utf8) }
        let separator = Array("、".utf8)
        for (n, p) in people.enumerated() {
            let person = result.persons[p]
            let action = person.action.flatMap { $0 >= 0 && $0 < result.actions.count ? result.actions[$0] : nil }
            row.int(n + 1)
            row.field(person.area.grid)
            row.field(person.name)
            row.plain(person.sex?.chinese ?? "")
            Self.identifier(person.idNumber.map { unmask ? $0 : Masking.idNumber($0) }, unmask: unmask, into: &row)
            if let age = person.age { row.int(age) } else { row.plain("") }
            Self.identifier(person.phone.map { unmask ? $0 : Masking.phone($0) }, unmask: unmask, into: &row)
            let labels = person.labels.filter { $0 >= 0 && $0 < labelText.count }
            row.joined(labels.count, separator: 0) { i, bytes in
                if i > 0 { bytes.removeLast(); bytes.append(contentsOf: separator) }
                bytes.append(contentsOf: labelText[labels[i]])
            }
            row.field(action?.text ?? "")
            let records = person.records
            row.joined(records.count, separator: 0x3B) { i, bytes in
                bytes.append(contentsOf: records[i].source.utf8)
                bytes.append(0x3A)
                CSVRow.appendDigits(records[i].row, to: &bytes)
            }
            row.field(notes[person.key] ?? "")
            row.plain("")
            row.endRecord()
        }
    }

    /// An ID number or phone cell: masked as it is, or unmasked with a leading tab so that
    /// Excel keeps every digit as text (an 18-digit number would lose its last digits).
    static func identifier(_ value: String?, unmask: Bool, into row: inout CSVRow) {
        guard let value else { return row.empty() }
        guard unmask else { return row.field(value) }
        row.beginField()
        row.appendRaw(CollectionOfOne(0x09))
        row.appendRaw(value.utf8)
    }
}
