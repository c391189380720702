import ZhaorenSupport

/// The names of every province, prefecture and county of the region table (current and
/// former), with short forms (`宁夏`, `固原`, `原州`), indexed for prefix lookup.
///
/// Built once from ``RegionTable/shared`` and the embedded short-name table.
struct RegionNames: Sendable {
    struct Entry: Sendable {
        /// The 6-digit code.
        var code: Int32
        var level: AddressLevel
        /// In force today.
        var current: Bool
        /// A short form (`原州` for 原州区), accepted only in context.
        var short: Bool
        /// The full name of this period (`原州区` for the short form `原州`).
        var name: String
    }

    var entries: [Entry] = []
    var trie = ScalarTrie()
    /// Code → current name (latest name period).
    private(set) var currentName: [Int32: String] = [:]
    /// Codes in force today.
    private(set) var inForce: Set<Int32> = []

    static let shared = RegionNames(table: .shared)

    init(table: RegionTable) {
        var byName: [String: [Int32]] = [:]
        var seen = Set<String>()
        for region in table.allRegions {
            guard let code = Int32(region.code) else { continue }
            if region.lastYear == nil { inForce.insert(code); currentName[code] = region.name }
            else if currentName[code] == nil || !inForce.contains(code) { currentName[code] = region.name }
            guard Self.isUsable(region.name) else { continue }
            let level: AddressLevel = code % 10000 == 0 ? .province : (code % 100 == 0 ? .prefecture : .county)
            let key = "\(code)|\(region.name)"
            guard seen.insert(key).inserted else { continue }
            byName[region.name, default: []].append(code)
            add(region.name, Entry(code: code, level: level, current: region.lastYear == nil, short: false, name: region.name))
            if level == .county, let stem = Self.countyStem(region.name) {
                add(stem, Entry(code: code, level: level, current: region.lastYear == nil, short: true, name: region.name))
            }
        }
        // Short forms of provinces and prefectures (宁夏, 固原) from the embedded name table.
        for r in NameTables.regions() where r.short.count >= 2 && r.short != r.full && r.level != "county" {
            for code in byName[r.full] ?? [] {
                let level: AddressLevel = code % 10000 == 0 ? .province : (code % 100 == 0 ? .prefecture : .county)
                add(r.short, Entry(code: code, level: level, current: inForce.contains(code), short: true, name: r.full))
            }
        }
    }

    private mutating func add(_ name: String, _ entry: Entry) {
        entries.append(entry)
        trie.insert(name.unicodeScalars.map(\.value), value: Int32(entries.count - 1))
    }

    /// Names too generic to place anything (市辖区, 县, 城区, 郊区 …).
    static func isUsable(_ name: String) -> Bool {
        let count = name.unicodeScalars.count
        if count < 2 || name.contains("辖") || name.contains("直属") { return false }
        return !["市区", "城区", "郊区", "矿区", "县", "新区"].contains(name)
    }

    /// `原州区` → `原州`, `西吉县` → `西吉`: a county's name without 县/区/市/旗, when at least
    /// two characters remain and the name is not an autonomous county's.
    static func countyStem(_ name: String) -> String? {
        guard !name.contains("自治"), let last = name.last, "县区市旗".contains(last) else { return nil }
        let stem = String(name.dropLast())
        return stem.count >= 2 ? stem : nil
    }

    /// The name a county code carries today (or its last name, for a code no longer in force).
    func name(of code: Int32) -> String { currentName[code] ?? "" }
}
