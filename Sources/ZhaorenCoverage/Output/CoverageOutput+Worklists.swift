import Foundation
import Zhaoren

extension CoverageOutput {
    /// The columns of a worklist (《扩面人员明细表》).
    static let worklistHeader = ["序号", "网格", "姓名", "性别", "身份证号", "年龄", "联系电话", "标签", "建议措施",
                                 "来源记录", "核实情况", "备注"]

    /// Writes one worklist per village with at least one person needing action (a recommended
    /// action), people sorted by grid, then name, then key. Returns the file names written.
    ///
    /// Each file starts with a UTF-8 BOM (Excel needs it). ID numbers and phones are masked
    /// unless `unmask`; unmasked, they get a leading tab so that Excel keeps them as text
    /// (an 18-digit number would lose its last digits). Text fields that Excel would take
    /// for a formula (starting with `=`, `+`, `-`, `@`) get a leading `'`. 核实情况 and 备注
    /// are left blank for the worker.
    func writeWorklists(to folder: URL, _ tally: CoverageTally, unmask: Bool) throws(ZhaorenError) -> [String] {
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
        var written: [String] = []
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
            try AtomicFile.write(worklist(people, unmask: unmask), to: folder.appendingPathComponent(name))
            written.append(name)
        }
        removeStaleWorklists(in: folder, keeping: used)
        return written
    }

    /// The text of one worklist.
    func worklist(_ people: [Int], unmask: Bool) -> String {
        var text = CSVText.byteOrderMark + CSVText.line(Self.worklistHeader)
        for (n, p) in people.enumerated() {
            let person = result.persons[p]
            let action = person.action.flatMap { $0 >= 0 && $0 < result.actions.count ? result.actions[$0] : nil }
            let id = person.idNumber.map { unmask ? "\t" + $0 : CoverageMask.idNumber($0) } ?? ""
            let phone = person.phone.map { unmask ? "\t" + $0 : CoverageMask.phone($0) } ?? ""
            let labels = person.labels.compactMap { $0 >= 0 && $0 < result.labelNames.count ? result.labelNames[$0] : nil }
                .map(CoverageLabelText.chinese).joined(separator: "、")
            text += CSVText.line([
                String(n + 1), Self.excelText(person.area.grid), Self.excelText(person.name), person.sex?.chinese ?? "",
                id, person.age.map(String.init) ?? "", phone, labels, action?.text ?? "",
                person.records.map(\.description).joined(separator: ";"), "", "",
            ])
        }
        return text
    }

    /// Text that Excel would read as a formula, prefixed with `'`.
    static func excelText(_ s: String) -> String {
        guard let first = s.unicodeScalars.first, "=+-@".unicodeScalars.contains(first) else { return s }
        return "'" + s
    }

    /// Removes `*.csv` files in the worklists folder that this run did not write (villages
    /// with no one left to visit), so the folder never mixes two runs.
    private func removeStaleWorklists(in folder: URL, keeping names: Set<String>) {
        let fm = FileManager.default
        guard let existing = try? fm.contentsOfDirectory(atPath: folder.path) else { return }
        for file in existing where file.hasSuffix(".csv") && !names.contains(file) {
            try? fm.removeItem(at: folder.appendingPathComponent(file))
        }
    }
}
