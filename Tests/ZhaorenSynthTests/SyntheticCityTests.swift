import Foundation
import Testing
import ZhaorenTestSupport
import Zhaoren
@testable import ZhaorenSynth
import ZhaorenICU

@Suite struct SyntheticCityDeterminismTests {
    @Test func sameSeedSameBytesWhateverTheThreads() throws {
        let a = CityFixture.make(persons: 3_000, seed: 11, name: "detA")
        defer { Scratch.remove(a.folder) }
        let b = CityFixture.make(persons: 3_000, seed: 11, name: "detB", threads: 1)
        defer { Scratch.remove(b.folder) }
        let files = CityFile.allCases.map(\.fileName) + ["truth/entities.csv", "truth/persons.csv", "truth/labels.csv",
                                                         "truth/enterprises.csv", "truth/enterprise_labels.csv",
                                                         "truth/errors.csv", "manifest.json", "README.txt"]
        for file in files {
            let x = try Data(contentsOf: a.folder.appendingPathComponent(file))
            let y = try Data(contentsOf: b.folder.appendingPathComponent(file))
            #expect(x == y, "\(file) differs between runs")
            #expect(!x.isEmpty)
        }
    }

    @Test func differentSeedDifferentCity() throws {
        let a = CityFixture.make(persons: 1_000, seed: 1, name: "seed1")
        defer { Scratch.remove(a.folder) }
        let b = CityFixture.make(persons: 1_000, seed: 2, name: "seed2")
        defer { Scratch.remove(b.folder) }
        for file in ["police.csv", "grid_survey.csv", "insurance.csv"] {
            let x = try Data(contentsOf: a.folder.appendingPathComponent(file))
            let y = try Data(contentsOf: b.folder.appendingPathComponent(file))
            #expect(x != y)
        }
    }

    @Test func exactPersonCount() throws {
        for n in [1, 7, 500] {
            let city = try SyntheticCity(CityConfig(persons: n, seed: 3))
            #expect(city.personCount == n)
        }
        #expect(throws: ZhaorenError.self) { try SyntheticCity(CityConfig(persons: 0, seed: 1)) }
    }
}

@Suite struct SyntheticCityTruthTests {
    static let idColumn: [CityFile: String] = [
        .police: "公民身份号码", .gridSurvey: "证件号码", .insurance: "身份证号码", .students: "身份证件号",
        .dibao: "身份证号", .tekun: "证件号码", .disabled: "身份证号码", .deaths: "身份证号码",
    ]

    @Test func everyRowHasExactlyOneEntity() throws {
        let folder = CityFixture.medium.folder
        let entities = try CityFixture.rows(folder, "truth/entities.csv")
        #expect(entities.header == ["source", "row", "entity_id"])
        var seen = Set<String>()
        var perSource: [String: Int] = [:]
        for r in entities.rows {
            #expect(seen.insert(r[0] + ":" + r[1]).inserted, "duplicate \(r[0]):\(r[1])")
            perSource[r[0], default: 0] += 1
        }
        let persons = Set(try CityFixture.rows(folder, "truth/persons.csv").rows.map { $0[0] })
        let enterprises = Set(try CityFixture.rows(folder, "truth/enterprises.csv").rows.map { $0[0] })
        for r in entities.rows {
            #expect(r[2].hasPrefix("P") ? persons.contains(r[2]) : enterprises.contains(r[2]))
        }
        for file in CityFile.allCases {
            let data = try CityFixture.rows(folder, file.fileName, gb18030: file == .gridSurvey)
            #expect(data.header == file.columns)
            #expect(data.rows.count == perSource[file.rawValue, default: 0], "\(file)")
            #expect(data.rows.allSatisfy { $0.count == file.columns.count }, "\(file): a row with a wrong field count")
            // Rows are numbered 1…n with no gap.
            let numbers = entities.rows.filter { $0[0] == file.rawValue }.map { Int($0[1])! }
            #expect(numbers == Array(1...max(1, numbers.count)) || numbers.isEmpty)
        }
    }

    @Test func policeRowsAreCleanAndMatchTheTruth() throws {
        let folder = CityFixture.medium.folder
        let persons = try CityFixture.rows(folder, "truth/persons.csv").rows
        let byEntity = Dictionary(uniqueKeysWithValues: persons.map { ($0[0], $0) })
        let entities = try CityFixture.rows(folder, "truth/entities.csv").rows.filter { $0[0] == "police" }
        let police = try CityFixture.rows(folder, "police.csv").rows
        var fifteen = 0
        for (i, row) in police.enumerated() {
            let truth = try #require(byEntity[entities[i][2]])
            #expect(row[0] == truth[1])
            if row[1].count == 15 {
                fifteen += 1
                #expect(CityFixture.upgrade15(row[1]) == truth[2])
            } else {
                #expect(row[1] == truth[2])
                #expect(CityFixture.validID18(row[1]))
            }
            #expect(row[3] == truth[4].replacingOccurrences(of: "-", with: ""))
        }
        #expect(fifteen > 0)
    }

