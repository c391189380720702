/// Reads the administrative levels out of a Chinese address, full or partial:
/// `宁夏回族自治区固原市原州区寨科乡温家台村二组12号`, `固原市原州区…`, `原州区…`,
/// `南关街道双井社区幸福里15号楼3单元804室` (starting at the township), `温家台村二组` (at the
/// village), `寨科温家台村` (a township's suffix dropped).
///
/// Province, prefecture and county come from the GB/T 2260 region table (every edition since
/// 1980, so former names such as 固原县 are read too), in full or short form (`宁夏`, `固原`,
/// `原州` — short forms only where the levels above agree or the region is one of
/// ``preferredRegions``). Townships and villages come from a ``Gazetteer`` (longest name
/// first; names also match without their suffix), else from their suffixes: 乡, 镇, 街道,
/// 街道办事处, 地区办事处, 苏木 for townships; 村, 社区, 居委会, 村委会, 嘎查, 农场, 牧场, 林场
/// for villages. Whatever follows (一组, 12号, 15号楼3单元804室) is ``ParsedAddress/detail``.
///
/// A township or village in the gazetteer also names its county, so an address that starts
/// below the county is placed in one when the name is known in exactly one county (or in the
/// county of `countyHint`). An address it cannot read gives ``AddressLevel/none``; nothing
/// is guessed across counties.
///
/// ```swift
/// let parser = AddressParser()
/// let a = parser.parse("宁夏回族自治区固原市原州区寨科乡温家台村二组12号")
/// (a.county, a.township, a.village)        // ("原州区", "寨科乡", "温家台村")
/// parser.parse("北京市海淀区中关村街道").township   // "中关村街道"
/// ```
///
/// Immutable and `Sendable`: build one per gazetteer and share it between threads.
public struct AddressParser: Sendable {
    /// The townships and villages the parser knows by name.
    public let gazetteer: Gazetteer
    /// Region-code prefixes (`"6404"`) preferred when a name is shared by several regions, and
    /// whose counties may be written in short form without the levels above.
    public let preferredRegions: [String]

    let regions: RegionNames
    /// Township names (full and stem) → township index × 2 (+1 for a stem).
    let townshipTrie: ScalarTrie
    /// Village names (full and stem) → village index × 2 (+1 for a stem).
    let villageTrie: ScalarTrie
    /// Per gazetteer township, its county code (0 when unknown).
    let townshipCounty: [Int32]

    /// A parser for `gazetteer` (empty by default: townships and villages are then read from
    /// their suffixes alone).
    public init(gazetteer: Gazetteer = Gazetteer(), preferredRegions: [String] = []) {
        self.gazetteer = gazetteer
        self.preferredRegions = preferredRegions
        regions = .shared
        var towns = ScalarTrie()
        var counties: [Int32] = []
        for (t, township) in gazetteer.townships.enumerated() {
            counties.append(Int32(township.countyCode) ?? 0)
            let scalars = township.name.unicodeScalars.map(\.value)
            towns.insert(scalars, value: Int32(t * 2))
            if let stem = Self.stem(scalars, suffixes: Self.townshipSuffixes) { towns.insert(stem, value: Int32(t * 2 + 1)) }
        }
        var villages = ScalarTrie()
        for (v, village) in gazetteer.villages.enumerated() {
            let scalars = village.name.unicodeScalars.map(\.value)
            villages.insert(scalars, value: Int32(v * 2))
            if let stem = Self.stem(scalars, suffixes: Self.villageSuffixes) { villages.insert(stem, value: Int32(v * 2 + 1)) }
        }
        townshipTrie = towns
        villageTrie = villages
        townshipCounty = counties
    }

