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
    /// for a formula (starting with `=`, `+`, `-`, `@`) get a leading `'`. 核实情况 and 备注
    /// are left blank for the worker.
    func writeWorklists(to folder: URL, _ tally: CoverageTally, unmask: Bool) throws(ZhaorenError) -> [(village: CoverageTally.Village, file: String)] {
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
        for (v, members) in byVillage.enumerated() where !members.isEmpty {
            let village = tally.villages[v]
            var name = WorklistFileName.make(county: village.county, township: village.township, village: village.village)
            if used.contains(name) {
                let stem = String(name.dropLast(4))
                var n = 2
                while used.contains("\(stem)_\(n).csv") { n += 1 }
                name = "\(stem)_\(n).csv"
            }
            used.insert(name)
            let people = members.sorted {
                let a = result.persons[$0], b = result.persons[$1]
                return (a.area.grid, a.name, a.key) < (b.area.grid, b.name, b.key)
            }
            let out = try CSVWriter(folder.appendingPathComponent(name), byteOrderMark: true)
            worklist(people, unmask: unmask, into: &out.row)
            try out.commit()
            written.append((village, name))
        }
        return written
    }

    /// One worklist's rows, header first.
    func worklist(_ people: [Int], unmask: Bool, into row: inout CSVRow) {
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
            row.plain("")
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
