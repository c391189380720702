/// Strict UTF-8 validation on bytes: no overlong forms, no surrogates, nothing above U+10FFFF.
///
/// ```swift
/// Array("张三".utf8).withUnsafeBufferPointer { UTF8Validation.firstError(in: $0) }  // nil
/// ```
package enum UTF8Validation {
    /// Where validation failed.
    public struct Failure: Hashable, Sendable {
        /// Offset of the first byte of the bad sequence.
        public var offset: Int
        /// `true` if the bytes are valid so far but end in the middle of a sequence
        /// (as the end of a chunk may).
        public var truncated: Bool

        /// Creates a failure record.
        public init(offset: Int, truncated: Bool) {
            self.offset = offset
            self.truncated = truncated
        }
    }

    /// The first invalid sequence in `bytes`, or `nil` if they are valid UTF-8.
    ///
    /// - Complexity: O(n), with an 8-bytes-at-a-time ASCII fast path.
    public static func firstError(in bytes: UnsafeBufferPointer<UInt8>) -> Failure? {
        guard let base = bytes.baseAddress else { return nil }
        let n = bytes.count
        var i = 0
        // Offsets stay below n, so wrapping arithmetic never wraps.
        while i < n {
            // ASCII fast path, a word at a time.
            while i &+ 8 <= n {
                let word = UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)
                if word & 0x8080_8080_8080_8080 != 0 { break }
                i &+= 8
            }
            guard i < n else { return nil }
            let b0 = base[i]
            if b0 < 0x80 { i &+= 1; continue }
            // The common Chinese character (U+1000–U+CFFF): a lead byte E1–EC and two
            // continuation bytes, checked together. Anything else takes the general path.
            if b0 >= 0xE1 && b0 <= 0xEC && i &+ 2 < n && base[i &+ 1] & 0xC0 == 0x80 && base[i &+ 2] & 0xC0 == 0x80 {
                i &+= 3
                continue
            }
            let length: Int
            var low: UInt8 = 0x80, high: UInt8 = 0xBF
            switch b0 {
            case 0xC2...0xDF: length = 2
            case 0xE0: length = 3; low = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: length = 3
            case 0xED: length = 3; high = 0x9F
            case 0xF0: length = 4; low = 0x90
            case 0xF1...0xF3: length = 4
            case 0xF4: length = 4; high = 0x8F
            default: return Failure(offset: i, truncated: false)
            }
            var k = 1
            while k < length {
                guard i &+ k < n else { return Failure(offset: i, truncated: true) }
                let b = base[i &+ k]
                let (lo, hi) = k == 1 ? (low, high) : (UInt8(0x80), UInt8(0xBF))
                if b < lo || b > hi { return Failure(offset: i, truncated: false) }
                k &+= 1
            }
            i &+= length
        }
        return nil
    }

    /// Whether `bytes` are entirely valid UTF-8.
    public static func isValid(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        firstError(in: bytes) == nil
    }
}