    /// Parses one address. `countyHint`: the 6-digit code of the county the record is known to
    /// be in (from a division code or an ID number), used when the address does not name one.
    /// - Complexity: O(length × deepest name) dictionary lookups; no allocation per candidate.
    public func parse(_ text: String, countyHint: String? = nil) -> ParsedAddress {
        var s = Self.scalars(text)
        var result = ParsedAddress()
        guard !s.isEmpty else { return result }
        for prefix in Self.countryPrefixes where s.starts(with: prefix) { s.removeFirst(prefix.count); break }

        // 1. Province, prefecture, county.
        var i = 0
        var province: Int32 = 0, prefecture: Int32 = 0, county: Int32 = 0
        var deepest = AddressLevel.none
        while i < s.count, deepest < .county {
            var chosen: (length: Int, entries: [RegionNames.Entry])?
            for match in regions.trie.matches(s, at: i) {
                let ok = match.values.map { regions.entries[Int($0)] }.filter { entry in
                    acceptable(entry, after: deepest, province: province, prefecture: prefecture, next: i + match.length < s.count ? s[i + match.length] : 0)
                }
                if !ok.isEmpty { chosen = (match.length, ok); break }
            }
            guard let chosen else { break }
            let level = chosen.entries.map(\.level).min()!
            var candidates = chosen.entries.filter { $0.level == level }
            if candidates.contains(where: { !$0.short }) { candidates = candidates.filter { !$0.short } }
            if candidates.contains(where: \.current) { candidates = candidates.filter(\.current) }
            if candidates.contains(where: isPreferred) { candidates = candidates.filter(isPreferred) }
            let codes = Set(candidates.map(\.code))
            let entry = candidates[0]
            switch level {
            case .province:
                result.province = entry.name
                if codes.count == 1 { province = entry.code }
            case .prefecture:
                result.prefecture = entry.name
                if codes.count == 1 { prefecture = entry.code }
            default:
                result.county = entry.current ? regions.name(of: entry.code) : entry.name
                if codes.count == 1 { county = entry.code }
            }
            deepest = level
            i += chosen.length
        }

        // 2. Township and village. A former county (固原县) does not restrict the gazetteer: the
        // township says which county replaced it.
        let hint = countyHint.flatMap { Int32($0) } ?? 0
        let countyIsCurrent = county != 0 && regions.inForce.contains(county)
        let filter: Int32 = county != 0 ? (countyIsCurrent ? county : 0) : (result.county.isEmpty ? hint : 0)
        var end = i
        var townshipIndex: Int? = nil
        if let (length, townships) = townshipMatch(s, at: i, county: filter) {
            end = skip(s, from: i + length, suffixes: Self.townshipSuffixes)
            if let (vLength, villages) = villageMatch(s, at: end, townships: Set(townships)) {
                let owners = Set(villages.map { gazetteer.villages[$0].township })
                if owners.count == 1 { townshipIndex = owners.first! }
                result.village = gazetteer.villages[villages[0]].name
                result.villageKnown = true
                end = skip(s, from: end + vLength, suffixes: Self.villageSuffixes)
            } else if let (name, vLength) = guessVillage(s, at: end) {
                result.village = name
                end += vLength
            }
            if townshipIndex == nil, townships.count == 1 { townshipIndex = townships[0] }
            if let townshipIndex {
                result.township = gazetteer.townships[townshipIndex].name
            } else if Set(townships.map { gazetteer.townships[$0].name }).count == 1 {
                result.township = gazetteer.townships[townships[0]].name
            }
            result.townshipKnown = !result.township.isEmpty
        } else if let (vLength, villages) = villageMatch(s, at: i, county: filter) {
            let owners = Set(villages.map { gazetteer.villages[$0].township })
            result.village = gazetteer.villages[villages[0]].name
            result.villageKnown = true
            if owners.count == 1 {
                townshipIndex = owners.first!
                result.township = gazetteer.townships[townshipIndex!].name
                result.townshipKnown = true
            }
            end = skip(s, from: i + vLength, suffixes: Self.villageSuffixes)
        } else if let (name, length) = guessTownship(s, at: i) {
            if let (village, vLength) = guessVillage(s, at: i + length) {
                result.township = name
                result.village = village
                end = i + length + vLength
            } else if Self.startsWithAny(s, at: i + length, Self.villageSuffixes) {
                // 东乡村: the 乡 belonged to the village's name.
                if let (village, vLength) = guessVillage(s, at: i) {
                    result.village = village
                    end = i + vLength
                }
            } else {
                result.township = name
                end = i + length
            }
        } else if let (village, vLength) = guessVillage(s, at: i) {
            result.village = village
            end = i + vLength
        }

        // 3. A known township names its county when the address did not (or named a former one).
        if let townshipIndex, townshipCounty[townshipIndex] != 0, county == 0 || !countyIsCurrent {
            let code = townshipCounty[townshipIndex]
            if result.county.isEmpty || !countyIsCurrent {
                county = code
                result.county = regions.name(of: code)
                if result.prefecture.isEmpty { result.prefecture = regions.name(of: code / 100 * 100) }
                if result.province.isEmpty { result.province = regions.name(of: code / 10000 * 10000) }
            }
        }
        if county != 0 {
            result.countyCode = String(county)
            result.regionCode = result.countyCode
        } else if prefecture != 0 {
            result.regionCode = String(prefecture / 100)
        } else if province != 0 {
            result.regionCode = String(province / 10000)
        }
        result.detail = String(String.UnicodeScalarView(s[end...].compactMap(Unicode.Scalar.init)))
        return result
    }

