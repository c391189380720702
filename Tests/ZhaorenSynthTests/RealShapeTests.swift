import Foundation
import Testing
import ZhaorenTestSupport
import Zhaoren
@testable import ZhaorenSynth

/// The real-shaped city: what registers written by someone else look like.
@Suite struct RealShapeTests {
    static let city: (city: SyntheticCity, folder: URL) = {
        let folder = CityFixture.temporaryFolder("real-shape")
        let city = try! SyntheticCity(CityConfig(persons: 6_000, seed: 11, shape: .real))
        try! city.write(to: folder, gb18030: [], threads: nil)
        return (city, folder)
    }()

    @Test func filesHaveTheRealHeaders() throws {
        for file in CityFile.allCases {
            let data = try CityFixture.rows(Self.city.folder, file.fileName(in: .real))
            #expect(data.header == file.columns(in: .real), "\(file)")
            #expect(data.rows.allSatisfy { $0.count == file.columns(in: .real).count }, "\(file): a row with a wrong field count")
        }
        #expect(!CityFile.police.columns(in: .real).contains("县(区)"))
        #expect(CityFile.gridSurvey.columns(in: .real).first == "网格编号")
        #expect(CityFile.insurance.columns(in: .real).contains("单位名称"))
        // The friendly layout is unchanged.
        #expect(CityFile.police.columns(in: .friendly) == CityFile.police.columns)
        let manifest = try String(contentsOf: Self.city.folder.appendingPathComponent("manifest.json"), encoding: .utf8)
        #expect(manifest.contains("\"shape\": \"real\""))
        #expect(manifest.contains("\"area_code\": \"网格编号\""))
        #expect(manifest.contains("\"employer_name\": \"单位名称\""))
    }

    @Test func theDibaoRosterArrivesAsADepartmentWorkbook() throws {
        #expect(CityFile.dibao.fileName(in: .real) == "dibao.xlsx" && CityFile.dibao.fileName(in: .friendly) == "dibao.csv")
        let path = Self.city.folder.appendingPathComponent("dibao.xlsx").path
        var options = CSVReader.Options()
        options.headerNames = ["成员姓名", "身份证号"]
        let reader = try CSVReader(path: path, options: options)
        #expect(reader.statistics.headerRow == 3)
        #expect(reader.statistics.skippedAboveHeader.first == "2026年低保对象花名册")
        #expect(reader.statistics.skippedAboveHeader.last?.hasPrefix("填报单位：固原市民政局（盖章）") == true)
        var numbers: [Int] = [], ids: [String] = []
        while let batch = try reader.nextBatch() { for row in batch { numbers.append(row.number); ids.append(row.string(2)) } }
        #expect(numbers.first == 4 && numbers == Array(4..<(4 + numbers.count)))
        // The truth names the sheet's rows.
        let entities = try CityFixture.rows(Self.city.folder, "truth/entities.csv").rows.filter { $0[0] == "dibao" }
        #expect(entities.map { Int($0[1])! } == numbers)
        #expect(ids.count == numbers.count)
    }

    @Test func idsThatLostTheirTailWereTypedAsNumbers() throws {
        let folder = CityFixture.temporaryFolder("real-shape-typed")
        defer { Scratch.remove(folder) }
        var errors = ErrorRates()
        errors.listIDExcelTail = 0.2
        try SyntheticCity(CityConfig(persons: 3_000, seed: 5, errors: errors, shape: .real)).write(to: folder, gb18030: [], threads: nil)
        let data = try CityFixture.rows(folder, "dibao.xlsx")
        let typed = try CityFixture.rows(folder, "truth/errors.csv").rows.filter { $0[0] == "dibao" && $0[3] == "excel_tail_000" }
        #expect(typed.count > 10)
        for error in typed {
            // Stored as 6.40422197411075E+17, read back as Excel kept it, flagged as a CSV saved from Excel is.
            let id = data.rows[Int(error[1])! - 4][2]
            #expect(id.hasSuffix("000") && ResidentID.parse(id).issues.codes.contains("excel_mangled"), "\(id)")
        }
        let typedRows = Set(typed.map { Int($0[1])! - 4 })
        #expect(data.rows.indices.filter { !typedRows.contains($0) }.allSatisfy { ResidentID.parse(data.rows[$0][2]).isValid || data.rows[$0][2].isEmpty })
    }

