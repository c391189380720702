import Foundation
import Zhaoren
import ZhaorenSupport

extension SyntheticCity {
    /// `enterprises.csv` (市场监管企业登记): registered enterprises by founding date.
    func writeEnterprises(_ url: URL, gb18030: Bool) throws(ZhaorenError) -> FileOutput {
        var rng = SeededGenerator(seed: config.seed).derived("enterprises")
        var order = (0..<firms.count).filter { firms.inRegistry[$0] }
        order.sort { firms.founded[$0] != firms.founded[$1] ? firms.founded[$0] < firms.founded[$1] : $0 < $1 }
        let sink = try CSVWriter(url, header: CityFile.enterprises.columns, encoding: gb18030 ? .gb18030 : .utf8, neutralizesFormulas: false)
        var out = FileOutput()
        for e in order {
            let county = geo.counties[Int(firms.county[e])]
            sink.row.plain(bytes: firms.codes[(e * 18)..<(e * 18 + 18)])
            sink.row.field(firms.names[e])
            sink.row.field(Enterprises.types[Int(firms.type[e])])
            dateField(firms.founded[e], .dash, sink)
            sink.row.field(Enterprises.statuses[Int(firms.status[e])])
            sink.row.beginField(); sink.row.appendRaw("固原市"); sink.row.appendRaw(county.name); sink.row.appendRaw("市场监督管理局")
            let towns = geo.townships.indices.filter { geo.townships[$0].county == Int(firms.county[e]) }
            sink.row.beginField(); sink.row.appendRaw("宁夏回族自治区固原市"); sink.row.appendRaw(county.name)
            sink.row.appendRaw(geo.townships[towns[rng.below(towns.count)]].name)
            sink.row.appendDigits(1 + rng.below(300)); sink.row.appendRaw("号")
            sink.endRow()
            out.entities.append(UInt32(e))
        }
        try sink.commit()
        out.rows = sink.dataRowCount
        return out
    }

    /// `tax.csv` (税务): enterprises paying tax, with headcount and wage bill; taxpayer ids mostly
    /// the credit code, some the legacy 15-character number; names sometimes spelled differently.
    func writeTax(_ url: URL, gb18030: Bool) throws(ZhaorenError) -> FileOutput {
        var rng = SeededGenerator(seed: config.seed).derived("tax")
        var order: [(key: UInt64, firm: UInt32)] = []
        for e in 0..<firms.count where firms.inTax[e] { order.append((UInt64(rng.below(1 << 40)), UInt32(e))) }
        order.sort { $0.key != $1.key ? $0.key < $1.key : $0.firm < $1.firm }
        let period = Accounts.shift(Int32(config.asOf.year * 100 + config.asOf.month), by: -1)
        let sink = try CSVWriter(url, header: CityFile.tax.columns, encoding: gb18030 ? .gb18030 : .utf8, neutralizesFormulas: false)
        var out = FileOutput()
        for entry in order {
            let e = Int(entry.firm)
            let code = firms.codes[(e * 18)..<(e * 18 + 18)]
            if firms.legacyTaxID[e] {
                sink.row.plain(bytes: Array(code)[2..<17])
            } else {
                sink.row.plain(bytes: code)
            }
            sink.row.field(firms.taxNames[e])
            sink.row.beginField(); sink.row.appendRaw("国家税务总局固原市"); sink.row.appendRaw(geo.counties[Int(firms.county[e])].name); sink.row.appendRaw("税务局")
            sink.row.field("正常")
            sink.row.int(Int(firms.headcount[e]))
            sink.row.int(Int(firms.headcount[e]) * Int(firms.monthlyWage[e]) * 12)
            sink.row.int(Int(period), width: 6)
            sink.endRow()
            out.entities.append(UInt32(e))
        }
        try sink.commit()
        out.rows = sink.dataRowCount
        return out
    }
}
