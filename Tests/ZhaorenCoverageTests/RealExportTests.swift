import Foundation
import Testing
import ZhaorenTestSupport
import Zhaoren
@testable import ZhaorenCoverage

/// Hand-made exports shaped like real ones: a police register with addresses only, a survey
/// with grid codes (one cut short), insurance accounts with employer names and blank codes,
/// and a department list the project has never seen.
@Suite struct RealExportTests {
    /// A checksum-valid 18-digit ID number.
    static func id(_ region: String, _ birth: String, _ sequence: String) -> String {
        let body = Array((region + birth + sequence).utf8)
        return String(decoding: body + [CheckDigits.residentID(body)!], as: UTF8.self)
    }

    /// A valid unified social credit code for organisation digits `org` (8 digits).
    static func creditCode(_ region: String, _ org: String) -> String {
        let orgBody = Array(org.utf8)
        let body = Array("91".utf8) + Array(region.utf8) + orgBody + [CheckDigits.organizationCode(orgBody)!]
        return String(decoding: body + [CheckDigits.creditCode(body)!], as: UTF8.self)
    }

    static let zhang = id("640402", "19900101", "123")
    static let li = id("640402", "19850202", "246")
    static let wang = id("640402", "19800303", "369")
    static let zhao = id("640402", "19950404", "111")
    static let liu = id("640402", "19920505", "222")
    static let huayu = creditCode("640402", "12345678")
    static let huayuPengyang = creditCode("640425", "23456789")
    static let changcheng = creditCode("640402", "34567890")

