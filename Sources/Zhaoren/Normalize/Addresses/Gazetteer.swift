/// The townships and villages of a place, by county: what ``AddressParser`` uses to read
/// addresses that start below the county (`南关街道双井社区…`, `温家台村二组`) or shorten a
/// name (`寨科温家台村`).
///
/// The region table names every county of China, but no public table in this package names
/// every township and village, so a run learns them: from split area columns, from the full
/// addresses it reads, and from division codes paired with addresses
/// (`CoverageRun` does all three). Names keep their suffix (`寨科乡`, `温家台村`).
///
/// ```swift
/// var places = Gazetteer()
/// places.add(countyCode: "640402", township: "寨科乡", village: "温家台村")
/// places.add(countyCode: "640402", township: "南关街道", village: "双井社区")
/// let parser = AddressParser(gazetteer: places)
/// parser.parse("南关街道双井社区幸福里15号楼").county   // "原州区"
/// parser.parse("寨科温家台村二组").village              // "温家台村"
/// ```
public struct Gazetteer: Sendable, Hashable {
    /// A township: its county's code (empty when unknown) and name.
    public struct Township: Hashable, Sendable {
        /// The 6-digit county code, or empty.
        public var countyCode: String
        /// The name with its suffix, e.g. `寨科乡`.
        public var name: String

        /// Creates a township entry.
        public init(countyCode: String, name: String) {
            self.countyCode = countyCode
            self.name = name
        }
    }

    /// A village or community and the township it belongs to.
    public struct Village: Hashable, Sendable {
        /// Index into ``townships``.
        public var township: Int
        /// The name with its suffix, e.g. `温家台村`.
        public var name: String

        /// Creates a village entry.
        public init(township: Int, name: String) {
            self.township = township
            self.name = name
        }
    }

    /// The townships, in the order first added.
    public private(set) var townships: [Township] = []
    /// The villages, in the order first added.
    public private(set) var villages: [Village] = []
    private var townshipIndex: [Township: Int] = [:]
    private var villageIndex: [Village: Int] = [:]

    /// An empty gazetteer.
    public init() {}

    /// Adds a township (and a village in it, if given); returns the township's index.
    /// Empty names are ignored (returning `nil`); adding a known place again changes nothing.
    @discardableResult
    public mutating func add(countyCode: String, township: String, village: String? = nil) -> Int? {
        guard !township.isEmpty else { return nil }
        let key = Township(countyCode: countyCode, name: township)
        let t: Int
        if let known = townshipIndex[key] {
            t = known
        } else {
            t = townships.count
            townships.append(key)
            townshipIndex[key] = t
        }
        if let village, !village.isEmpty {
            let v = Village(township: t, name: village)
            if villageIndex[v] == nil {
                villageIndex[v] = villages.count
                villages.append(v)
            }
        }
        return t
    }

    /// Adds every township and village of `other`.
    public mutating func merge(_ other: Gazetteer) {
        for t in other.townships { add(countyCode: t.countyCode, township: t.name) }
        for v in other.villages {
            let t = other.townships[v.township]
            add(countyCode: t.countyCode, township: t.name, village: v.name)
        }
    }

    /// The index of a township, if known.
    public func township(countyCode: String, name: String) -> Int? {
        townshipIndex[Township(countyCode: countyCode, name: name)]
    }

    /// Whether the village is known in that township.
    public func contains(countyCode: String, township: String, village: String) -> Bool {
        guard let t = self.township(countyCode: countyCode, name: township) else { return false }
        return villageIndex[Village(township: t, name: village)] != nil
    }

    /// The number of townships and villages known.
    public var count: (townships: Int, villages: Int) { (townships.count, villages.count) }

    public static func == (a: Gazetteer, b: Gazetteer) -> Bool { a.townships == b.townships && a.villages == b.villages }
    public func hash(into hasher: inout Hasher) {
        hasher.combine(townships)
        hasher.combine(villages)
    }
}
