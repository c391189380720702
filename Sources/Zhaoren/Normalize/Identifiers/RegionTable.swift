import ZhaorenSupport

/// Historical GB/T 2260 administrative-division codes (7,600+ codes, 1980 to today), with the
/// years each name was in force; embedded in the binary from `Data/regions.tsv`.
///
/// A code stays valid in a resident ID for life, and codes are re-used (362324 was 丰城县 until
/// 1981, then 铅山县), so lookups can ask for the name in force in a given year.
///
/// ```swift
/// RegionTable.shared.lookup("362324")?.name            // "铅山县" (the latest name)
/// RegionTable.shared.lookup("362324", year: 1980)?.name // "丰城县"
/// RegionTable.shared.contains("111111")                 // false
/// ```
public final class RegionTable: Sendable {
    /// The year of the first GB 2260 edition; a first year of 1980 means "1980 or earlier".
    public static let firstEditionYear = 1980

    /// The table embedded from `Data/regions.tsv`, parsed on first use (a few milliseconds).
    public static let shared: RegionTable = {
        do { return try RegionTable(tsv: EmbeddedData.regions + "\n") } catch {
            fatalError("embedded region table is malformed: \(error)")  // a build defect, not user data
        }
    }()

    /// The county codes of 固原市 (Guyuan, Ningxia) in force today, used by the synthetic city:
    /// 640402 原州区, 640422 西吉县, 640423 隆德县, 640424 泾源县, 640425 彭阳县.
    public static let guyuanCountyCodes = ["640402", "640422", "640423", "640424", "640425"]

    /// The same counties' codes under 固原地区, in force until 2000, in the order of
    /// ``guyuanCountyCodes`` (固原县→原州区, 西吉县, 隆德县, 泾源县, 彭阳县): people registered
    /// before 2001 carry these for life.
    public static let guyuanCountyCodesBefore2001 = ["642221", "642223", "642224", "642225", "642226"]

    // One entry per row, sorted by code; rows of one code are adjacent, oldest first.
    private let codes: [Int32]
    private let names: [String]
    private let firstYears: [Int16]   // 0 = no year given
    private let lastYears: [Int16]    // 0 = still in force

    /// Parses a table in the `Data/regions.tsv` format (header `code name first_year last_year`).
    /// - Throws: ``ZhaorenError`` `.malformedInput` with the line number of a bad row.
    public init(tsv: String) throws(ZhaorenError) {
        var rows: [(Int32, String, Int16, Int16)] = []
        for (lineNumber, fields) in TSV.numberedRows(tsv, header: true) {
            guard fields.count == 4, fields[0].utf8.count == 6, let code = Int32(fields[0]),
                  !fields[1].isEmpty
            else { throw ZhaorenError(.malformedInput, "region table: bad row \"\(fields.joined(separator: "\t"))\"", line: lineNumber) }
            func year(_ s: Substring) throws(ZhaorenError) -> Int16 {
                if s.isEmpty { return 0 }
                guard let y = Int16(s), y >= 1900, y <= 2200 else {
                    throw ZhaorenError(.malformedInput, "region table: bad year \"\(s)\"", line: lineNumber)
                }
                return y
            }
            rows.append((code, String(fields[1]), try year(fields[2]), try year(fields[3])))
        }
        // Stable sort keeps each code's periods in file order.
        let order = rows.indices.sorted { (rows[$0].0, $0) < (rows[$1].0, $1) }
        codes = order.map { rows[$0].0 }
        names = order.map { rows[$0].1 }
        firstYears = order.map { rows[$0].2 }
        lastYears = order.map { rows[$0].3 }
    }

    /// The number of distinct codes.
    public var codeCount: Int {
        var count = 0
        for i in codes.indices where i == 0 || codes[i] != codes[i - 1] { count += 1 }
        return count
    }

    /// Every row (code and name period), in code order.
    public var allRegions: [Region] { codes.indices.map(region(at:)) }

    /// The latest name period of `code` (6 digits), or `nil` if the code is in no edition.
    /// - Complexity: O(log n).
    public func lookup(_ code: String) -> Region? {
        guard let value = Self.codeValue(code) else { return nil }
        let range = rows(of: value)
        return range.isEmpty ? nil : region(at: range.upperBound - 1)
    }

    /// The name period of `code` in force in `year`, or `nil` if none was.
    /// - Complexity: O(log n).
    public func lookup(_ code: String, year: Int) -> Region? {
        guard let value = Self.codeValue(code) else { return nil }
        for i in rows(of: value).reversed() where region(at: i).isInForce(in: year) { return region(at: i) }
        return nil
    }

    /// All name periods of `code`, oldest first (empty if unknown).
    public func history(_ code: String) -> [Region] {
        guard let value = Self.codeValue(code) else { return [] }
        return rows(of: value).map(region(at:))
    }

    /// Whether `code` appears in any edition.
    public func contains(_ code: String) -> Bool {
        guard let value = Self.codeValue(code) else { return false }
        return !rows(of: value).isEmpty
    }

    /// The status of a numeric code (e.g. `640402`) in `year`, without allocating: the path
    /// ``ResidentID`` uses per row.
    /// - Complexity: O(log n).
    public func status(code: Int, year: Int) -> Status {
        let range = rows(of: Int32(truncatingIfNeeded: code))
        if range.isEmpty { return .unknown }
        for i in range {
            let first = Int(firstYears[i]), last = Int(lastYears[i])
            if first > Self.firstEditionYear && year < first { continue }
            if last != 0 && year > last { continue }
            return .inForce
        }
        return .notInForce
    }

    /// Whether a code is in the table, and in force in a given year.
    public enum Status: Sendable, Hashable {
        /// In no edition of GB/T 2260 the table knows.
        case unknown
        /// In force in the year asked about.
        case inForce
        /// Known, but not in force in that year (created later or abolished earlier).
        case notInForce
    }

    /// The counties of 固原市 in force today, named from the table, in code order.
    public var guyuanCounties: [Region] { Self.guyuanCountyCodes.compactMap { lookup($0) } }

    private static func codeValue(_ code: String) -> Int32? {
        guard code.utf8.count == 6, code.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return nil }
        return Int32(code)
    }

    private func rows(of value: Int32) -> Range<Int> {
        var lo = 0, hi = codes.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if codes[mid] < value { lo = mid + 1 } else { hi = mid }
        }
        var end = lo
        while end < codes.count && codes[end] == value { end += 1 }
        return lo..<end
    }

    private func region(at i: Int) -> Region {
        let code = String(codes[i])
        return Region(code: code, name: names[i],
                      firstYear: firstYears[i] == 0 ? nil : Int(firstYears[i]),
                      lastYear: lastYears[i] == 0 ? nil : Int(lastYears[i]))
    }
}
