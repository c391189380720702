import Foundation
import Zhaoren
import ZhaorenSupport

extension SyntheticCity {
    /// `police.csv` (公安户籍): every registered resident, clean, in household order; dead
    /// people mostly marked 死亡注销 with the date of cancellation (0–31 days after the death),
    /// movers 迁出; some elderly still carry 15-digit numbers.
    func writePolice(_ url: URL, gb18030: Bool) throws(ZhaorenError) -> FileOutput {
        let real = config.shape == .real
        let sink = try CSVWriter(url, header: CityFile.police.columns(in: config.shape), encoding: gb18030 ? .gb18030 : .utf8, neutralizesFormulas: false)
        var out = FileOutput()
        out.entities.reserveCapacity(people.count)
        // Real shape: one way of writing the address per household (a clerk's habit), drawn
        // from a stream of its own so that the friendly shape's files do not change.
        var addressRng = SeededGenerator(seed: config.seed).derived("police-address")
        for h in 0..<people.householdCount where !people.householdMigrant[h] {
            let village = geo.villages[Int(people.householdVillage[h])]
            let township = geo.townships[village.township]
            let county = geo.counties[township.county]
            let style = real ? AddressStyle.police(&addressRng, formerCounty: county.oldCode != 0 && township.county == 0) : .full
            for p in Int(people.householdFirst[h])..<Int(people.householdFirst[h + 1]) {
                nameField(p, sink)
                if people.has(p, Population.Flag.id15) { sink.row.plain(bytes: id15(p)) } else { sink.row.plain(bytes: people.id(p)) }
                sexField(p, sink)
                dateField(people.birth[p], .compact, sink)
                sink.row.field(Population.ethnicities[Int(people.ethnicity[p])])
                sink.row.beginField()
                if real {
                    appendAddress(p, style, sink)
                } else {
                    sink.row.appendRaw("宁夏回族自治区固原市")
                    sink.row.appendRaw(county.name)
                    appendLocalAddress(p, sink)
                    sink.row.field(county.name)
                    sink.row.field(township.name)
                    sink.row.field(village.name)
                }
                if people.has(p, Population.Flag.policeDeath) {
                    sink.row.field("死亡注销")
                    // Cancelled some days after the death (a fixed function of the person, so the
                    // random streams of the other files are untouched).
                    dateField(people.death[p] + Int32((UInt32(truncatingIfNeeded: p) &* 2_654_435_761) >> 27), .compact, sink)
                } else if people.has(p, Population.Flag.movedOut) {
                    sink.row.field("迁出")
                    sink.row.empty()
                } else {
                    sink.row.field("正常")
                    sink.row.empty()
                }
                sink.row.beginField()
                sink.row.appendDigits(Int(county.code), width: 6)
                sink.row.appendDigits(h + 1, width: 9)
                sink.endRow()
                out.entities.append(UInt32(p))
            }
        }
        try sink.commit()
        out.rows = sink.dataRowCount
        return out
    }
}
