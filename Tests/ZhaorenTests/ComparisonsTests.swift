import Foundation
import Testing
import ZhaorenTestSupport
@testable import Zhaoren

/// Hand-built records with hand-made normalized names (no pinyin table needed).
func handTable(_ rows: [(name: String?, n: NormalizedName?, id: String?, birth: CivilDate?, sex: Sex?, phone: String?, address: String?)]) -> RecordTable {
    var t = RecordTable()
    let s = t.addSource("hand")
    for (k, r) in rows.enumerated() {
        var f = RecordTable.Fields()
        f.name = r.name
        f.normalizedName = r.n
        f.id = r.id
        if let id = r.id, id.count == 18, let y = Int(id.dropFirst(6).prefix(4)), let m = Int(id.dropFirst(10).prefix(2)),
           let d = Int(id.dropFirst(12).prefix(2)) {
            f.idBirth = CivilDate(year: y, month: m, day: d)
            f.idSex = Int(String(Array(id)[16]))! % 2 == 1 ? .male : .female
        }
        f.birth = r.birth
        f.sex = r.sex
        f.phone = r.phone
        f.address = r.address
        t.append(source: s, row: k + 1, f)
    }
    return t
}

func d(_ y: Int, _ m: Int, _ dd: Int) -> CivilDate { CivilDate(year: y, month: m, day: dd)! }

@Suite struct ComparisonsTests {
    let zhangwei = NormalizedName(folded: "张伟", readings: ["zhangwei"], fuzzyReadings: ["zanwei"], surnameLength: 1)

    @Test func chineseNameLevels() throws {
        let t = handTable([
            ("张伟", zhangwei, nil, nil, nil, nil, nil),                                                      // 0
            ("张伟", zhangwei, nil, nil, nil, nil, nil),                                                      // 1 exact
            ("張偉", zhangwei, nil, nil, nil, nil, nil),                                                      // 2 folded
            ("章伟", NormalizedName(folded: "章伟", readings: ["zhangwei"], fuzzyReadings: ["zanwei"], surnameLength: 1), nil, nil, nil, nil, nil),
            ("臧伟", NormalizedName(folded: "臧伟", readings: ["zangwei"], fuzzyReadings: ["zanwei"], surnameLength: 1), nil, nil, nil, nil, nil),
            ("张伟明", NormalizedName(folded: "张伟明", readings: ["zhangweiming"], fuzzyReadings: ["zanweimin"], surnameLength: 1), nil, nil, nil, nil, nil),
            ("张三丰", NormalizedName(folded: "张三丰", readings: ["zhangsanfeng"], fuzzyReadings: ["zansanfen"], surnameLength: 1), nil, nil, nil, nil, nil),
            ("李四", NormalizedName(folded: "李四", readings: ["lisi"], fuzzyReadings: ["nisi"], surnameLength: 1), nil, nil, nil, nil, nil),
            (nil, nil, nil, nil, nil, nil, nil),
            ("张玉", NormalizedName(folded: "张玉", readings: ["zhangyu"], fuzzyReadings: ["zanyu"], surnameLength: 1), nil, nil, nil, nil, nil),
            ("伟张", NormalizedName(folded: "伟张", readings: ["weizhang"], fuzzyReadings: ["weizan"], surnameLength: 1), nil, nil, nil, nil, nil),
        ])
        let c = try Comparator(specs: [ComparisonSpec(name: "name", kind: .chineseName)], table: t)
        var s = KernelScratch()
        #expect(c.level(0, 0, 1, scratch: &s) == 7)
        #expect(c.level(0, 0, 2, scratch: &s) == 6)
        #expect(c.level(0, 0, 3, scratch: &s) == 5)
        #expect(c.level(0, 0, 4, scratch: &s) == 4)
        #expect(c.level(0, 0, 5, scratch: &s) == 3)
        #expect(c.level(0, 0, 6, scratch: &s) == 2)
        #expect(c.level(0, 0, 7, scratch: &s) == 1)
        #expect(c.level(0, 0, 8, scratch: &s) == 0)
        #expect(c.level(0, 0, 9, scratch: &s) == 2)   // 张玉: two characters, one apart: only the surname counts
        #expect(c.level(0, 0, 10, scratch: &s) == 3)  // 伟张: swapped
        #expect(ComparisonKind.chineseName.levelNames[5] == "same_pinyin")
    }

