import Foundation
import Zhaoren
import ZhaorenSupport

extension SyntheticCity {
    static let schools = ["固原市第一中学", "固原市第二中学", "固原回民中学", "西吉中学", "隆德中学", "泾源高级中学", "彭阳一中", "固原市职业技术学校"]
    static let universities = ["宁夏大学", "宁夏师范大学", "宁夏医科大学", "北方民族大学", "兰州大学", "西北师范大学", "宁夏职业技术学院", "陕西师范大学"]
    static let disabilityTypes = ["", "视力", "听力", "言语", "肢体", "智力", "精神", "多重"]
    static let disabilityLevels = ["", "一级", "二级", "三级", "四级"]

    /// `students.csv` (在校学生, from education): students aged 16–22, UTF-8 with a BOM, by school.
    func writeStudents(_ url: URL, gb18030: Bool) throws(ZhaorenError) -> FileOutput {
        var rng = SeededGenerator(seed: config.seed).derived("students")
        var rows: [(key: UInt64, person: UInt32, school: UInt8, grade: UInt8)] = []
        for p in 0..<people.count where people.has(p, Population.Flag.student) {
            let age = people.age(p, at: config.asOf)
            let school = age <= 18 ? rng.below(Self.schools.count) : Self.schools.count + rng.below(Self.universities.count)
            let grade = age <= 18 ? max(0, min(2, age - 16)) : 3 + max(0, min(3, age - 19))
            rows.append((UInt64(school) << 40 | UInt64(rng.below(1 << 30)), UInt32(p), UInt8(school), UInt8(grade)))
        }
        rows.sort { $0.key != $1.key ? $0.key < $1.key : $0.person < $1.person }
        let grades = ["高一", "高二", "高三", "大一", "大二", "大三", "大四"]
        let sink = try CSVWriter(url, header: CityFile.students.columns, byteOrderMark: true, encoding: gb18030 ? .gb18030 : .utf8, neutralizesFormulas: false)
        var out = FileOutput()
        for r in rows {
            let p = Int(r.person)
            nameField(p, sink)
            sink.row.plain(bytes: people.id(p))
            sexField(p, sink)
            dateField(people.birth[p], .dash, sink)
            let s = Int(r.school)
            sink.row.field(s < Self.schools.count ? Self.schools[s] : Self.universities[s - Self.schools.count])
            sink.row.field(grades[Int(r.grade)])
            sink.row.field("在读")
            sink.endRow()
            out.entities.append(UInt32(p))
        }
        try sink.commit()
        out.rows = sink.dataRowCount
        return out
    }

    /// An ID as an assistance list shows it: sometimes its last three digits lost to a spreadsheet.
    private func listID(_ p: Int, row: Int, _ rng: inout SeededGenerator, _ out: inout FileOutput) -> [UInt8] {
        var id = Array(people.id(p))
        if rng.chance(config.errors.listIDExcelTail) {
            var mangled = id
            mangled.replaceSubrange(15..<18, with: [48, 48, 48])
            if CheckDigits.residentID(mangled[0..<17]) != mangled[17] {
                id = mangled
                out.errors.append(InjectedError(row: UInt32(row), field: "id", kind: "excel_tail_000"))
            }
        }
        return id
    }

    /// `dibao.csv` (低保): every living member of a 低保 household, by village and household.
    func writeDibao(_ url: URL, gb18030: Bool) throws(ZhaorenError) -> FileOutput {
        var rng = SeededGenerator(seed: config.seed).derived("dibao")
        let sink = try CSVWriter(url, header: CityFile.dibao.columns, encoding: gb18030 ? .gb18030 : .utf8, neutralizesFormulas: false)
        var out = FileOutput()
        for h in 0..<people.householdCount {
            let first = Int(people.householdFirst[h]), end = Int(people.householdFirst[h + 1])
            let members = (first..<end).filter { people.has($0, Population.Flag.dibao) }
            guard !members.isEmpty else { continue }
            let amount = members.count * 600 + rng.below(5) * 20
            for p in members {
                nameField(first, sink)
                nameField(p, sink)
                sink.row.plain(bytes: listID(p, row: sink.dataRowCount + 1, &rng, &out))
                sink.row.field(Population.relations[Int(people.relation[p])])
                sink.row.field(township(p).name)
                sink.row.field(geo.villages[villageIndex(p)].name)
                sink.row.int(members.count)
                sink.row.int(amount)
                sink.endRow()
                out.entities.append(UInt32(p))
            }
        }
        try sink.commit()
        out.rows = sink.dataRowCount
        return out
    }

