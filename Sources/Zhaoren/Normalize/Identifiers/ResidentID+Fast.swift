extension ResidentID {
    /// Whether 18 ASCII bytes are a valid resident ID: 17 digits, a real birth date from 1880 up
    /// to `asOf`, and a matching MOD 11-2 check (`X` or `x`). The region code is not looked up
    /// (an unknown region is only a warning). No allocation, no ``ResidentID`` value: the path
    /// for engines validating millions of already-clean values.
    ///
    /// ```swift
    /// let today = CivilDate.todayInChina()
    /// ResidentID.isValid(ascii: Array("11010519491231002X".utf8), asOf: today)   // true
    /// ```
    /// - Complexity: O(18).
    @inlinable
    public static func isValid(ascii bytes: some Collection<UInt8>, asOf: CivilDate) -> Bool {
        let today = asOf.year &* 10_000 &+ asOf.month &* 100 &+ asOf.day
        if let result = bytes.withContiguousStorageIfAvailable({ isValid(ascii: $0, todayKey: today) }) {
            return result
        }
        return Array(bytes).withUnsafeBufferPointer { isValid(ascii: $0, todayKey: today) }
    }

    /// ``isValid(ascii:asOf:)`` with today given as `year*10000 + month*100 + day` (e.g. 20261123),
    /// so a loop computes it once.
    /// - Complexity: O(18).
    @inlinable
    public static func isValid(ascii p: UnsafeBufferPointer<UInt8>, todayKey: Int) -> Bool {
        guard p.count == 18, let base = p.baseAddress else { return false }
        // Weights 2^(17-i) mod 11, unrolled: 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2.
        @inline(__always) func d(_ i: Int) -> UInt32 { UInt32(base[i] &- 48) }
        let d0 = d(0), d1 = d(1), d2 = d(2), d3 = d(3), d4 = d(4), d5 = d(5), d6 = d(6), d7 = d(7), d8 = d(8)
        let d9 = d(9), d10 = d(10), d11 = d(11), d12 = d(12), d13 = d(13), d14 = d(14), d15 = d(15), d16 = d(16)
        // A byte below '0' wraps (as UInt8) to 208 or more, so the maximum catches every non-digit.
        guard max(d0, d1, d2, d3, d4, d5, d6, d7, d8, d9, d10, d11, d12, d13, d14, d15, d16) <= 9 else { return false }
        var sum = d0 &* 7 &+ d1 &* 9 &+ d2 &* 10 &+ d3 &* 5 &+ d4 &* 8 &+ d5 &* 4 &+ d6 &* 2 &+ d7
        sum &+= d8 &* 6 &+ d9 &* 3 &+ d10 &* 7 &+ d11 &* 9 &+ d12 &* 10 &+ d13 &* 5 &+ d14 &* 8
        sum &+= d15 &* 4 &+ d16 &* 2
        let c = base[17]
        let check: Int
        if c &- 48 <= 9 { check = Int(c &- 48) } else if c | 0x20 == UInt8(ascii: "x") { check = 10 } else { return false }
        guard (12 &- Int(sum % 11)) % 11 == check else { return false }
        let year = Int(d6 &* 1000 &+ d7 &* 100 &+ d8 &* 10 &+ d9)
        let month = Int(d10 &* 10 &+ d11)
        let day = Int(d12 &* 10 &+ d13)
        guard year >= 1880, month >= 1, month <= 12, day >= 1 else { return false }
        // Days over 28 per month, 2 bits each at bit 2*month: 31 28 31 30 31 30 31 31 30 31 30 31.
        var length = 28 &+ (0x3bbeecc >> (month &* 2)) & 3
        if month == 2 && (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) { length = 29 }
        guard day <= length else { return false }
        return year &* 10_000 &+ month &* 100 &+ day <= todayKey
    }

    /// The number as an integer: the 17-digit body × 11 + the check value (`X` = 10). Fits in
    /// 61 bits; equal numbers give equal values, so it is a compact key for indexes.
    /// Checks the shape (17 digits, then a digit or `X`), not the check digit.
    ///
    /// ```swift
    /// ResidentID.packedValue(Array("11010519491231002X".utf8))   // 121_115_714_403_541_032
    /// ```
    /// - Complexity: O(18), no allocation.
    @inlinable
    public static func packedValue(_ normalized18: some Collection<UInt8>) -> UInt64? {
        guard normalized18.count == 18 else { return nil }
        var body: UInt64 = 0
        var i = 0
        var check: UInt64 = 0
        for b in normalized18 {
            if i < 17 {
                guard b &- 48 <= 9 else { return nil }
                body = body &* 10 &+ UInt64(b &- 48)
            } else if b &- 48 <= 9 {
                check = UInt64(b &- 48)
            } else if b == UInt8(ascii: "X") {
                check = 10
            } else {
                return nil
            }
            i += 1
        }
        return body &* 11 &+ check
    }

    /// The 18-character number for a ``packedValue(_:)``.
    ///
    /// ```swift
    /// ResidentID.normalized(packedValue: 121_115_714_403_541_032)   // "11010519491231002X"
    /// ```
    public static func normalized(packedValue: UInt64) -> String {
        var body = packedValue / 11
        let check = packedValue % 11
        var bytes = [UInt8](repeating: 48, count: 18)
        bytes[17] = check == 10 ? UInt8(ascii: "X") : UInt8(48 + check)
        for i in stride(from: 16, through: 0, by: -1) {
            bytes[i] = UInt8(48 + body % 10)
            body /= 10
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