    // MARK: - Regions

    private func acceptable(_ entry: RegionNames.Entry, after deepest: AddressLevel, province: Int32, prefecture: Int32, next: UInt32) -> Bool {
        guard entry.level > deepest else { return false }
        if province != 0, entry.code / 10000 != province / 10000 { return false }
        if prefecture != 0, entry.code / 100 != prefecture / 100 { return false }
        guard entry.short else { return true }
        if Self.notAfterShortName.contains(next) { return false }
        switch entry.level {
        case .province: return true
        case .prefecture: return province != 0 || deepest == .none || isPreferred(entry)
        default: return prefecture != 0 || isPreferred(entry)
        }
    }

    private func isPreferred(_ entry: RegionNames.Entry) -> Bool {
        guard !preferredRegions.isEmpty else { return false }
        let code = String(entry.code)
        return preferredRegions.contains { code.hasPrefix($0) }
    }

    // MARK: - Gazetteer lookups

    /// The longest gazetteer township name at `start` (in `county` when not 0): its length and
    /// the townships with that name.
    private func townshipMatch(_ s: [UInt32], at start: Int, county: Int32) -> (Int, [Int])? {
        guard !townshipTrie.isEmpty else { return nil }
        for match in townshipTrie.matches(s, at: start) {
            var found: [Int] = []
            for value in match.values {
                let t = Int(value / 2)
                if county != 0, townshipCounty[t] != county { continue }
                // Under a former county code only when no current county has the name.
                if county == 0, townshipCounty[t] != 0, !regions.inForce.contains(townshipCounty[t]),
                   match.values.contains(where: { regions.inForce.contains(townshipCounty[Int($0 / 2)]) }) { continue }
                // A stem must not run into a village name's suffix (双井 of 双井村 is not 双井镇).
                if value % 2 == 1, Self.startsWithAny(s, at: start + match.length, Self.villageSuffixes) { continue }
                if !found.contains(t) { found.append(t) }
            }
            if !found.isEmpty { return (match.length, found) }
        }
        return nil
    }

    /// The longest gazetteer village name at `start` among `townships`.
    private func villageMatch(_ s: [UInt32], at start: Int, townships: Set<Int>) -> (Int, [Int])? {
        villageMatch(s, at: start) { townships.contains($0) }
    }

    /// The longest gazetteer village name at `start` in `county` (any county when 0).
    private func villageMatch(_ s: [UInt32], at start: Int, county: Int32) -> (Int, [Int])? {
        villageMatch(s, at: start) { county == 0 || townshipCounty[$0] == county }
    }

    private func villageMatch(_ s: [UInt32], at start: Int, where keep: (Int) -> Bool) -> (Int, [Int])? {
        guard !villageTrie.isEmpty, start < s.count else { return nil }
        for match in villageTrie.matches(s, at: start) {
            var found: [Int] = []
            for value in match.values {
                let v = Int(value / 2)
                guard keep(gazetteer.villages[v].township) else { continue }
                if value % 2 == 1, Self.startsWithAny(s, at: start + match.length, Self.townshipSuffixes) { continue }
                if !found.contains(v) { found.append(v) }
            }
            if !found.isEmpty { return (match.length, found) }
        }
        return nil
    }

    // MARK: - Suffixes

    /// A township named by its suffix at `start`: the name (街道办事处 shortened to 街道) and the
    /// scalars read. Names hold no digits or house words, and end before any village suffix.
    private func guessTownship(_ s: [UInt32], at start: Int) -> (String, Int)? {
        var j = start + 1
        while j < s.count, j - start <= 12, !Self.stopsName(s[j]) {
            for suffix in Self.townshipSuffixes where s[j...].starts(with: suffix) {
                let length = j - start + suffix.count
                var name = Array(s[start..<j])
                name.append(contentsOf: Self.canonicalTownshipSuffix(suffix))
                return (Self.string(name), length)
            }
            j += 1
        }
        return nil
    }

