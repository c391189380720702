import Foundation
import Testing
import ZhaorenTestSupport
import Zhaoren
@testable import ZhaorenCoverage

/// Hand-made coverage results shared by the output tests.
enum CoverageFixture {
    static let labelNames = ["deceased", "over_60", "working_age", "student", "insured_local", "insured_elsewhere",
                             "interrupted", "uninsured_should_enrol", "deceased_but_paid"]
    static let actions = [
        CoverageAction(name: "enterprise_pension", text: "动员参加企业职工基本养老保险"),
        CoverageAction(name: "resident_pension", text: "动员参加城乡居民基本养老保险"),
        CoverageAction(name: "resume", text: "动员恢复缴费"),
        CoverageAction(name: "stop_payment", text: "停发待遇并核实"),
    ]
    static let enterpriseLabelNames = ["ent_no_insurance", "ent_partial_insurance", "ent_unregistered"]
    static let asOf = CivilDate(year: 2026, month: 4, day: 30)!

    static func label(_ name: String) -> Int { labelNames.firstIndex(of: name)! }

    static func area(_ c: String, _ t: String, _ v: String, _ g: String) -> AreaPath {
        AreaPath(county: c, township: t, village: v, grid: g)
    }

    /// A person with an ID number as key.
    static func person(_ id: String, _ name: String, _ sex: Sex?, born: (Int, Int, Int)?, _ area: AreaPath,
                       phone: String? = nil, labels: [String], action: Int? = nil,
                       records: [SourceRow] = [], confidence: Float = 1, hukou: AreaPath = .unknown,
                       origin: AreaOrigin = .registration) -> CoveragePerson {
        let birth = born.flatMap { CivilDate(year: $0.0, month: $0.1, day: $0.2) }
        return CoveragePerson(
            key: id, idNumber: id.first?.isNumber == true ? id : nil, name: name, sex: sex, birthDate: birth,
            age: birth.map { $0.years(to: asOf) }, area: area, phone: phone,
            labels: labels.map(label).sorted(), action: action, records: records, linkConfidence: confidence,
            hukou: hukou == .unknown ? area : hukou, areaOrigin: area == .unknown ? .none : origin)
    }

    static let dongguan = area("原州区", "清河镇", "东关村", "网格1")

    /// Six persons in three villages and an unknown area, three enterprises.
    static func result(persons: [CoveragePerson]? = nil, labelNames: [String] = labelNames) -> CoverageResult {
        let persons = persons ?? [
            person("640402195004044567", "赵<script>alert(1)</script>", .male, born: (1950, 4, 4), area("原州区", "开城镇", "和泉村", "网格1"),
                   labels: ["deceased", "deceased_but_paid"], action: 3, records: [SourceRow(source: "deaths", row: 2)]),
            person("640402197003033456", "王芳", .female, born: (1970, 3, 3), area("原州区", "清河镇", "东关村", "网格2"),
                   phone: "0954-2031234", labels: ["working_age", "insured_local", "interrupted"], action: 2,
                   records: [SourceRow(source: "insurance", row: 9), SourceRow(source: "police", row: 3)], confidence: 0.93,
                   hukou: area("西吉县", "吉强镇", "龙王坝村", ""), origin: .residence),
            person("640402198002022345", "李娜", .female, born: (1980, 2, 2), dongguan,
                   labels: ["working_age", "insured_local"], records: [SourceRow(source: "police", row: 2)]),
            person("640402199001011234", "张伟", .male, born: (1990, 1, 1), dongguan, phone: "13800138000",
                   labels: ["working_age", "uninsured_should_enrol"], action: 0,
                   records: [SourceRow(source: "police", row: 1), SourceRow(source: "tax", row: 3)], confidence: 0.98766),
            person("640402200005055678", "刘洋", .male, born: (2000, 5, 5), area("西吉县", "吉强镇", "龙王坝村", "网格3"),
                   labels: ["working_age", "insured_elsewhere"], records: [SourceRow(source: "police", row: 4)]),
            person("grid:7", "=SUM(A1)", nil, born: nil, .unknown, labels: ["uninsured_should_enrol"], action: 1,
                   records: [SourceRow(source: "grid", row: 7)], confidence: 0.5),
        ]
        let enterprises = [
            CoverageEnterprise(key: "91640402MA76AAAA1A", name: "宁夏<甲>&乙有限公司", reportedHeadcount: 10, wageTotal: 500_000,
                               insuredEmployees: 2, area: area("原州区", "清河镇", "", ""), labels: [1],
                               records: [SourceRow(source: "tax", row: 1)], insuredByName: 1, inRegistry: true),
            CoverageEnterprise(key: "91640402MA76BBBB2B", name: "丙公司", reportedHeadcount: 5, wageTotal: nil,
                               insuredEmployees: 0, area: area("西吉县", "吉强镇", "", ""), labels: [0],
                               records: [SourceRow(source: "tax", row: 2)]),
            CoverageEnterprise(key: "91640402MA76CCCC3C", name: "丁公司", reportedHeadcount: nil, wageTotal: nil,
                               insuredEmployees: 3, area: .unknown, labels: [], records: [SourceRow(source: "registry", row: 1)]),
        ]
        let quality = CoverageQuality(
            rowsRead: ["police": 5, "tax": 3, "grid": 7],
            rowsRejected: ["police": ["unterminated_quote": 1], "tax": ["bad_credit_code": 2, "blank_name": 1]],
            idIssues: ["bad_checksum": 2, "excel_mangled": 1],
            unresolved: [SourceRow(source: "grid", row: 7)])
        return CoverageResult(
            asOf: asOf, labelNames: labelNames, actions: actions, enterpriseLabelNames: enterpriseLabelNames,
            persons: persons, enterprises: enterprises, quality: quality,
            timings: [StageTiming(stage: "read", seconds: 0.5), StageTiming(stage: "link", seconds: 1.25)], matchWeights: [12.5, 13, 8.25, -2, 20, 14.5])
    }

