import ZhaorenICU
/// The two-byte half of GB18030 as a lookup table, filled once by ICU's strict converter, so
/// that decoding a field is a table lookup per character instead of an ICU call per field.
///
/// GB18030 is stateless: a two-byte code (lead `0x81...0xFE`, trail `0x40...0xFE` except `0x7F`)
/// always maps to the same BMP character, so the table is exactly what ICU would return.
/// Four-byte codes (second byte `0x30...0x39`) and anything the table does not hold are left to
/// ICU itself (``decode(_:into:fallback:)`` returns `false` and the caller asks ICU).
///
/// ```swift
/// var out: [UInt8] = []
/// GB18030Table.shared.decode([0xD5, 0xC5, 0x41], into: &out)   // "张A" as UTF-8
/// ```
package struct GB18030Table: Sendable {
    /// The table, built on first use (about 200 ICU calls).
    public static let shared = GB18030Table()

    private static let trailCount = 0xFE - 0x40 + 1
    /// `scalars[(lead - 0x81) * trailCount + (trail - 0x40)]`; 0 where ICU does not decode the pair.
    private let scalars: [UInt32]

    private init() {
        var table = [UInt32](repeating: 0, count: 126 * Self.trailCount)
        guard let icu = try? CharsetConverter("GB18030") else {
            scalars = table
            return
        }
        for lead in 0x81...0xFE {
            let row = (lead - 0x81) * Self.trailCount
            var bytes: [UInt8] = []
            for trail in 0x40...0xFE where trail != 0x7F { bytes += [UInt8(lead), UInt8(trail)] }
            // Decode the whole row at once; fall back to pair by pair if ICU balks.
            if let text = icu.decode(bytes), text.unicodeScalars.count == Self.trailCount - 1 {
                var scalars = text.unicodeScalars.makeIterator()
                for trail in 0x40...0xFE where trail != 0x7F { table[row + trail - 0x40] = scalars.next()!.value }
            } else {
                for trail in 0x40...0xFE where trail != 0x7F {
                    if let text = icu.decode([UInt8(lead), UInt8(trail)]), text.unicodeScalars.count == 1 {
                        table[row + trail - 0x40] = text.unicodeScalars.first!.value
                    }
                }
            }
        }
        scalars = table
    }

    /// Writes the UTF-8 form of `bytes` to `out` from offset `count` (which needs room for
    /// `bytes.count * 3 / 2 + 4` bytes) and advances `count`. Returns `false`, leaving `count`
    /// as it was, if `bytes` hold a four-byte code, a pair the table lacks, or are malformed:
    /// the caller then asks ICU for a definite answer.
    ///
    /// - Complexity: O(n), one table lookup per two-byte character.
    @inline(__always)
    public func decode(_ bytes: UnsafeBufferPointer<UInt8>, into out: UnsafeMutablePointer<UInt8>, count: inout Int) -> Bool {
        let n = bytes.count
        var i = 0
        var o = count
        return scalars.withUnsafeBufferPointer { table in
            while i < n {
                let b = bytes[i]
                if b < 0x80 {
                    out[o] = b
                    o &+= 1
                    i &+= 1
                    continue
                }
                guard b != 0x80, b != 0xFF, i + 1 < n else { return false }
                let t = bytes[i + 1]
                guard t >= 0x40, t <= 0xFE, t != 0x7F else { return false }
                let v = table[(Int(b) - 0x81) &* Self.trailCount &+ Int(t) &- 0x40]
                if v == 0 || v > 0xFFFF { return false }
                if v < 0x800 {
                    out[o] = UInt8(0xC0 | (v >> 6))
                    out[o + 1] = UInt8(0x80 | (v & 0x3F))
                    o &+= 2
                } else {
                    out[o] = UInt8(0xE0 | (v >> 12))
                    out[o + 1] = UInt8(0x80 | ((v >> 6) & 0x3F))
                    out[o + 2] = UInt8(0x80 | (v & 0x3F))
                    o &+= 3
                }
                i &+= 2
            }
            count = o
            return true
        }
    }

    /// Appends the UTF-8 form of `bytes` to `out`, or returns `false` (leaving `out` as it was)
    /// where ICU must decide; see ``decode(_:into:count:)``.
    public func decode(_ bytes: [UInt8], into out: inout [UInt8]) -> Bool {
        let start = out.count
        out += [UInt8](repeating: 0, count: bytes.count * 3 / 2 + 4)
        var count = start
        let ok = bytes.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { decode(src, into: $0.baseAddress!, count: &count) }
        }
        out.removeSubrange((ok ? count : start)...)
        return ok
    }
}
