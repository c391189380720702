import Zhaoren
import ZhaorenSupport

/// How a clerk or grid worker writes an address in the real-shaped city
/// (``CityShape/real``): where it starts, and the habits that vary it.
struct AddressStyle: Sendable {
    enum Start: Sendable {
        /// Left blank.
        case none
        /// 宁夏回族自治区固原市原州区…
        case province
        /// 宁夏固原市原州区…
        case provinceShort
        /// 固原市原州区…
        case prefecture
        /// 原州区…
        case county
        /// 寨科乡温家台村… (the county left out)
        case township
        /// 温家台村二组… (only the village and below)
        case village
    }

    var start: Start
    /// 宁夏固原县 instead of …固原市原州区 (the name before 2001).
    var formerCounty = false
    /// 寨科温家台村 instead of 寨科乡温家台村.
    var dropTownshipSuffix = false
    /// 二组 instead of 2组.
    var chineseGroup = false

    /// The friendly shape's address: province down to the house.
    static let full = AddressStyle(start: .province)

    /// A police register's style for one household.
    static func police(_ rng: inout SeededGenerator, formerCounty allowed: Bool) -> AddressStyle {
        let u = rng.unit()
        var style = AddressStyle(start: u < 0.003 ? .none : u < 0.55 ? .province : u < 0.62 ? .provinceShort : u < 0.82 ? .prefecture : .county)
        style.formerCounty = allowed && rng.chance(0.05)
        style.dropTownshipSuffix = rng.chance(0.04)
        style.chineseGroup = rng.chance(0.4)
        return style
    }

    /// A grid worker's style for one row: mostly from the township or the village down.
    static func survey(_ rng: inout SeededGenerator) -> AddressStyle {
        let u = rng.unit()
        var style = AddressStyle(start: u < 0.005 ? .none : u < 0.5 ? .township : u < 0.75 ? .village : u < 0.9 ? .county : .prefecture)
        style.dropTownshipSuffix = rng.chance(0.02)
        style.chineseGroup = rng.chance(0.3)
        return style
    }
}

extension SyntheticCity {
    /// Appends person `p`'s household address written in `style`.
    func appendAddress(_ p: Int, _ style: AddressStyle, _ sink: CSVWriter) {
        let h = Int(people.household[p])
        let village = geo.villages[Int(people.householdVillage[h])]
        let township = geo.townships[village.township]
        let county = geo.counties[township.county]
        switch style.start {
        case .none: return
        case .province, .provinceShort, .prefecture, .county:
            if style.formerCounty {
                sink.row.appendRaw(style.start == .province ? "宁夏回族自治区固原县" : "宁夏固原县")
            } else {
                switch style.start {
                case .province: sink.row.appendRaw("宁夏回族自治区固原市")
                case .provinceShort: sink.row.appendRaw("宁夏固原市")
                case .prefecture: sink.row.appendRaw("固原市")
                default: break
                }
                sink.row.appendRaw(county.name)
            }
        case .township, .village: break
        }
        if style.start != .village {
            var name = township.name
            if style.dropTownshipSuffix {
                let suffix = name.hasSuffix("街道") ? 2 : 1
                if name.count - suffix >= 2 { name = String(name.dropLast(suffix)) }
            }
            sink.row.appendRaw(name)
        }
        sink.row.appendRaw(village.name)
        appendHouse(h, village: village, chineseGroup: style.chineseGroup, sink)
    }

    /// The house part of household `h`'s address: `2组15号` (or `二组15号`) in a village,
    /// `文化小区3号楼2单元401室` in a community.
    func appendHouse(_ h: Int, village: Geography.Village, chineseGroup: Bool, _ sink: CSVWriter) {
        let house = Int(people.householdHouse[h])
        if village.isCommunity {
            sink.row.appendRaw(Self.estates[Int(people.householdGroup[h]) % Self.estates.count])
            sink.row.appendDigits(1 + house / 24); sink.row.appendRaw("号楼")
            sink.row.appendDigits(1 + (house / 8) % 3); sink.row.appendRaw("单元")
            sink.row.appendDigits(1 + (house % 8) / 2); sink.row.appendDigits(1 + house % 2, width: 2); sink.row.appendRaw("室")
        } else {
            let group = Int(people.householdGroup[h])
            if chineseGroup { sink.row.appendRaw(Geography.chineseNumber(group)) } else { sink.row.appendDigits(group) }
            sink.row.appendRaw("组")
            sink.row.appendDigits(house); sink.row.appendRaw("号")
        }
    }
}
