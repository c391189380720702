/// Levenshtein edit distance on Unicode scalars: insertions, deletions and substitutions.
///
/// Strings of up to 64 scalars use the bit-parallel algorithm of Myers as reformulated by
/// Hyyrö (2003); longer ones fall back to a two-row dynamic programme.
///
/// ```swift
/// var s = KernelScratch()
/// Levenshtein.distance(scalars("kitten"), scalars("sitting"), scratch: &s)   // 3
/// Levenshtein.distance(scalars("张伟"), scalars("章伟"), scratch: &s)          // 1 (scalars, not bytes)
/// ```
package enum Levenshtein {
    /// The edit distance between `a` and `b`.
    /// - Complexity: O(n) words for `min(m, n) ≤ 64` (plus O(m) table set-up), else O(m·n);
    ///   no allocation once `scratch` has grown.
    public static func distance(_ a: UnsafeBufferPointer<UInt32>, _ b: UnsafeBufferPointer<UInt32>,
                                scratch: inout KernelScratch) -> Int {
        // The pattern (bit vector side) is the shorter string.
        let (p, t) = a.count <= b.count ? (a, b) : (b, a)
        if p.isEmpty { return t.count }
        if p.count <= 64 { return bitParallel(p, t, scratch: &scratch) }
        return dynamicProgramme(p, t, scratch: &scratch)
    }

    /// ``distance(_:_:scratch:)`` on arrays.
    public static func distance(_ a: [UInt32], _ b: [UInt32], scratch: inout KernelScratch) -> Int {
        a.withUnsafeBufferPointer { pa in b.withUnsafeBufferPointer { pb in distance(pa, pb, scratch: &scratch) } }
    }

    /// Whether the Levenshtein distance is at most 1, without computing it.
    /// - Complexity: O(m + n), no scratch.
    public static func isWithinOne(_ a: UnsafeBufferPointer<UInt32>, _ b: UnsafeBufferPointer<UInt32>) -> Bool {
        let (s, l) = a.count <= b.count ? (a, b) : (b, a)
        if l.count - s.count > 1 { return false }
        var i = 0
        while i < s.count && s[i] == l[i] { i += 1 }
        if i == s.count { return true }
        if s.count == l.count {
            var k = i + 1
            while k < s.count && s[k] == l[k] { k += 1 }
            return k == s.count
        }
        var k = i
        while k < s.count && s[k] == l[k + 1] { k += 1 }
        return k == s.count
    }

    static func bitParallel(_ p: UnsafeBufferPointer<UInt32>, _ t: UnsafeBufferPointer<UInt32>,
                            scratch: inout KernelScratch) -> Int {
        let m = p.count
        return scratch.peqKeys.withUnsafeMutableBufferPointer { keys -> Int in
            scratch.peqMasks.withUnsafeMutableBufferPointer { masks -> Int in
                let mask = 127
                @inline(__always) func slot(_ c: UInt32) -> Int {
                    var h = Int(truncatingIfNeeded: (c &* 0x9E37_79B1) >> 7) & mask
                    while keys[h] != KernelScratch.emptyKey && keys[h] != c { h = (h + 1) & mask }
                    return h
                }
                for i in 0..<m {
                    let h = slot(p[i])
                    keys[h] = p[i]
                    masks[h] |= 1 << UInt64(i)
                }
                let last: UInt64 = 1 << UInt64(m - 1)
                var pv: UInt64 = m == 64 ? .max : (1 << UInt64(m)) - 1
                var mv: UInt64 = 0
                var score = m
                for c in t {
                    let h = slot(c)
                    let eq = keys[h] == c ? masks[h] : 0
                    let xv = eq | mv
                    let xh = (((eq & pv) &+ pv) ^ pv) | eq
                    var ph = mv | ~(xh | pv)
                    var mh = pv & xh
                    if ph & last != 0 { score += 1 } else if mh & last != 0 { score -= 1 }
                    ph = (ph << 1) | 1
                    mh = mh << 1
                    pv = mh | ~(xv | ph)
                    mv = ph & xv
                }
                // Clear only the slots used, so the table is empty for the next call.
                for i in 0..<m {
                    let h = slot(p[i])
                    keys[h] = KernelScratch.emptyKey
                    masks[h] = 0
                }
                return score
            }
        }
    }

    static func dynamicProgramme(_ a: UnsafeBufferPointer<UInt32>, _ b: UnsafeBufferPointer<UInt32>,
                                 scratch: inout KernelScratch) -> Int {
        let n = b.count
        if a.isEmpty { return n }
        if n == 0 { return a.count }
        scratch.ensureInts(2 * (n + 1))
        return scratch.ints.withUnsafeMutableBufferPointer { rows -> Int in
            var prev = 0, cur = n + 1
            for j in 0...n { rows[j] = Int32(j) }
            for i in 1...a.count {
                rows[cur] = Int32(i)
                for j in 1...n {
                    let cost: Int32 = a[i - 1] == b[j - 1] ? 0 : 1
                    rows[cur + j] = min(rows[prev + j] + 1, rows[cur + j - 1] + 1, rows[prev + j - 1] + cost)
                }
                swap(&prev, &cur)
            }
            return Int(rows[prev + n])
        }
    }
}