    /// Writes the files and the settings into `folder`.
    static func write(into folder: URL) throws -> CoverageSettings {
        func file(_ name: String, _ lines: [String]) throws {
            try (lines.joined(separator: "\n") + "\n").write(to: folder.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        try file("police.csv", [
            "姓名,公民身份号码,性别,户籍地址",
            "张伟,\(zhang),男,宁夏回族自治区固原市原州区寨科乡温家台村二组12号",
            "李娜,\(li),女,固原市原州区南关街道双井社区幸福里15号楼3单元804室",
            "王芳,\(wang),女,不详",
        ])
        try file("survey.csv", [
            "网格编号,姓名,证件号码,性别,现居住地址",
            "640402201203001,张伟,\(zhang),男,寨科乡温家台村二组12号",
            "64040220120,赵强,\(zhao),男,南关街道双井社区幸福里3号楼1单元101室",
            "640402201203002,刘洋,\(liu),男,",
        ])
        try file("insurance.csv", [
            "姓名,身份证号码,险种,参保地行政区划,缴费状态,单位统一社会信用代码,单位名称",
            "张伟,\(zhang),企业职工基本养老保险,640402,正常缴费,,华宇商贸有限公司",
            "李娜,\(li),企业职工基本养老保险,640402,正常缴费,,长城建材有限公司",
            "刘洋,\(liu),企业职工基本养老保险,640402,正常缴费,\(changcheng),固原市长城建材有限公司",
            "刘洋,\(liu),企业职工基本养老保险,640402,正常缴费,\(changcheng),固原市长城建材有限公司",
        ])
        try file("veterans.csv", [
            "姓名,身份证号,优抚类别,享受金额",
            "张伟,\(zhang),伤残军人,1200",
            "李娜,\(li),带病回乡退伍军人,800",
        ])
        try file("enterprises.csv", [
            "统一社会信用代码,企业名称",
            "\(huayu),宁夏固原华宇商贸有限公司",
            "\(huayuPengyang),彭阳华宇商贸有限公司",
            "\(changcheng),固原市长城建材有限公司",
        ])
        try file("tax.csv", [
            "纳税人识别号,纳税人名称,从业人数",
            "\(huayu),宁夏固原华宇商贸有限公司,3",
            "\(changcheng),固原市长城建材有限公司,2",
        ])
        var labels = CoverageSettings.defaultLabels
        labels.append(.init(name: "veteran", when: "in_veterans"))
        labels.append(.init(name: "disabled_veteran", when: #"veterans.category == "伤残军人" and veterans.amount >= 1000"#))
        var actions = CoverageSettings.defaultActions
        actions.insert(.init(name: "veteran_visit", when: "disabled_veteran", text: "走访伤残军人，核实参保"), at: 0)
        let folderPath = folder.path + "/"
        return CoverageSettings(
            asOf: "2026-11-01", localRegionPrefixes: ["6404"],
            sources: [
                CoverageSource(name: "police", path: folderPath + "police.csv", kind: .population,
                               columns: ["name": "姓名", "id": "公民身份号码", "sex": "性别", "address": "户籍地址"]),
                CoverageSource(name: "survey", path: folderPath + "survey.csv", kind: .population,
                               columns: ["name": "姓名", "id": "证件号码", "sex": "性别", "area_code": "网格编号", "address": "现居住地址"]),
                CoverageSource(name: "insurance", path: folderPath + "insurance.csv", kind: .insurance,
                               columns: ["name": "姓名", "id": "身份证号码", "scheme": "险种", "insuring_region": "参保地行政区划",
                                         "status": "缴费状态", "employer": "单位统一社会信用代码", "employer_name": "单位名称"]),
                CoverageSource(name: "veterans", path: folderPath + "veterans.csv", kind: .list,
                               columns: ["name": "姓名", "id": "身份证号"], facts: ["category": "优抚类别", "amount": "享受金额"]),
                CoverageSource(name: "enterprises", path: folderPath + "enterprises.csv", kind: .enterprises,
                               columns: ["credit_code": "统一社会信用代码", "org_name": "企业名称"]),
                CoverageSource(name: "tax", path: folderPath + "tax.csv", kind: .tax,
                               columns: ["credit_code": "纳税人识别号", "org_name": "纳税人名称", "headcount": "从业人数"]),
            ],
            labels: labels, actions: actions)
    }

    static func run() throws -> (result: CoverageResult, folder: URL, settings: CoverageSettings) {
        let folder = try Scratch.folder("real-exports")
        let settings = try write(into: folder)
        let result = try CoverageRun(settings: settings).run()
        return (result, folder, settings)
    }

    func person(_ result: CoverageResult, _ key: String) throws -> CoveragePerson {
        try #require(result.persons.first { $0.key == key })
    }

    @Test func areasComeFromAddressesAndCodes() throws {
        let (result, folder, _) = try Self.run()
        defer { Scratch.remove(folder) }
        // Residence (the survey's code) and registration (the police address) agree.
        let zhang = try person(result, Self.zhang)
        #expect(zhang.area == AreaPath(county: "原州区", township: "寨科乡", village: "温家台村", grid: "第1网格"))
        #expect(zhang.hukou == AreaPath(county: "原州区", township: "寨科乡", village: "温家台村", grid: ""))
        #expect(zhang.areaOrigin == .residence)
        // Registration only.
        let li = try person(result, Self.li)
        #expect((li.area.county, li.area.township, li.area.village) == ("原州区", "南关街道", "双井社区"))
        #expect(li.areaOrigin == .registration)
        // A code cut short: the address, read with the townships learned from the police register.
        let zhao = try person(result, Self.zhao)
        #expect((zhao.area.county, zhao.area.township, zhao.area.village) == ("原州区", "南关街道", "双井社区"))
        // A code without an address: its village is named by the address written beside the same code.
        let liu = try person(result, Self.liu)
        #expect((liu.area.county, liu.area.township, liu.area.village, liu.area.grid) == ("原州区", "寨科乡", "温家台村", "第2网格"))
        // An address that names nothing: the county of the ID number, township and village unknown.
        let wang = try person(result, Self.wang)
        #expect(wang.area == AreaPath(county: "原州区", township: "", village: "", grid: ""))
        #expect(wang.areaOrigin == .idNumber)
        // Every problem is counted per source.
        let police = try #require(result.quality.areas.first { $0.source == "police" })
        #expect(police.issues["address_unreadable"] == 1)
        #expect(police.village == 2 && police.rows == 3 && police.byAddress == 2)
        let survey = try #require(result.quality.areas.first { $0.source == "survey" })
        #expect(survey.issues["code_wrong_length"] == 1)
        #expect(survey.byCode == 2 && survey.byAddress == 1 && survey.village == 3)
        #expect(result.quality.personsWithVillage == 4)
    }

    @Test func droppedColumnsLeaveTheRowsAndTheOtherColumns() throws {
        let folder = try Scratch.folder("real-exports-drop")
        defer { Scratch.remove(folder) }
        let settings = try Self.write(into: folder)
        let police = try SourceTable.read(try #require(settings.sources.first { $0.name == "police" }), rejects: nil)
        let light = police.dropping(["id", "address", "no_such_role"])
        #expect(light.count == 3 && light.rows == police.rows)
        #expect(light.roles == police.roles.filter { $0 != "id" && $0 != "address" })
        #expect(light.column("id") == nil && light.column("address") == nil)
        #expect(light.value("address", row: 1) == "")
        #expect(police.value("address", row: 1) == "固原市原州区南关街道双井社区幸福里15号楼3单元804室")
        #expect((0..<3).map { light.value("name", row: $0) } == ["张伟", "李娜", "王芳"])
        #expect((0..<3).map { light.value("sex", row: $0) } == (0..<3).map { police.value("sex", row: $0) })
    }

    /// A run drops the ID and address text once read (unless it keeps the rows for a base):
    /// both runs find the same persons, areas, labels and ID issues.
    @Test func droppingColumnsChangesNoResult() throws {
        let folder = try Scratch.folder("real-exports-keep")
        defer { Scratch.remove(folder) }
        let settings = try Self.write(into: folder)
        // One more account, its ID number's check digit mistyped.
        let mistyped = String(Self.li.dropLast()) + (Self.li.last == "1" ? "2" : "1")
        let insurance = folder.appendingPathComponent("insurance.csv")
        let text = try String(contentsOf: insurance, encoding: .utf8) + "李娜,\(mistyped),城乡居民基本养老保险,640402,中断缴费,,\n"
        try text.write(to: insurance, atomically: true, encoding: .utf8)
        let light = try CoverageRun(settings: settings).run()
        let kept = try CoverageRun(settings: settings).run(keepRows: true)
        #expect(light.persons.map { String(describing: $0) } == kept.persons.map { String(describing: $0) })
        #expect(light.enterprises.map { String(describing: $0) } == kept.enterprises.map { String(describing: $0) })
        #expect(light.quality.idIssues == kept.quality.idIssues)
        #expect(light.quality.idIssues["bad_checksum"] == 1)
        #expect(light.persons.count == 5)
        #expect(try person(light, Self.li).records.contains { $0.source == "insurance" && $0.row == 5 })
        #expect(kept.rows?.tables.first { $0.source.name == "police" }?.value("address", row: 0) == "宁夏回族自治区固原市原州区寨科乡温家台村二组12号")
    }

    @Test func unresolvedAreasGoToTheLowestKnownWorklist() throws {
        let (result, folder, _) = try Self.run()
        defer { Scratch.remove(folder) }
        let out = folder.appendingPathComponent("out")
        let written = try CoverageOutput(result).write(to: out)
        #expect(written.files.contains("worklists/原州区-未知-未知.xlsx"))
        let summary = try JSONDecoder().decode(CoverageSummary.self, from: Data(contentsOf: out.appendingPathComponent("summary.json")))
        #expect(summary.quality.personsWithVillage == 4)
        #expect(summary.quality.villageShare == 0.8)
        let persons = String(decoding: try Data(contentsOf: out.appendingPathComponent("persons.csv")), as: UTF8.self)
        #expect(persons.contains("\(Self.li),李娜,女,1985-02-02,41,原州区,南关街道,双井社区,,原州区,南关街道,双井社区,registration,"))
    }

    @Test func anyDepartmentListIsATagSource() throws {
        let (result, folder, _) = try Self.run()
        defer { Scratch.remove(folder) }
        let veteran = try #require(result.labelNames.firstIndex(of: "veteran"))
        let disabledVeteran = try #require(result.labelNames.firstIndex(of: "disabled_veteran"))
        let zhang = try person(result, Self.zhang), li = try person(result, Self.li), wang = try person(result, Self.wang)
        #expect(zhang.labels.contains(veteran) && zhang.labels.contains(disabledVeteran))
        #expect(li.labels.contains(veteran) && !li.labels.contains(disabledVeteran))
        #expect(!wang.labels.contains(veteran))
        let visit = try #require(result.actions.firstIndex { $0.name == "veteran_visit" })
        #expect(zhang.action == visit)
    }

    @Test func employersAreFoundByNameAndAmbiguityIsCounted() throws {
        let (result, folder, _) = try Self.run()
        defer { Scratch.remove(folder) }
        let employers = result.quality.employers
        #expect(employers.accounts == 4)
        #expect(employers.byCode == 2)
        #expect(employers.byName == 1)
        #expect(employers.ambiguousName == 1)
        #expect(result.unmatchedEmployers.map(\.reason) == ["name_matches_several_enterprises"])
        #expect(result.unmatchedEmployers.first?.record == SourceRow(source: "insurance", row: 1))
        let changcheng = try #require(result.enterprises.first { $0.key == Self.changcheng })
        // 刘洋's two accounts are one insured employee; 李娜's account has only the name.
        #expect((changcheng.insuredEmployees, changcheng.insuredByCode, changcheng.insuredByName) == (2, 1, 1))
        #expect(changcheng.labels.isEmpty)
        let huayu = try #require(result.enterprises.first { $0.key == Self.huayu })
        #expect(huayu.insuredEmployees == 0)
        #expect(huayu.labels.map { result.enterpriseLabelNames[$0] } == ["ent_no_insurance"])

        let out = folder.appendingPathComponent("out")
        try CoverageOutput(result).write(to: out)
        let labels = String(decoding: try Data(contentsOf: out.appendingPathComponent("enterprise_labels.csv")), as: UTF8.self)
        #expect(labels.contains("\(Self.huayu),ent_no_insurance,insured 0 of reported 3"))
        let unmatched = String(decoding: try Data(contentsOf: out.appendingPathComponent("employers_unmatched.csv")), as: UTF8.self)
        #expect(unmatched == "source,row,employer_code,employer_name,reason\ninsurance,1,,华宇商贸有限公司,name_matches_several_enterprises\n")
    }

    @Test func listNamesAndFactsAreChecked() throws {
        let folder = try Scratch.folder("list-settings")
        defer { Scratch.remove(folder) }
        var settings = try Self.write(into: folder)
        settings.sources[3].name = "退役 军人"
        #expect(throws: ZhaorenError.self) { try settings.validate() }
        settings.sources[3].name = "dibao2"
        settings.sources[3].facts = ["bad name": "优抚类别"]
        #expect(throws: ZhaorenError.self) { try settings.validate() }
        // A rule on a list fact that no source defines is an error in the settings, not a silent false.
        settings = try Self.write(into: folder)
        settings.labels?.append(.init(name: "odd", when: "in_pensioners"))
        #expect(throws: ZhaorenError.self) { try CoverageRun(settings: settings) }
    }
}
