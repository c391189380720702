import Foundation

/// A person's sex as registers record it.
///
/// ```swift
/// Sex(parsing: "女")   // .female
/// Sex(parsing: "1")    // .male  (GB/T 2261.1: 1 male, 2 female)
/// Sex.female.code      // "F"
/// ```
public enum Sex: UInt8, Hashable, Sendable, CaseIterable {
    /// 男, M, 1 (odd in the 17th digit of an ID number).
    case male = 1
    /// 女, F, 2 (even in the 17th digit of an ID number).
    case female = 2

    /// Parses the spellings found in department exports: 男/女, 男性/女性, M/F, male/female,
    /// 1/2 (GB/T 2261.1), ignoring case and surrounding whitespace. `nil` for anything else.
    public init?(parsing text: some StringProtocol) {
        let t = text.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        switch t {
        case "男", "男性", "m", "male", "1", "先生": self = .male
        case "女", "女性", "f", "female", "2", "女士": self = .female
        default: return nil
        }
    }

    /// `M` or `F`, as Zhaoren writes it.
    public var code: String { self == .male ? "M" : "F" }

    /// 男 or 女.
    public var chinese: String { self == .male ? "男" : "女" }
}
