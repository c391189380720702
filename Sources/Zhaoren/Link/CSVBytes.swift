/// Fast formatting of the engine's CSV outputs into byte buffers (millions of rows:
/// `String(format:)` would dominate the run).
enum CSVBytes {
    /// Appends a field, quoted when it holds a comma, quote or line break.
    static func field(_ text: String, into out: inout [UInt8]) {
        let bytes = Array(text.utf8)
        if bytes.contains(where: { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }) {
            out.append(0x22)
            for b in bytes { if b == 0x22 { out.append(0x22) }; out.append(b) }
            out.append(0x22)
        } else {
            out.append(contentsOf: bytes)
        }
    }

    /// Appends a non-negative or negative integer.
    @inline(__always)
    static func int(_ v: Int, into out: inout [UInt8]) {
        if v < 0 { out.append(0x2D); int(-v, into: &out); return }
        if v < 10 { out.append(UInt8(48 + v)); return }
        var tmp: (UInt64, UInt64, UInt64) = (0, 0, 0)
        withUnsafeMutableBytes(of: &tmp) { raw in
            var n = 0, x = v
            while x > 0 { raw[n] = UInt8(48 + x % 10); x /= 10; n += 1 }
            for k in stride(from: n - 1, through: 0, by: -1) { out.append(raw[k]) }
        }
    }

    /// Appends `v` with exactly `decimals` digits after the point (rounded half away from zero).
    @inline(__always)
    static func fixed(_ v: Double, decimals: Int, into out: inout [UInt8]) {
        guard v.isFinite else { out.append(contentsOf: v > 0 ? Array("inf".utf8) : v < 0 ? Array("-inf".utf8) : Array("nan".utf8)); return }
        var scale = 1
        for _ in 0..<decimals { scale *= 10 }
        let scaled = Int((abs(v) * Double(scale)).rounded())
        if v < 0 && scaled != 0 { out.append(0x2D) }
        int(scaled / scale, into: &out)
        if decimals > 0 {
            out.append(0x2E)
            var frac = scaled % scale
            var digits = [UInt8](repeating: 48, count: decimals)
            for k in stride(from: decimals - 1, through: 0, by: -1) { digits[k] = UInt8(48 + frac % 10); frac /= 10 }
            out.append(contentsOf: digits)
        }
    }
}