    /// Injected ID errors are the only checksum failures, and every one of them fails.
    @Test func checksumFailuresAreExactlyTheInjectedIDErrors() throws {
        let folder = CityFixture.medium.folder
        let errors = try CityFixture.rows(folder, "truth/errors.csv").rows
        let idErrors = Set(errors.filter { $0[2] == "id" }.map { $0[0] + ":" + $0[1] })
        #expect(idErrors.count > 100)
        let persons = try CityFixture.rows(folder, "truth/persons.csv").rows
        let truthID = Dictionary(uniqueKeysWithValues: persons.map { ($0[0], $0[2]) })
        let entities = try CityFixture.rows(folder, "truth/entities.csv").rows
        var entityOf: [String: String] = [:]
        for e in entities where e[0] != "enterprises" && e[0] != "tax" { entityOf[e[0] + ":" + e[1]] = e[2] }
        for (file, column) in Self.idColumn {
            let data = try CityFixture.rows(folder, file.fileName, gb18030: file == .gridSurvey)
            let c = try #require(data.header.firstIndex(of: column))
            for (i, row) in data.rows.enumerated() {
                let key = file.rawValue + ":" + String(i + 1)
                let id = row[c].uppercased()
                let truth = truthID[entityOf[key]!]!
                let ok = (CityFixture.validID18(id) && id == truth) || CityFixture.upgrade15(id) == truth
                #expect(ok == !idErrors.contains(key), "\(key): \(row[c]) vs \(truth)")
            }
        }
    }

    @Test func surveyCarriesEveryKindOfNoise() throws {
        let errors = try CityFixture.rows(CityFixture.medium.folder, "truth/errors.csv").rows
        let kinds = Set(errors.filter { $0[0] == "grid_survey" }.map { $0[2] + "/" + $0[3] })
        for kind in ["id/blank", "id/typo", "id/transposition", "id/truncation", "id/excel", "name/homophone",
                     "name/traditional", "name/stray_space", "name/dropped_char", "name/swapped_chars",
                     "birth/month_day_swapped", "birth/wrong_digit", "birth/blank", "phone/typo"] {
            #expect(kinds.contains(kind), "no \(kind)")
        }
        let survey = try CityFixture.rows(CityFixture.medium.folder, "grid_survey.csv", gb18030: true).rows
        #expect(survey.contains { $0[2].contains("\u{3000}") })
        #expect(survey.contains { $0[2].contains("張") || $0[2].contains("陳") || $0[2].contains("劉") })
        #expect(survey.contains { $0[5].contains("年") } && survey.contains { $0[5].contains("/") })
        #expect(survey.contains { $0[9] == "流动人口" })
        let entities = try CityFixture.rows(CityFixture.medium.folder, "truth/entities.csv").rows.filter { $0[0] == "grid_survey" }
        #expect(Set(entities.map { $0[2] }).count < entities.count)   // duplicate entries of one person
    }

    @Test func gridSurveyIsGB18030() throws {
        let data = try Data(contentsOf: CityFixture.medium.folder.appendingPathComponent("grid_survey.csv"))
        #expect(String(data: data, encoding: .utf8) == nil)
        let text = try #require(try CharsetConverter("GB18030").decode(Array(data)))
        #expect(text.hasPrefix("所属网格,网格员,姓名"))
    }

    @Test func cleanCityHasNoErrors() throws {
        let clean = CityFixture.make(persons: 2_000, seed: 5, name: "clean", errors: .none, gb18030: [])
        defer { Scratch.remove(clean.folder) }
        #expect(try CityFixture.rows(clean.folder, "truth/errors.csv").rows.isEmpty)
        let survey = try CityFixture.rows(clean.folder, "grid_survey.csv").rows
        #expect(survey.allSatisfy { CityFixture.validID18($0[3]) || $0[3].count == 15 })
    }