    /// `dibao.xlsx` (低保花名册) as the civil-affairs office sends it in a real-shaped city: a
    /// workbook whose first row is a title and second a unit line, the header on row 3; the IDs
    /// that lost their last three digits were typed as numbers (the cell holds 15 significant
    /// digits, as Excel stores them), the others are text. Same people and order as `dibao.csv`.
    func writeDibaoWorkbook(_ url: URL) throws(ZhaorenError) -> FileOutput {
        let temporary = url.deletingLastPathComponent().appendingPathComponent(".dibao.\(config.seed).csv")
        defer { try? FileManager.default.removeItem(at: temporary) }
        var out = try writeDibao(temporary, gb18030: false)
        let typedAsNumber = Set(out.errors.filter { $0.kind == "excel_tail_000" }.map { Int($0.row) })
        let reader = try CSVReader(url: temporary)
        var sheet = WorkbookWriter.Sheet(name: "低保", title: "\(config.asOf.year)年低保对象花名册", header: reader.header)
        sheet.subtitle = "填报单位：固原市民政局（盖章）　　　填报日期：\(config.asOf.year)年\(config.asOf.month)月"
        sheet.widths = [10, 10, 21, 10, 12, 14, 10, 14]
        let idColumn = reader.header.firstIndex(of: "身份证号") ?? 2
        while let batch = try reader.nextBatch() {
            for row in batch {
                sheet.rows.append((0..<row.count).map { c in
                    let text = row.string(c)
                    if c == idColumn && typedAsNumber.contains(row.number) && text.count == 18 {
                        // 640422197411075000 as Excel keeps it: 6.40422197411075E+17.
                        let digits = Array(text.prefix(15))
                        return .numberText("\(digits[0]).\(String(digits[1...]))E+17")
                    }
                    return .text(text)
                })
            }
        }
        try WorkbookWriter.write([sheet], to: url)
        out.firstRow = 4
        return out
    }

    /// `tekun.csv` (特困): persons in extreme poverty, with their age rather than birth date.
    func writeTekun(_ url: URL, gb18030: Bool) throws(ZhaorenError) -> FileOutput {
        var rng = SeededGenerator(seed: config.seed).derived("tekun")
        let sink = try CSVWriter(url, header: CityFile.tekun.columns, encoding: gb18030 ? .gb18030 : .utf8, neutralizesFormulas: false)
        var out = FileOutput()
        for p in 0..<people.count where people.has(p, Population.Flag.tekun) {
            nameField(p, sink)
            sink.row.plain(bytes: listID(p, row: sink.dataRowCount + 1, &rng, &out))
            sexField(p, sink)
            sink.row.int(people.age(p, at: config.asOf))
            sink.row.field(rng.chance(0.2) ? "集中供养" : "分散供养")
            sink.row.field(township(p).name)
            sink.row.field(geo.villages[villageIndex(p)].name)
            sink.endRow()
            out.entities.append(UInt32(p))
        }
        try sink.commit()
        out.rows = sink.dataRowCount
        return out
    }

    /// `disabled.csv` (残疾人): living certificate holders; the certificate number is the ID
    /// followed by the type digit and the level digit.
    func writeDisabled(_ url: URL, gb18030: Bool) throws(ZhaorenError) -> FileOutput {
        var rng = SeededGenerator(seed: config.seed).derived("disabled")
        let sink = try CSVWriter(url, header: CityFile.disabled.columns, encoding: gb18030 ? .gb18030 : .utf8, neutralizesFormulas: false)
        var out = FileOutput()
        for p in 0..<people.count where people.disability[p] != 0 && people.isAlive(p) {
            let type = Int(people.disability[p] >> 4), level = Int(people.disability[p] & 15)
            nameField(p, sink)
            sink.row.plain(bytes: listID(p, row: sink.dataRowCount + 1, &rng, &out))
            sink.row.plain(bytes: people.id(p))
            sink.row.appendDigits(type)
            sink.row.appendDigits(level)
            sink.row.field(Self.disabilityTypes[type])
            sink.row.field(Self.disabilityLevels[level])
            sink.row.field(township(p).name)
            sink.row.field(geo.villages[villageIndex(p)].name)
            if people.phone[p] != 0 { sink.row.int(Int(people.phone[p])) } else { sink.row.empty() }
            sink.endRow()
            out.entities.append(UInt32(p))
        }
        try sink.commit()
        out.rows = sink.dataRowCount
        return out
    }

    /// `deaths.csv` (死亡登记): registered deaths of the last five years, by date of death.
    func writeDeaths(_ url: URL, gb18030: Bool) throws(ZhaorenError) -> FileOutput {
        var rng = SeededGenerator(seed: config.seed).derived("deaths")
        var dead = (0..<people.count).filter { people.has($0, Population.Flag.deathRegister) }
        dead.sort { people.death[$0] != people.death[$1] ? people.death[$0] < people.death[$1] : $0 < $1 }
        let places = ["家中", "医院", "其他"]
        let sink = try CSVWriter(url, header: CityFile.deaths.columns, encoding: gb18030 ? .gb18030 : .utf8, neutralizesFormulas: false)
        var out = FileOutput()
        for p in dead {
            nameField(p, sink)
            sink.row.plain(bytes: people.id(p))
            sexField(p, sink)
            dateField(people.death[p], .chinese, sink)
            sink.row.field(places[rng.chance(0.6) ? 0 : 1 + rng.below(2)])
            sink.row.beginField()
            sink.row.appendRaw("固原市")
            sink.row.appendRaw(county(p).name)
            sink.row.appendRaw(rng.chance(0.7) ? "公安局" : "卫生健康局")
            sink.endRow()
            out.entities.append(UInt32(p))
        }
        try sink.commit()
        out.rows = sink.dataRowCount
        return out
    }
}
