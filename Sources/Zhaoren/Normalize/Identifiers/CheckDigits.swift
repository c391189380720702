/// The check-character arithmetic of the Chinese identifier standards, on ASCII bytes.
///
/// These are the primitives; ``ResidentID`` and ``CreditCode`` build the full validation
/// (structure, dates, regions, issues) on top of them.
///
/// ```swift
/// CheckDigits.residentID(Array("11010519491231002".utf8))   // UInt8(ascii: "X")
/// CheckDigits.creditCode(Array("91350100M000100Y4".utf8))   // UInt8(ascii: "3")
/// CheckDigits.organizationCode(Array("M000100Y".utf8))      // UInt8(ascii: "4")
/// ```
package enum CheckDigits {
    /// GB 11643 weights Wᵢ = 2^(i−1) mod 11 for positions 1–17, left to right.
    public static let residentIDWeights: [Int] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    @usableFromInline static let residentIDChecks: [UInt8] = Array("10X98765432".utf8)

    /// The ISO 7064 MOD 11-2 check character (`0`–`9` or `X`) of a 17-digit body,
    /// or `nil` when the body is not 17 ASCII digits.
    /// - Complexity: O(17), no allocation.
    @inlinable
    public static func residentID<C: Collection<UInt8>>(_ body: C) -> UInt8? {
        guard body.count == 17 else { return nil }
        var sum = 0
        var i = 0
        for byte in body {
            let digit = Int(byte) &- 48
            guard digit >= 0 && digit <= 9 else { return nil }
            sum &+= digit &* residentIDWeights[i]
            i += 1
        }
        return residentIDChecks[sum % 11]
    }

    /// The GB 32100 alphabet: digits and capitals without I, O, Z, S, V (values 0–30).
    public static let creditCodeAlphabet: [UInt8] = Array("0123456789ABCDEFGHJKLMNPQRTUWXY".utf8)
    /// GB 32100 weights Wᵢ = 3^(i−1) mod 31 for positions 1–17.
    public static let creditCodeWeights: [Int] = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]

    /// The value (0–30) of a character in the GB 32100 alphabet, or `nil` if it is not in it.
    @inlinable
    public static func creditCodeValue(_ byte: UInt8) -> Int? {
        switch byte {
        case 48...57: return Int(byte) - 48
        case 65...72: return Int(byte) - 65 + 10                     // A–H
        case 74...78: return Int(byte) - 74 + 18                     // J–N
        case 80, 81, 82: return Int(byte) - 80 + 23                  // P Q R
        case 84, 85: return Int(byte) - 84 + 26                      // T U
        case 87, 88, 89: return Int(byte) - 87 + 28                  // W X Y
        default: return nil
        }
    }

    /// The GB 32100 MOD 31 check character of a 17-character body, or `nil` when a
    /// character is outside the alphabet or the length is wrong.
    @inlinable
    public static func creditCode<C: Collection<UInt8>>(_ body: C) -> UInt8? {
        guard body.count == 17 else { return nil }
        var sum = 0
        var i = 0
        for byte in body {
            guard let value = creditCodeValue(byte) else { return nil }
            sum += value * creditCodeWeights[i]
            i += 1
        }
        let check = (31 - sum % 31) % 31
        return creditCodeAlphabet[check]
    }

    /// GB 11714 weights for the 8 body characters of an organisation code.
    public static let organizationCodeWeights: [Int] = [3, 7, 9, 10, 5, 8, 4, 2]

    /// The GB 11714 MOD 11 check character (`0`–`9` or `X`) of an 8-character body.
    /// Letters count A=10 … Z=35 (not their GB 32100 index: a common trap).
    @inlinable
    public static func organizationCode<C: Collection<UInt8>>(_ body: C) -> UInt8? {
        guard body.count == 8 else { return nil }
        var sum = 0
        var i = 0
        for byte in body {
            let value: Int
            switch byte {
            case 48...57: value = Int(byte) - 48
            case 65...90: value = Int(byte) - 65 + 10
            default: return nil
            }
            sum += value * organizationCodeWeights[i]
            i += 1
        }
        let check = 11 - sum % 11
        switch check {
        case 10: return UInt8(ascii: "X")
        case 11: return UInt8(ascii: "0")
        default: return UInt8(48 + check)
        }
    }
}