    /// A fresh empty folder inside ``Scratch/root``; the test removes it with
    /// `defer { Scratch.remove(folder) }`.
    static func folder(_ name: String = #function) -> URL {
        let url = Scratch.path("coverage-out")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    static func text(_ url: URL) throws -> String {
        String(decoding: try Data(contentsOf: url), as: UTF8.self)
    }
}

@Suite struct CoverageOutputTests {
    @Test func writesLabelsSortedByKeyThenLabelOrder() throws {
        let dir = CoverageFixture.folder()
        defer { Scratch.remove(dir) }
        let written = try CoverageOutput(CoverageFixture.result()).write(to: dir)
        #expect(try CoverageFixture.text(dir.appendingPathComponent("labels.csv")) == """
            key,label
            640402195004044567,deceased
            640402195004044567,deceased_but_paid
            640402197003033456,working_age
            640402197003033456,insured_local
            640402197003033456,interrupted
            640402198002022345,working_age
            640402198002022345,insured_local
            640402199001011234,working_age
            640402199001011234,uninsured_should_enrol
            640402200005055678,working_age
            640402200005055678,insured_elsewhere
            grid:7,uninsured_should_enrol

            """)
        // Worklists in area order; the unknown area (empty names) sorts first.
        #expect(written.files == ["labels.csv", "enterprise_labels.csv", "enterprises.csv", "employers_unmatched.csv",
                                  "persons.csv", "worklists/未知-未知-未知.xlsx",
                                  "worklists/原州区-开城镇-和泉村.xlsx", "worklists/原州区-清河镇-东关村.xlsx",
                                  "summary.json", "report.html"])
        #expect(written.worklists == 3)
    }

    @Test func sortsPersonsGivenOutOfOrder() throws {
        let dir = CoverageFixture.folder()
        defer { Scratch.remove(dir) }
        var result = CoverageFixture.result()
        result.persons.reverse()
        try CoverageOutput(result).write(to: dir)
        let lines = try CoverageFixture.text(dir.appendingPathComponent("labels.csv")).split(separator: "\n")
        #expect(lines[1] == "640402195004044567,deceased")
        #expect(lines.last == "grid:7,uninsured_should_enrol")
    }

    @Test func writesEnterpriseLabelsWithQuoting() throws {
        let dir = CoverageFixture.folder()
        defer { Scratch.remove(dir) }
        var result = CoverageFixture.result()
        result.enterpriseLabelNames[2] = "odd,\"name\""
        result.enterprises[2].labels = [2]
        try CoverageOutput(result).write(to: dir)
        #expect(try CoverageFixture.text(dir.appendingPathComponent("enterprise_labels.csv")) == """
            key,label,reason
            91640402MA76AAAA1A,ent_partial_insurance,insured 2 of reported 10 (1 by code + 1 by name)
            91640402MA76BBBB2B,ent_no_insurance,insured 0 of reported 5
            91640402MA76CCCC3C,"odd,""name\"\"\",insured 3

            """)
        #expect(try CoverageFixture.text(dir.appendingPathComponent("enterprises.csv")) == """
            key,name,in_registry,in_tax,reported_headcount,insured_employees,insured_by_code,insured_by_name,labels,records
            91640402MA76AAAA1A,宁夏<甲>&乙有限公司,1,1,10,2,1,1,ent_partial_insurance,tax:1
            91640402MA76BBBB2B,丙公司,0,1,5,0,0,0,ent_no_insurance,tax:2
            91640402MA76CCCC3C,丁公司,0,0,,3,3,0,"odd,""name\"\"\",registry:1

            """)
    }

    @Test func writesPersonsWithEveryColumn() throws {
        let dir = CoverageFixture.folder()
        defer { Scratch.remove(dir) }
        try CoverageOutput(CoverageFixture.result()).write(to: dir)
        let text = try CoverageFixture.text(dir.appendingPathComponent("persons.csv"))
        #expect(text == """
            key,name,sex,birth_date,age,county,township,village,grid,hukou_county,hukou_township,hukou_village,area_from,labels,action,action_text,records,link_confidence
            640402195004044567,赵<script>alert(1)</script>,男,1950-04-04,76,原州区,开城镇,和泉村,网格1,原州区,开城镇,和泉村,registration,deceased;deceased_but_paid,stop_payment,停发待遇并核实,deaths:2,1
            640402197003033456,王芳,女,1970-03-03,56,原州区,清河镇,东关村,网格2,西吉县,吉强镇,龙王坝村,residence,working_age;insured_local;interrupted,resume,动员恢复缴费,insurance:9;police:3,0.93
            640402198002022345,李娜,女,1980-02-02,46,原州区,清河镇,东关村,网格1,原州区,清河镇,东关村,registration,working_age;insured_local,,,police:2,1
            640402199001011234,张伟,男,1990-01-01,36,原州区,清河镇,东关村,网格1,原州区,清河镇,东关村,registration,working_age;uninsured_should_enrol,enterprise_pension,动员参加企业职工基本养老保险,police:1;tax:3,0.9877
            640402200005055678,刘洋,男,2000-05-05,25,西吉县,吉强镇,龙王坝村,网格3,西吉县,吉强镇,龙王坝村,registration,working_age;insured_elsewhere,,,police:4,1
            grid:7,'=SUM(A1),,,,,,,,,,,none,uninsured_should_enrol,resident_pension,动员参加城乡居民基本养老保险,grid:7,0.5

            """)
    }

    @Test func summaryCoverageRateArithmetic() throws {
        let dir = CoverageFixture.folder()
        defer { Scratch.remove(dir) }
        let summary = try CoverageOutput(CoverageFixture.result()).write(to: dir).summary
        // Working age: 王芳, 李娜, 张伟 (原州区) and 刘洋 (西吉县); insured: 王芳, 李娜, 刘洋.
        #expect(summary.coverage == .init(workingAge: 4, insured: 3, rate: 0.75))
        #expect(summary.persons == 6)
        #expect(summary.personsNeedingAction == 4)
        let counties = summary.areas.counties
        #expect(counties.map(\.county) == ["", "原州区", "西吉县"])
        #expect(counties[0].coverage == .init(workingAge: 0, insured: 0, rate: nil))   // unknown area, nobody working-age
        #expect(counties[1].coverage == .init(workingAge: 3, insured: 2, rate: 0.666667))
        #expect(counties[2].coverage == .init(workingAge: 1, insured: 1, rate: 1))
        let townships = summary.areas.townships
        #expect(townships.map { $0.township ?? "-" } == ["", "开城镇", "清河镇", "吉强镇"])
        #expect(townships[1].coverage.rate == nil)                  // 开城镇: only a deceased person
        #expect(townships[1].labels == ["deceased": 1, "deceased_but_paid": 1])
        #expect(townships[1].actions == ["stop_payment": 1])
        #expect(townships[2].coverage.rate == 0.666667)
        #expect(townships[2].needingAction == 2)
        #expect(summary.areas.villages.map { $0.village ?? "-" } == ["", "和泉村", "东关村", "龙王坝村"])
        #expect(summary.labels["uninsured_should_enrol"] == 2)
        #expect(summary.labels["student"] == 0)
        #expect(summary.actions == ["enterprise_pension": 1, "resident_pension": 1, "resume": 1, "stop_payment": 1])
        #expect(summary.enterprises.labels == ["ent_no_insurance": 1, "ent_partial_insurance": 1, "ent_unregistered": 0])
        #expect(summary.enterprises.worst.map(\.gap) == [8, 5])
        #expect(summary.enterprises.worst[0].labels == ["ent_partial_insurance"])
        #expect(summary.quality.rejectedTotal == 4)
        #expect(summary.quality.unresolved == 1)
        #expect(summary.timings.map(\.seconds) == [0.5, 1.25])
        #expect(summary.changes == nil && summary.targets == nil)
    }

    @Test func coverageToleratesMissingLabels() throws {
        // Without working_age there is no rate at all; without the insured labels it is 0.
        let names = ["deceased", "paying"]
        let p = CoverageFixture.person("640402199001011234", "张伟", .male, born: (1990, 1, 1), CoverageFixture.dongguan, labels: [])
        var noWorkingAge = CoverageFixture.result(persons: [p], labelNames: names)
        noWorkingAge.persons[0].labels = [1]
        let dir1 = CoverageFixture.folder()
        defer { Scratch.remove(dir1) }
        let s1 = try CoverageOutput(noWorkingAge).write(to: dir1).summary
        #expect(s1.coverage == .init(workingAge: 0, insured: 0, rate: nil))
        #expect(s1.areas.villages[0].coverage.rate == nil)

        var noInsured = CoverageFixture.result(persons: [p], labelNames: ["working_age"])
        noInsured.persons[0].labels = [0]
        let dir2 = CoverageFixture.folder()
        defer { Scratch.remove(dir2) }
        let s2 = try CoverageOutput(noInsured).write(to: dir2).summary
        #expect(s2.coverage == .init(workingAge: 1, insured: 0, rate: 0))
    }

    @Test func summaryJSONIsByteStableAndDecodable() throws {
        let a = CoverageFixture.folder(), b = CoverageFixture.folder()
        defer { Scratch.remove(a); Scratch.remove(b) }
        try CoverageOutput(CoverageFixture.result()).write(to: a)
        var shuffled = CoverageFixture.result()
        shuffled.persons.swapAt(0, 4)
        try CoverageOutput(shuffled).write(to: b)
        let ja = try Data(contentsOf: a.appendingPathComponent("summary.json"))
        let jb = try Data(contentsOf: b.appendingPathComponent("summary.json"))
        #expect(ja == jb)
        let text = String(decoding: ja, as: UTF8.self)
        #expect(text.contains("\"asOf\" : \"2026-04-30\""))
        #expect(text.hasSuffix("}\n"))
        let decoded = try JSONDecoder().decode(CoverageSummary.self, from: ja)
        #expect(decoded.coverage.rate == 0.75)
        // Same bytes for every file written from the same result.
        for file in ["labels.csv", "persons.csv", "report.html", "worklists/原州区-清河镇-东关村.xlsx"] {
            #expect(try Data(contentsOf: a.appendingPathComponent(file)) == Data(contentsOf: b.appendingPathComponent(file)))
        }
    }

    @Test func outputSummaryTextForTheCommandLine() throws {
        let dir = CoverageFixture.folder()
        defer { Scratch.remove(dir) }
        let written = try CoverageOutput(CoverageFixture.result()).write(to: dir)
        #expect(written.text.hasPrefix("6 persons, 4 needing action in 3 worklists\ncoverage of working-age residents: 75.0% (3 of 4)\nwrote 10 files to "))
    }

    @Test func writesAnEmptyResult() throws {
        let dir = CoverageFixture.folder()
        defer { Scratch.remove(dir) }
        var empty = CoverageFixture.result(persons: [])
        empty.enterprises = []
        empty.matchWeights = []
        empty.timings = []
        let written = try CoverageOutput(empty).write(to: dir)
        #expect(written.files == ["labels.csv", "enterprise_labels.csv", "enterprises.csv", "employers_unmatched.csv",
                                  "persons.csv", "summary.json", "report.html"])
        #expect(written.summary.coverage.rate == nil)
        #expect(written.summary.areas.counties.isEmpty)
        #expect(try CoverageFixture.text(dir.appendingPathComponent("labels.csv")) == "key,label\n")
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("worklists").path))
        let html = try CoverageFixture.text(dir.appendingPathComponent("report.html"))
        #expect(html.contains("无数据"))
        #expect(!html.contains("NaN") && !html.contains("inf%") && !html.contains("nan%"))
    }

    @Test func reportsUnwritableFolder() {
        #expect(throws: ZhaorenError.self) {
            try CoverageOutput(CoverageFixture.result()).write(to: URL(fileURLWithPath: "/proc/zhaoren-cannot-write"))
        }
    }
}
