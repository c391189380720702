import Zhaoren

/// Shared field writers: names, IDs, dates, places.
extension SyntheticCity {
    /// Date layouts seen in department exports.
    enum DateFormat: Int, CaseIterable {
        /// 1985/3/7
        case slash
        /// 1985年3月7日
        case chinese
        /// 19850307
        case compact
        /// 1985-03-07
        case dash
    }

    /// The person's true name as text.
    func name(_ p: Int) -> String {
        var bytes: [UInt8] = []
        appendName(p, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends the person's true name (dotted names with U+00B7).
    func appendName(_ p: Int, to out: inout [UInt8]) {
        if people.isDotted(p) {
            out.append(contentsOf: names.minorityParts[Int(people.given1[p])])
            out.append(contentsOf: [0xC2, 0xB7])
            out.append(contentsOf: names.minorityParts[Int(people.given2[p])])
            return
        }
        for c in names.surnames[Int(people.surname[p])].chars { out.append(contentsOf: names.chars.bytes[Int(c)]) }
        out.append(contentsOf: names.chars.bytes[Int(people.given1[p])])
        if people.given2[p] != CharTable.none { out.append(contentsOf: names.chars.bytes[Int(people.given2[p])]) }
    }

    /// Writes the clean name as a field.
    func nameField(_ p: Int, _ sink: CSVWriter) {
        sink.row.beginField()
        if people.isDotted(p) {
            sink.row.appendRaw(names.minorityParts[Int(people.given1[p])])
            sink.row.appendRaw([0xC2, 0xB7])
            sink.row.appendRaw(names.minorityParts[Int(people.given2[p])])
            return
        }
        for c in names.surnames[Int(people.surname[p])].chars { sink.row.appendRaw(names.chars.bytes[Int(c)]) }
        sink.row.appendRaw(names.chars.bytes[Int(people.given1[p])])
        if people.given2[p] != CharTable.none { sink.row.appendRaw(names.chars.bytes[Int(people.given2[p])]) }
    }

    /// The 15-digit form of the person's number (region, YYMMDD, order code).
    func id15(_ p: Int) -> [UInt8] {
        let id = Array(people.id(p))
        return Array(id[0..<6]) + Array(id[8..<17])
    }

    /// Writes a date in `format`.
    func dateField(_ day: Int32, _ format: DateFormat, _ sink: CSVWriter) {
        sink.row.beginField()
        appendDate(CivilDate(dayNumber: day), format, sink)
    }

    func appendDate(_ d: CivilDate, _ format: DateFormat, _ sink: CSVWriter) {
        switch format {
        case .slash:
            sink.row.appendDigits(d.year, width: 4); sink.row.appendRaw([47]); sink.row.appendDigits(d.month); sink.row.appendRaw([47]); sink.row.appendDigits(d.day)
        case .chinese:
            sink.row.appendDigits(d.year, width: 4); sink.row.appendRaw("年"); sink.row.appendDigits(d.month); sink.row.appendRaw("月"); sink.row.appendDigits(d.day); sink.row.appendRaw("日")
        case .compact:
            sink.row.appendDigits(d.year, width: 4); sink.row.appendDigits(d.month, width: 2); sink.row.appendDigits(d.day, width: 2)
        case .dash:
            sink.row.appendDigits(d.year, width: 4); sink.row.appendRaw([45]); sink.row.appendDigits(d.month, width: 2); sink.row.appendRaw([45]); sink.row.appendDigits(d.day, width: 2)
        }
    }

    /// Writes `YYYYMM`, or nothing when 0.
    func monthField(_ yyyymm: Int32, _ sink: CSVWriter) {
        if yyyymm == 0 { sink.row.empty() } else { sink.row.int(Int(yyyymm), width: 6) }
    }

    func sexField(_ p: Int, _ sink: CSVWriter) { sink.row.field(people.female[p] ? "女" : "男") }

    func villageIndex(_ p: Int) -> Int { Int(people.householdVillage[Int(people.household[p])]) }
    func township(_ p: Int) -> Geography.Township { geo.townships[geo.villages[villageIndex(p)].township] }
    func county(_ p: Int) -> Geography.County { geo.counties[township(p).county] }

    /// The household's address below the county: township, village and house.
    func appendLocalAddress(_ p: Int, _ sink: CSVWriter) {
        let h = Int(people.household[p])
        let village = geo.villages[Int(people.householdVillage[h])]
        sink.row.appendRaw(geo.townships[village.township].name)
        sink.row.appendRaw(village.name)
        appendHouse(h, village: village, chineseGroup: false, sink)
    }

    static let estates = ["文化小区", "阳光花园", "六盘山小区", "西湖家园", "东岳小区", "福园小区", "民族小区", "北苑小区"]
    static let ethnicShort = ["汉", "回", "维吾尔", "哈萨克", "蒙古", "满", "东乡"]
}
