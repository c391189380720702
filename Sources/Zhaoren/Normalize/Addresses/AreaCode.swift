/// A division or grid code: the 统计用区划代码 of a county (6 digits), township (9), village
/// (12), or a grid (15 = the village's 12 digits + a 3-digit grid number).
///
/// Twelve-digit codes padded with zeros name the level above (`640402101000` is a township,
/// `640402000000` a county), as the statistics bureau's tables write them.
///
/// ```swift
/// let code = try AreaCode.parse("640402101203007").get()
/// code.county     // "640402"
/// code.township   // "640402101"
/// code.village    // "640402101203"
/// code.grid       // "007"
/// code.level      // .village
/// AreaCode.parse("64040210120")   // .failure(.wrongLength)
/// ```
public struct AreaCode: Hashable, Sendable, CustomStringConvertible {
    /// The county's 6-digit code.
    public let county: String
    /// The township's 9-digit code, if the code names one.
    public let township: String?
    /// The village's 12-digit code, if the code names one.
    public let village: String?
    /// The 3-digit grid number of a 15-digit grid code.
    public let grid: String?

    /// The deepest level named (county, township or village; a grid code is a village's).
    public var level: AddressLevel { village != nil ? .village : (township != nil ? .township : .county) }

    /// The digits of the deepest level (and the grid), without padding.
    public var description: String { (village ?? township ?? county) + (grid ?? "") }

    /// Why a value is not a division code.
    public enum Issue: String, Hashable, Sendable, Error, CaseIterable {
        /// Blank.
        case blank
        /// Holds something other than digits (`6.40402E+14`, letters).
        case notDigits = "code_not_digits"
        /// Digits, but not 6, 9, 12 or 15 of them.
        case wrongLength = "code_wrong_length"
        /// The first six digits are in no edition of GB/T 2260.
        case unknownCounty = "code_unknown_county"
    }

    /// Parses a code (spaces around it ignored), checking its county against `regions`.
    public static func parse(_ text: String, regions: RegionTable = .shared) -> Result<AreaCode, Issue> {
        var digits: [UInt8] = []
        var sawOther = false
        for byte in text.utf8 {
            switch byte {
            case 0x30...0x39: digits.append(byte)
            case 0x20, 0x09: continue
            default: sawOther = true
            }
        }
        if digits.isEmpty && !sawOther { return .failure(.blank) }
        if sawOther { return .failure(.notDigits) }
        guard [6, 9, 12, 15].contains(digits.count) else { return .failure(.wrongLength) }
        let all = String(decoding: digits, as: UTF8.self)
        let county = String(all.prefix(6))
        guard regions.contains(county) else { return .failure(.unknownCounty) }
        func part(_ range: Range<Int>) -> String { String(decoding: digits[range], as: UTF8.self) }
        func zeros(_ range: Range<Int>) -> Bool { digits[range].allSatisfy { $0 == 0x30 } }
        let township: String? = digits.count >= 9 && !zeros(6..<9) ? part(0..<9) : nil
        let village: String? = digits.count >= 12 && township != nil && !zeros(9..<12) ? part(0..<12) : nil
        let grid: String? = digits.count == 15 && village != nil && !zeros(12..<15) ? part(12..<15) : nil
        return .success(AreaCode(county: county, township: township, village: village, grid: grid))
    }
}