    @Test func manifestDescribesEveryFile() throws {
        let data = try Data(contentsOf: CityFixture.medium.folder.appendingPathComponent("manifest.json"))
        let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(json["as_of"] as? String == "2026-11-01")
        let files = try #require(json["files"] as? [String: Any])
        for file in CityFile.allCases {
            let entry = try #require(files[file.rawValue] as? [String: Any])
            #expect(entry["path"] as? String == file.fileName)
            #expect(entry["header"] as? [String] == file.columns)
            let columns = try #require(entry["columns"] as? [String: Any])
            for value in columns.values {
                let names = (value as? [String]) ?? [value as! String]
                for name in names { #expect(file.columns.contains(name)) }
            }
        }
        #expect((files["grid_survey"] as? [String: Any])?["encoding"] as? String == "gb18030")
        #expect((files["police"] as? [String: Any])?["encoding"] as? String == "utf8")
    }
}

@Suite struct SyntheticCityDistributionTests {
    @Test func sexRatioAndAgePyramid() throws {
        let persons = try CityFixture.rows(CityFixture.medium.folder, "truth/persons.csv").rows
        let males = persons.filter { $0[3] == "M" }.count
        let ratio = Double(males) / Double(persons.count - males) * 100
        #expect(ratio > 100 && ratio < 110, "sex ratio \(ratio)")
        let years = persons.map { Int($0[4].prefix(4))! }
        let old = Double(years.filter { $0 <= 1966 }.count) / Double(years.count)
        let young = Double(years.filter { $0 >= 2012 }.count) / Double(years.count)
        #expect(old > 0.12 && old < 0.32, "60+ share \(old)")
        #expect(young > 0.08 && young < 0.26, "0–14 share \(young)")
        // The 1980s boom outnumbers the 2020s.
        #expect(years.filter { (1985...1989).contains($0) }.count > years.filter { (2020...2024).contains($0) }.count)
    }

    @Test func surnamesHaveNingxiaFlavour() throws {
        let city = CityFixture.medium.city
        var counts: [String: Int] = [:]
        for p in 0..<city.people.count where !city.people.isDotted(p) {
            counts[city.names.surnames[Int(city.people.surname[p])].text, default: 0] += 1
        }
        let top = counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.map(\.key)
        #expect(top.first == "马")
        #expect(Set(top.prefix(6)).isSuperset(of: ["王", "李", "张"]))
        #expect(counts.keys.contains { $0.count == 2 })   // some compound surname
    }

    @Test func exactNameCollisionsAreCommon() throws {
        let persons = try CityFixture.rows(CityFixture.medium.folder, "truth/persons.csv").rows
        var counts: [String: Int] = [:]
        for p in persons { counts[p[1], default: 0] += 1 }
        let shared = persons.filter { counts[$0[1]]! > 1 }.count
        #expect(Double(shared) / Double(persons.count) > 0.2, "share with a namesake")
        #expect(counts.values.max()! >= 8)
        #expect(persons.contains { $0[1].contains("·") })
    }