    @Test func policeAddressesAreWrittenSeveralWays() throws {
        let data = try CityFixture.rows(Self.city.folder, "police.csv")
        let address = try #require(data.header.firstIndex(of: "户籍地址"))
        let values = data.rows.map { $0[address] }
        let n = Double(values.count)
        func share(_ test: (String) -> Bool) -> Double { Double(values.filter(test).count) / n }
        #expect(share { $0.hasPrefix("宁夏回族自治区固原市") } > 0.4)
        #expect(share { $0.hasPrefix("固原市") } > 0.1)
        #expect(share { $0.hasPrefix("宁夏固原市") } > 0.03)
        #expect(share { !$0.hasPrefix("宁夏") && !$0.hasPrefix("固原") && !$0.isEmpty } > 0.1)   // from the county
        #expect(share { $0.contains("固原县") } > 0.002)     // the county's name before 2001
        #expect(share { $0.contains("二组") || $0.contains("三组") } > 0.02)
        #expect(share { $0.isEmpty } < 0.01)
    }

    @Test func surveyGridCodesAreVillageCodesPlusAGrid() throws {
        let data = try CityFixture.rows(Self.city.folder, "grid_survey.csv")
        let codes = data.rows.map { $0[0] }
        let counties = Set(Self.city.city.cityRegionCodes)
        let full = codes.filter { $0.count == 15 }
        #expect(Double(full.count) / Double(codes.count) > 0.97)
        #expect(codes.contains { $0.isEmpty })
        #expect(codes.contains { $0.count == 14 })
        for code in full {
            #expect(counties.contains(String(code.prefix(6))), "\(code)")
            let township = Int(code.dropFirst(6).prefix(3))!, village = Int(code.dropFirst(9).prefix(3))!
            #expect(township >= 1 && township < 400 && village >= 1 && village < 400, "\(code)")
        }
        // Addresses mostly start below the county.
        let address = try #require(data.header.firstIndex(of: "现居住地址"))
        let countyNames = ["原州区", "西吉县", "隆德县", "泾源县", "彭阳县"]
        let belowCounty = data.rows.filter { row in !countyNames.contains { row[address].contains($0) } && !row[address].isEmpty }
        #expect(Double(belowCounty.count) / Double(data.rows.count) > 0.6)
    }

    @Test func employerAccountsCarryNamesAndSometimesNoCode() throws {
        let data = try CityFixture.rows(Self.city.folder, "insurance.csv")
        let code = try #require(data.header.firstIndex(of: "单位统一社会信用代码"))
        let name = try #require(data.header.firstIndex(of: "单位名称"))
        let withEmployer = data.rows.filter { !$0[name].isEmpty }
        #expect(withEmployer.count > 100)
        let blank = withEmployer.filter { $0[code].isEmpty }
        let share = Double(blank.count) / Double(withEmployer.count)
        #expect(share > 0.12 && share < 0.28, "blank codes: \(share)")
        // Names of government bodies and of enterprises elsewhere too.
        #expect(withEmployer.contains { $0[name].hasSuffix("局") || $0[name].hasSuffix("医院") || $0[name].hasSuffix("中学") })
        let errors = try CityFixture.rows(Self.city.folder, "truth/errors.csv")
        let kinds = Set(errors.rows.map { $0[$0.count - 1] })
        #expect(kinds.contains("blank_code") && kinds.contains("mistyped_code"))
    }

    @Test func realShapeIsDeterministicAndFriendlyIsUntouched() throws {
        let again = CityFixture.temporaryFolder("real-shape-again")
        defer { Scratch.remove(again) }
        let city = try SyntheticCity(CityConfig(persons: 6_000, seed: 11, shape: .real))
        try city.write(to: again, gb18030: [], threads: 1)
        for file in CityFile.allCases {
            #expect(try Data(contentsOf: again.appendingPathComponent(file.fileName(in: .real)))
                    == Data(contentsOf: Self.city.folder.appendingPathComponent(file.fileName(in: .real))), "\(file)")
        }
        // The same persons in both shapes: the friendly files do not depend on the real shape's streams.
        let friendly = CityFixture.temporaryFolder("friendly-shape")
        defer { Scratch.remove(friendly) }
        try SyntheticCity(CityConfig(persons: 6_000, seed: 11)).write(to: friendly, gb18030: [], threads: 1)
        #expect(try Data(contentsOf: friendly.appendingPathComponent("truth/persons.csv"))
                == Data(contentsOf: Self.city.folder.appendingPathComponent("truth/persons.csv")))
        #expect(try Data(contentsOf: friendly.appendingPathComponent("students.csv"))
                == Data(contentsOf: Self.city.folder.appendingPathComponent("students.csv")))
    }

    @Test func chineseGroupNumbers() {
        #expect(Geography.chineseNumber(1) == "一")
        #expect(Geography.chineseNumber(10) == "十")
        #expect(Geography.chineseNumber(12) == "十二")
        #expect(Geography.chineseNumber(20) == "二十")
        #expect(Geography.chineseNumber(35) == "三十五")
    }
}