    /// A village named by its suffix at `start` (村民委员会/村委会 shortened to 村, 居民委员会 to
    /// 居委会; 新村村 read whole).
    private func guessVillage(_ s: [UInt32], at start: Int) -> (String, Int)? {
        guard start < s.count, !Self.stopsName(s[start]) else { return nil }
        var j = start + 1
        while j < s.count, j - start <= 12, !Self.stopsName(s[j]) {
            for suffix in Self.villageSuffixes where s[j...].starts(with: suffix) {
                var length = j - start + suffix.count
                var name = Array(s[start..<j])
                let canonical = Self.canonicalVillageSuffix(suffix)
                name.append(contentsOf: canonical)
                if canonical == Self.cun, start + length < s.count, s[start + length] == Self.cun[0],
                   !(start + length + 1 < s.count && Self.cunFollowers.contains(s[start + length + 1])) {
                    name.append(Self.cun[0])   // 新村村
                    length += 1
                } else if canonical == Self.cun, let community = Self.communitySuffixes.first(where: { s[(start + length)...].starts(with: $0) }) {
                    name.append(contentsOf: community)   // 中关村社区: 村 is part of the name
                    length += community.count
                }
                return (Self.string(name), length)
            }
            j += 1
        }
        return nil
    }

    /// `start` advanced past one suffix of `suffixes` if one starts there (the 乡 after a stem
    /// match, the 办事处 after 南关街道).
    private func skip(_ s: [UInt32], from start: Int, suffixes: [[UInt32]]) -> Int {
        for suffix in suffixes where s[min(start, s.count)...].starts(with: suffix) { return start + suffix.count }
        for tail in Self.officeTails where s[min(start, s.count)...].starts(with: tail) { return start + tail.count }
        return start
    }

    static func startsWithAny(_ s: [UInt32], at start: Int, _ list: [[UInt32]]) -> Bool {
        guard start < s.count else { return false }
        return list.contains { s[start...].starts(with: $0) }
    }

    /// Scalars that end a township or village name: ASCII digits and house words.
    static func stopsName(_ scalar: UInt32) -> Bool {
        (scalar >= 0x30 && scalar <= 0x39) || houseWords.contains(scalar)
    }

    /// `name` without its suffix, if at least two scalars remain.
    static func stem(_ name: [UInt32], suffixes: [[UInt32]]) -> [UInt32]? {
        for suffix in suffixes where name.count >= suffix.count + 2 && name.suffix(suffix.count).elementsEqual(suffix) {
            return Array(name.dropLast(suffix.count))
        }
        return nil
    }

    /// The address as scalar values: spaces dropped, full-width ASCII folded.
    static func scalars(_ text: String) -> [UInt32] {
        var out: [UInt32] = []
        out.reserveCapacity(text.utf8.count / 2)
        for u in text.unicodeScalars {
            var v = u.value
            switch v {
            case 0x20, 0x09, 0x0A, 0x0D, 0xA0, 0x3000: continue
            case 0xFF01...0xFF5E: v -= 0xFEE0
            default: break
            }
            out.append(v)
        }
        return out
    }

    static func string(_ scalars: some Sequence<UInt32>) -> String {
        String(String.UnicodeScalarView(scalars.compactMap(Unicode.Scalar.init)))
    }

    private static func values(_ list: [String]) -> [[UInt32]] { list.map { $0.unicodeScalars.map(\.value) } }

    static let countryPrefixes = values(["中华人民共和国", "中国"])
    /// Longest first, so 街道办事处 wins over 办事处.
    static let townshipSuffixes = values(["街道办事处", "地区办事处", "街道办", "办事处", "街道", "苏木", "乡", "镇"])
    static let villageSuffixes = values(["村民委员会", "居民委员会", "村委会", "居委会", "社区", "嘎查", "农场", "牧场", "林场", "村"])
    static let communitySuffixes = values(["社区", "居委会", "居民委员会", "嘎查"])
    static let officeTails = values(["办事处", "居委会", "村委会", "委员会"])
    static let cun = values(["村"])[0]
    /// After 新村 + 村, these mean the second 村 starts a word of its own (村委会, 村民…).
    static let cunFollowers: Set<UInt32> = Set("委民".unicodeScalars.map(\.value))
    static let houseWords: Set<UInt32> = Set("号组栋楼幢室#".unicodeScalars.map(\.value))
    /// A short region name followed by one of these is part of another name (原州路, 城关镇).
    static let notAfterShortName: Set<UInt32> = Set("乡镇村社街路巷道区县市组号里".unicodeScalars.map(\.value))

    static func canonicalTownshipSuffix(_ suffix: [UInt32]) -> [UInt32] {
        switch string(suffix) {
        case "街道办事处", "街道办": return values(["街道"])[0]
        default: return suffix
        }
    }

    static func canonicalVillageSuffix(_ suffix: [UInt32]) -> [UInt32] {
        switch string(suffix) {
        case "村民委员会", "村委会": return cun
        case "居民委员会": return values(["居委会"])[0]
        default: return suffix
        }
    }
}