    @Test func residentIDLevels() throws {
        let t = handTable([
            (nil, nil, "11010519491231002X", nil, nil, nil, nil),
            (nil, nil, "11010519491231002X", nil, nil, nil, nil),
            (nil, nil, "11010519491231003X", nil, nil, nil, nil),   // one substitution
            (nil, nil, "11010519491213002X", nil, nil, nil, nil),   // 31 → 13: adjacent transposition
            (nil, nil, "11010519491231126X", nil, nil, nil, nil),   // three changes
            (nil, nil, nil, nil, nil, nil, nil),
            (nil, nil, "440524188001010014", nil, nil, nil, nil),
        ])
        let c = try Comparator(specs: [ComparisonSpec(name: "id", kind: .residentID)], table: t)
        var s = KernelScratch()
        #expect(c.level(0, 0, 1, scratch: &s) == 4)
        #expect(c.level(0, 0, 2, scratch: &s) == 3)
        #expect(c.level(0, 0, 3, scratch: &s) == 3)
        #expect(c.level(0, 0, 4, scratch: &s) == 2)   // the typo fails the check digit
        #expect(c.level(0, 0, 5, scratch: &s) == 0)
        #expect(c.level(0, 0, 6, scratch: &s) == 1)   // two valid, different numbers
    }

    @Test func idConsistencyLevels() throws {
        let t = handTable([
            (nil, nil, "11010519491231002X", nil, nil, nil, nil),
            (nil, nil, nil, d(1949, 12, 31), .female, nil, nil),   // agrees with 0's ID
            (nil, nil, nil, d(1949, 12, 31), .male, nil, nil),     // sex contradicts
            (nil, nil, nil, d(1950, 12, 31), .female, nil, nil),   // birth contradicts
            (nil, nil, nil, nil, nil, nil, nil),
        ])
        let c = try Comparator(specs: [ComparisonSpec(name: "idc", kind: .idConsistency)], table: t)
        var s = KernelScratch()
        #expect(c.level(0, 0, 1, scratch: &s) == 3)
        #expect(c.level(0, 1, 0, scratch: &s) == 3)
        #expect(c.level(0, 0, 2, scratch: &s) == 2)
        #expect(c.level(0, 0, 3, scratch: &s) == 1)
        #expect(c.level(0, 0, 4, scratch: &s) == 0)
    }

    @Test func birthDateLevels() throws {
        let t = handTable([
            (nil, nil, nil, d(1985, 3, 7), nil, nil, nil),
            (nil, nil, nil, d(1985, 3, 7), nil, nil, nil),
            (nil, nil, nil, d(1985, 7, 3), nil, nil, nil),    // swapped
            (nil, nil, nil, d(1985, 3, 8), nil, nil, nil),    // one digit
            (nil, nil, nil, d(1985, 3, 28), nil, nil, nil),   // same year and month
            (nil, nil, nil, d(1986, 4, 7), nil, nil, nil),    // else
            (nil, nil, nil, nil, nil, nil, nil),
            (nil, nil, nil, d(1995, 4, 7), nil, nil, nil),    // years apart
            (nil, nil, nil, d(1990, 3, 7), nil, nil, nil),    // same month and day, two year digits off
            (nil, nil, nil, d(1947, 3, 7), nil, nil, nil),    // same month and day, decades off
            (nil, nil, nil, d(1958, 3, 7), nil, nil, nil),    // two adjacent digits swapped: one slip
            (nil, nil, nil, d(1985, 3, 26), nil, nil, nil),   // two digits apart, not a swap: same year and month
        ])
        let c = try Comparator(specs: [ComparisonSpec(name: "birth", kind: .birthDate)], table: t)
        var s = KernelScratch()
        #expect((1...11).map { Int(c.level(0, 0, $0, scratch: &s)) } == [7, 6, 5, 4, 2, 0, 1, 3, 3, 5, 4])
        #expect(ComparisonKind.birthDate.levelNames[3] == "same_month_day")
    }