    @Test func idsAreValidAndUniqueAndAgreeWithSexAndBirth() throws {
        let city = CityFixture.medium.city
        var seen = Set<String>()
        for p in 0..<city.people.count {
            let id = city.people.idString(p)
            #expect(CityFixture.validID18(id))
            #expect(seen.insert(id).inserted)
            let order = Int(id.dropFirst(16).prefix(1))!
            #expect((order % 2 == 1) == !city.people.female[p])
            #expect(id.dropFirst(6).prefix(8) == CivilDate(dayNumber: city.people.birth[p]).compact)
        }
        let regions = Set((0..<city.people.count).map { city.people.region[$0] })
        #expect(regions.contains(640402) && regions.contains(642221) && regions.count > 10)
        #expect(regions.allSatisfy { RegionTable.shared.contains(String($0)) })
    }
}

@Suite struct SyntheticCityLabelTests {
    @Test func labelsFollowTheirDefinitions() throws {
        let folder = CityFixture.medium.folder
        let labels = try CityFixture.rows(folder, "truth/labels.csv").rows
        var byKey: [String: Set<String>] = [:]
        for l in labels { byKey[l[0], default: []].insert(l[1]) }
        let persons = try CityFixture.rows(folder, "truth/persons.csv").rows
        let ids = Set(persons.map { $0[2] })
        #expect(Set(byKey.keys).isSubset(of: ids))
        var counts: [String: Int] = [:]
        for (_, set) in byKey {
            for l in set { counts[l, default: 0] += 1 }
            if set.contains("deceased") {
                for l in ["paying", "receiving_pension", "working_age", "over_60", "interrupted", "suspended",
                          "uninsured_should_enrol", "duplicate_enrolment", "student"] { #expect(!set.contains(l)) }
            }
            if set.contains("deceased_but_paid") { #expect(set.contains("deceased")) }
            if set.contains("uninsured_should_enrol") {
                #expect(set.contains("working_age") && !set.contains("student"))
                for l in ["paying", "receiving_pension", "interrupted", "suspended", "insured_local", "insured_elsewhere"] { #expect(!set.contains(l)) }
            }
            if set.contains("interrupted") { #expect(!set.contains("paying") && !set.contains("receiving_pension") && !set.contains("suspended")) }
            if set.contains("duplicate_enrolment") { #expect(set.contains("paying") || set.contains("receiving_pension")) }
            #expect(!(set.contains("over_60") && set.contains("working_age")))
        }
        for label in PersonLabel.allCases { #expect(counts[label.rawValue, default: 0] > 0, "no \(label.rawValue)") }
        // Coverage looks like Guyuan's ~97%: most working-age residents are insured.
        let working = counts["working_age"]!, uninsured = counts["uninsured_should_enrol"]!
        #expect(Double(uninsured) / Double(working) < 0.2)
    }

    @Test func deceasedButPaidShowsInTheInsuranceFile() throws {
        let folder = CityFixture.medium.folder
        let labels = try CityFixture.rows(folder, "truth/labels.csv").rows
        let flagged = Set(labels.filter { $0[1] == "deceased_but_paid" }.map { $0[0] })
        let deaths = try CityFixture.rows(folder, "deaths.csv").rows
        let police = try CityFixture.rows(folder, "police.csv").rows
        let status = CityFile.police.columns.firstIndex(of: "户籍状态")!
        let cancelled = police.filter { $0[status] == "死亡注销" }.map { CityFixture.upgrade15($0[1]) ?? $0[1] }
        let dead = Set(deaths.map { $0[1] }).union(cancelled)
        #expect(!flagged.isEmpty && flagged.isSubset(of: dead))
        let insurance = try CityFixture.rows(folder, "insurance.csv").rows
        for key in flagged {
            #expect(insurance.contains { ($0[2] == key || CityFixture.upgrade15($0[2]) == key) && $0[6] == "待遇领取" })
        }
    }

    @Test func enterpriseLabelsMatchTaxAndInsurance() throws {
        let folder = CityFixture.medium.folder
        let truth = try CityFixture.rows(folder, "truth/enterprises.csv").rows
        let labels = try CityFixture.rows(folder, "truth/enterprise_labels.csv").rows
        var counts: [String: Int] = [:]
        for l in labels { counts[l[1], default: 0] += 1 }
        for label in EnterpriseLabel.allCases { #expect(counts[label.rawValue, default: 0] > 0, "no \(label.rawValue)") }
        let insurance = try CityFixture.rows(folder, "insurance.csv").rows
        var insured: [String: Int] = [:]
        for r in insurance where r[4] == "企业职工基本养老保险" && r[6] == "正常缴费" { insured[r[7], default: 0] += 1 }
        for e in truth {
            #expect(insured[e[1], default: 0] == Int(e[8])!, "\(e[1])")
            #expect(Int(e[8])! <= Int(e[7])!)
        }
        let registry = try CityFixture.rows(folder, "enterprises.csv").rows
        for r in registry {
            let code = Array(r[0].utf8)
            #expect(CheckDigits.creditCode(code[0..<17]) == code[17])
            #expect(CheckDigits.organizationCode(code[8..<16]) == code[16])
        }
        let tax = try CityFixture.rows(folder, "tax.csv").rows
        #expect(tax.contains { $0[0].count == 15 })
        #expect(tax.contains { !registry.map { $0[1] }.contains($0[1]) })   // a name variant
    }
}

/// The engine's own reader takes every generated file as it is: encoding detected, no rejects.
@Suite struct SyntheticCityReaderTests {
    @Test func engineReaderReadsEveryFile() throws {
        let folder = CityFixture.medium.folder
        let entities = try CityFixture.rows(folder, "truth/entities.csv").rows
        for file in CityFile.allCases {
            let reader = try CSVReader(url: folder.appendingPathComponent(file.fileName))
            try reader.forEachBatch { _ in }
            #expect(reader.header == file.columns, "\(file)")
            #expect(reader.statistics.rowsRejected == 0, "\(file)")
            #expect(reader.statistics.rowsAccepted == entities.filter { $0[0] == file.rawValue }.count, "\(file)")
            #expect(reader.encoding == (file == .gridSurvey ? .gb18030 : .utf8), "\(file)")
        }
    }
}
