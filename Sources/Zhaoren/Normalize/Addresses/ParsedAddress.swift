/// What ``AddressParser`` found in one address: the administrative levels it names, from
/// province down to village, and the rest (group, house, building, room).
///
/// A level the address does not name is empty. Township and village names are given in the
/// gazetteer's spelling when the parser knew them (``townshipKnown``, ``villageKnown``), else
/// as written with the 委员会 forms shortened (`温家台村民委员会` → `温家台村`).
///
/// ```swift
/// let a = AddressParser().parse("宁夏回族自治区固原市原州区寨科乡温家台村二组12号")
/// a.county      // "原州区"
/// a.countyCode  // "640402"
/// a.township    // "寨科乡"
/// a.village     // "温家台村"
/// a.detail      // "二组12号"
/// a.level       // .village
/// ```
public struct ParsedAddress: Hashable, Sendable {
    /// The province as the region table names it (`宁夏回族自治区`), or empty.
    public var province: String = ""
    /// The prefecture-level city (`固原市`), or empty.
    public var prefecture: String = ""
    /// The county or district (`原州区`), or empty. A former name (`固原县`) is kept as written
    /// when the parser cannot tell the county that replaced it.
    public var county: String = ""
    /// The county's 6-digit GB/T 2260 code, or empty when the county is unknown or its name
    /// is shared by counties the parser cannot tell apart.
    public var countyCode: String = ""
    /// The code of the deepest region level named: 2 digits for a province (`64`), 4 for a
    /// prefecture (`6404`), 6 for a county (`640402`); empty when none is known.
    public var regionCode: String = ""
    /// The township, town or street (`寨科乡`, `南关街道`), or empty.
    public var township: String = ""
    /// The village or community (`温家台村`, `双井社区`), or empty.
    public var village: String = ""
    /// What follows the village (or the deepest level found): `二组12号`, `幸福里15号楼3单元804室`.
    public var detail: String = ""
    /// Whether the township was found in the gazetteer (rather than recognised by its suffix).
    public var townshipKnown = false
    /// Whether the village was found in the gazetteer (rather than recognised by its suffix).
    public var villageKnown = false

    /// Creates an empty result.
    public init() {}

    /// The deepest level the address names.
    public var level: AddressLevel {
        if !village.isEmpty { return .village }
        if !township.isEmpty { return .township }
        if !county.isEmpty { return .county }
        if !prefecture.isEmpty { return .prefecture }
        if !province.isEmpty { return .province }
        return .none
    }

    /// Whether county, township and village are all known: the address places a person in one
    /// village.
    public var isComplete: Bool { !county.isEmpty && !township.isEmpty && !village.isEmpty }
}

/// The administrative levels of a Chinese address, coarsest first.
///
/// ```swift
/// AddressLevel.township < .village   // true
/// ```
public enum AddressLevel: Int, Hashable, Sendable, Comparable, CaseIterable, CustomStringConvertible {
    /// Nothing recognised.
    case none
    /// 省/自治区/直辖市.
    case province
    /// 地级市/地区/自治州/盟.
    case prefecture
    /// 县/区/县级市/旗.
    case county
    /// 乡/镇/街道/苏木.
    case township
    /// 村/社区/居委会/嘎查.
    case village

    public static func < (a: AddressLevel, b: AddressLevel) -> Bool { a.rawValue < b.rawValue }

    /// `none`, `province`, … `village`.
    public var description: String {
        switch self {
        case .none: "none"
        case .province: "province"
        case .prefecture: "prefecture"
        case .county: "county"
        case .township: "township"
        case .village: "village"
        }
    }
}