    @Test func monthPrecisionBirthDatesCompareAtTheMonth() throws {
        // 出生年月 (`1985年3月`) is a value of its own, not a missing date.
        let march = RecordTable.birthValue(DateParser.parse("1985年3月"))
        #expect(RecordTable.isMonthOnly(march))
        #expect(RecordTable.calendar(march)! == (1985, 3, nil))
        #expect(RecordTable.birthText(march) == "1985-03")
        #expect(RecordTable.birthText(RecordTable.birthValue(DateParser.parse("1985-03-07"))) == "1985-03-07")
        #expect(RecordTable.birthValue(DateParser.parse("不详")) == RecordTable.missingDate)
        var t = RecordTable()
        let s = t.addSource("hand")
        let births: [Int32] = [march, march, d(1985, 3, 7).dayNumber, RecordTable.birthValue(.month(year: 1985, month: 4)),
                               RecordTable.birthValue(.month(year: 1990, month: 3)), RecordTable.missingDate]
        for (k, b) in births.enumerated() {
            t.appendInterned(source: s, row: UInt32(k + 1), name: RecordTable.missingID, id: 0, idBirth: RecordTable.missingDate, idSex: 0,
                             birth: b, sex: 0, phone: 0, address: RecordTable.missingID, otherID: RecordTable.missingID, area: RecordTable.missingID)
        }
        let c = try Comparator(specs: [ComparisonSpec(name: "birth", kind: .birthDate)], table: t)
        var scratch = KernelScratch()
        // Same month (either side month-only) is same_year_month; a month apart is "else";
        // five years apart is years_apart; nothing to compare is missing.
        #expect((1...5).map { Int(c.level(0, 0, $0, scratch: &scratch)) } == [4, 4, 2, 1, 0])
    }

    @Test func sexPhoneAddressLevels() throws {
        let t = handTable([
            (nil, nil, nil, nil, .male, "13800138000", "宁夏固原市原州区南关街道 文化路12号"),
            (nil, nil, nil, nil, .male, "13800138000", "宁夏固原市原州区南关街道文化路12号"),
            (nil, nil, nil, nil, .female, "13800138001", "宁夏固原市原州区南关街道文化路14号"),
            (nil, nil, nil, nil, nil, "13800183000", "固原市原州区文化路"),
            (nil, nil, nil, nil, nil, "13911112222", "北京市朝阳区建国路1号"),
        ])
        let c = try Comparator(specs: [ComparisonSpec(name: "sex", kind: .sex), ComparisonSpec(name: "phone", kind: .phone),
                                       ComparisonSpec(name: "address", kind: .address)], table: t)
        var s = KernelScratch()
        #expect(c.level(0, 0, 1, scratch: &s) == 2)
        #expect(c.level(0, 0, 2, scratch: &s) == 1)
        #expect(c.level(0, 0, 3, scratch: &s) == 0)
        #expect(c.level(1, 0, 1, scratch: &s) == 3)
        #expect(c.level(1, 0, 2, scratch: &s) == 2)
        #expect(c.level(1, 0, 3, scratch: &s) == 2)   // transposition 38 ↔ 83
        #expect(c.level(1, 0, 4, scratch: &s) == 1)
        #expect(c.level(2, 0, 1, scratch: &s) == 4)   // equal after folding whitespace
        #expect(c.level(2, 0, 2, scratch: &s) == 3)
        #expect(c.level(2, 0, 3, scratch: &s) == 2)
        #expect(c.level(2, 0, 4, scratch: &s) == 1)
        let p = c.pattern(0, 2, scratch: &s)
        #expect(Comparator.level(p, 0) == 1 && Comparator.level(p, 1) == 2 && Comparator.level(p, 2) == 3)
    }

    @Test func latinNameLevelsAreOrderInsensitive() throws {
        let rows: [String] = ["John Smith", "Smith John", "Jon Smith", "Jonathan Smythe", "Mary Jones", "john  SMITH"]
        let t = handTable(rows.map { ($0, NormalizedName.basic($0), nil, nil, nil, nil, nil) })
        let c = try Comparator(specs: [ComparisonSpec(name: "name", kind: .latinName)], table: t)
        var s = KernelScratch()
        #expect(c.level(0, 0, 5, scratch: &s) == 6)   // equal after folding
        #expect(c.level(0, 0, 1, scratch: &s) == 5)   // reordered tokens
        #expect(c.level(0, 0, 2, scratch: &s) == 5)
        #expect(c.level(0, 0, 3, scratch: &s) >= 3)
        #expect(c.level(0, 0, 4, scratch: &s) <= 2)
    }

    @Test func comparisonSpecsAreData() throws {
        let json = #"[{"name":"addr","kind":"address","thresholds":[0.9,0.6]},{"kind":"chinese_name","term_frequency":true}]"#
        let specs = try JSONDecoder().decode([ComparisonSpec].self, from: Data(json.utf8))
        #expect(specs[0].role == .address && specs[0].thresholds == [0.9, 0.6])
        #expect(specs[1].name == "chinese_name" && specs[1].termFrequency)
        let t = handTable([])
        #expect(throws: ZhaorenError.self) {
            _ = try Comparator(specs: [ComparisonSpec(name: "a", kind: .address, thresholds: [0.5])], table: t)
        }
    }
}
