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

    static let checkWeights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]

    /// Whether the packed ID is 18 characters that pass the GB 11643 check digit (as
    /// ``idCorrections(_:tag:into:)`` decides it).
    ///
    /// ```swift
    /// PackedDigits.idPassesCheck(PackedDigits.packID("11010519491231002X")!)   // true
    /// ```
    package static func idPassesCheck(_ packed: UInt64) -> Bool {
        var buf: (UInt64, UInt64, UInt64) = (0, 0, 0)
        return withUnsafeMutableBytes(of: &buf) { raw -> Bool in
            let d = raw.baseAddress!.assumingMemoryBound(to: UInt8.self)
            guard digits(packed, isID: true, into: d) == 18 else { return false }
            let w = Self.checkWeights
            var sum = 0
            for k in 0..<17 {
                if d[k] > 9 { return false }
                sum += Int(d[k]) * w[k]
            }
            return (12 - ((sum % 11) + 11) % 11) % 11 == Int(d[17])
        }
    }

    /// The packed ID itself when it passes the check digit, else the packed numbers one
    /// substitution or adjacent transposition away that pass it; appended (xor `tag`) to `out`.
    package static func idCorrections(_ packed: UInt64, tag: UInt64, into out: inout [UInt64]) {
        var buf: (UInt64, UInt64, UInt64) = (0, 0, 0)
        withUnsafeMutableBytes(of: &buf) { raw in
            let d = raw.baseAddress!.assumingMemoryBound(to: UInt8.self)
            _ = digits(packed, isID: true, into: d)
            let w = Self.checkWeights
            var sum = 0
            for k in 0..<17 {
                if d[k] > 9 { return }   // X before the last position: not an ID
                sum += Int(d[k]) * w[k]
            }
            func check(_ s: Int) -> Int { (12 - ((s % 11) + 11) % 11) % 11 }
            func pack() -> UInt64 {
                var v: UInt64 = 0
                for k in 0..<18 { v = v &* 11 &+ UInt64(d[k]) }
                return (v | 1 << 63) ^ tag
            }
            let last = Int(d[17])
            if check(sum) == last { out.append(pack()); return }
            // The check character itself mistyped.
            let original = d[17]
            d[17] = UInt8(check(sum)); out.append(pack()); d[17] = original
            // One digit of the body mistyped.
            for p in 0..<17 {
                let old = Int(d[p])
                for e in 0...9 where e != old && check(sum + w[p] * (e - old)) == last {
                    d[p] = UInt8(e); out.append(pack()); d[p] = UInt8(old)
                }
            }
            // Two neighbours swapped.
            for p in 0..<16 where d[p] != d[p + 1] {
                let x = Int(d[p]), y = Int(d[p + 1])
                if check(sum + (w[p] - w[p + 1]) * (y - x)) == last {
                    d[p] = UInt8(y); d[p + 1] = UInt8(x); out.append(pack()); d[p] = UInt8(x); d[p + 1] = UInt8(y)
                }
            }
            if last <= 9 && Int(d[16]) != last {
                // swap positions 16 and 17: the body's last digit becomes the check and vice versa
                let s2 = sum + w[16] * (last - Int(d[16]))
                if check(s2) == Int(d[16]) {
                    let a = d[16]; d[16] = d[17]; d[17] = a
                    out.append(pack())
                    d[17] = d[16]; d[16] = a
                }
            }
        }
    }

    /// Whether two different packed IDs, neither with an `X` before its check character, are
    /// one substitution (any position, the check character too) or one swap of neighbouring
    /// characters apart: when one of them passes the check digit, whether it is among the
    /// other's ``idCorrections(_:tag:into:)``.
    ///
    /// ```swift
    /// let a = PackedDigits.packID("11010519491231002X")!
    /// PackedDigits.idsOneSubstitutionOrSwapApart(a, PackedDigits.packID("11010519491231003X")!)   // true
    /// PackedDigits.idsOneSubstitutionOrSwapApart(a, PackedDigits.packID("11010519491231020X")!)   // true
    /// PackedDigits.idsOneSubstitutionOrSwapApart(a, PackedDigits.packID("11010519491231013X")!)   // false
    /// ```
    package static func idsOneSubstitutionOrSwapApart(_ x: UInt64, _ y: UInt64) -> Bool {
        var u = x & ~idFlag, v = y & ~idFlag
        // Positions from the right (0 = the check character) where the two differ.
        var first = -1, second = -1, dx = (0 as UInt64, 0 as UInt64), dy = (0 as UInt64, 0 as UInt64)
        for k in 0..<18 {
            let qu = u / 11, qv = v / 11
            let a = u &- qu &* 11, b = v &- qv &* 11
            // An X before the check character: not an ID, and so no corrections.
            if k > 0 && (a == 10 || b == 10) { return false }
            if a != b {
                if first < 0 { first = k; dx.0 = a; dy.0 = b }
                else if second < 0 { second = k; dx.1 = a; dy.1 = b }
                else { return false }
            }
            u = qu
            v = qv
        }
        if first < 0 { return false }
        if second < 0 { return true }
        return second == first + 1 && dx.0 == dy.1 && dx.1 == dy.0
    }

    /// ``idCorrections(_:tag:into:)`` as an array, without a tag.
    package static func idCorrections(_ packed: UInt64) -> [UInt64] {
        var out: [UInt64] = []
        idCorrections(packed, tag: 0, into: &out)
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
