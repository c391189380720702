/// Identifier strings packed into one `UInt64` for flat columns: resident ID numbers in
/// base 11 (`X` = 10) and phone numbers as decimal digits behind a leading sentinel 1, so
/// leading zeros survive. `0` always means "missing".
///
/// Packing keeps every character, so an ID with a typo (and so a failed check digit) is kept
/// for matching.
///
/// ```swift
/// let id = PackedDigits.packID("11010519491231002X")!
/// PackedDigits.unpackID(id)       // "11010519491231002X"
/// let phone = PackedDigits.packPhone("01012345678")!
/// PackedDigits.unpackPhone(phone) // "01012345678"
/// ```
package enum PackedDigits {
    static let idFlag: UInt64 = 1 << 63

    /// Packs an 18-character ID (`0-9`, final `X`/`x` allowed anywhere as digit value 10),
    /// or `nil` if it is not 18 such characters.
    public static func packID(_ text: some StringProtocol) -> UInt64? {
        var v: UInt64 = 0
        var n = 0
        for u in text.utf8 {
            let d: UInt64
            switch u {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): d = UInt64(u - UInt8(ascii: "0"))
            case UInt8(ascii: "X"), UInt8(ascii: "x"): d = 10
            default: return nil
            }
            v = v * 11 + d
            n += 1
            if n > 18 { return nil }
        }
        return n == 18 ? v | idFlag : nil
    }

    /// The ID text of a packed ID.
    public static func unpackID(_ packed: UInt64) -> String {
        var out = [UInt8](repeating: 0, count: 18)
        _ = out.withUnsafeMutableBufferPointer { digits(packed, isID: true, into: $0.baseAddress!) }
        return String(decoding: out.map { $0 == 10 ? UInt8(ascii: "X") : $0 + UInt8(ascii: "0") }, as: UTF8.self)
    }

    /// Whether a packed ID passes its GB 11643 check digit.
    ///
    /// ```swift
    /// PackedDigits.idPassesCheck(PackedDigits.packID("11010519491231002X")!)   // true
    /// ```
    package static func idPassesCheck(_ packed: UInt64) -> Bool { BlockingKeys.passesCheck(packed) }

    /// For an ID failing its check digit, the packed numbers one substitution or adjacent
    /// transposition away that pass it; for a passing ID, the ID itself.
    package static func idCorrections(_ packed: UInt64) -> [UInt64] {
        var out: [UInt64] = []
        BlockingKeys.corrections(packed, tag: 0, into: &out)
        return out
    }

    /// Packs a phone number's digits (1–18 of them) with a leading sentinel, or `nil`.
    public static func packPhone(_ digits: some StringProtocol) -> UInt64? {
        var v: UInt64 = 1
        var n = 0
        for u in digits.utf8 {
            guard u >= UInt8(ascii: "0"), u <= UInt8(ascii: "9") else { return nil }
            v = v * 10 + UInt64(u - UInt8(ascii: "0"))
            n += 1
            if n > 18 { return nil }
        }
        return n == 0 ? nil : v
    }

    /// The digits of a packed phone number.
    public static func unpackPhone(_ packed: UInt64) -> String {
        String(String(packed).dropFirst())
    }

    /// The digits (most significant first) of a packed ID or phone into a small buffer;
    /// returns how many. IDs give 18 values 0–10, phones their digits.
    @inlinable
    static func digits(_ packed: UInt64, isID: Bool, into out: UnsafeMutablePointer<UInt8>) -> Int {
        // Wrapping arithmetic: every value is a digit below 11, every index below 20.
        if isID {
            var v = packed & ~(1 << 63)
            var k = 17
            while k >= 0 {
                let q = v / 11
                out[k] = UInt8(truncatingIfNeeded: v &- q &* 11)
                v = q
                k &-= 1
            }
            return 18
        }
        var tmp: (UInt64, UInt64, UInt64) = (0, 0, 0)
        return withUnsafeMutableBytes(of: &tmp) { raw in
            var v = packed
            var n = 0
            while v >= 10 {
                let q = v / 10
                raw[n] = UInt8(truncatingIfNeeded: v &- q &* 10)
                v = q
                n &+= 1
            }
            for k in 0..<n { out[k] = raw[n &- 1 &- k] }
            return n
        }
    }
}
