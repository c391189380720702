/// Optimal string alignment distance (restricted Damerau-Levenshtein) on Unicode scalars:
/// Levenshtein plus transposition of two adjacent scalars, where no substring is edited twice.
///
/// ```swift
/// var s = KernelScratch()
/// OptimalStringAlignment.distance(scalars("CA"), scalars("ABC"), scratch: &s)   // 3
/// DamerauLevenshtein.distance(scalars("CA"), scalars("ABC"), scratch: &s)       // 2
/// ```
public enum OptimalStringAlignment {
    /// The OSA distance between `a` and `b`.
    /// - Complexity: O(m·n) time, O(n) scratch; no allocation once `scratch` has grown.
    public static func distance(_ a: UnsafeBufferPointer<UInt32>, _ b: UnsafeBufferPointer<UInt32>,
                                scratch: inout KernelScratch) -> Int {
        let m = a.count, n = b.count
        if m == 0 { return n }
        if n == 0 { return m }
        let w = n + 1
        scratch.ensureInts(3 * w)
        return scratch.ints.withUnsafeMutableBufferPointer { rows -> Int in
            var r2 = 0, r1 = w, r0 = 2 * w   // rows i-2, i-1, i
            for j in 0...n { rows[r1 + j] = Int32(j) }
            for i in 1...m {
                rows[r0] = Int32(i)
                for j in 1...n {
                    let cost: Int32 = a[i - 1] == b[j - 1] ? 0 : 1
                    var d = min(rows[r1 + j] + 1, rows[r0 + j - 1] + 1, rows[r1 + j - 1] + cost)
                    if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                        d = min(d, rows[r2 + j - 2] + 1)
                    }
                    rows[r0 + j] = d
                }
                (r2, r1, r0) = (r1, r0, r2)
            }
            return Int(rows[r1 + n])
        }
    }

    /// ``distance(_:_:scratch:)`` on arrays.
    public static func distance(_ a: [UInt32], _ b: [UInt32], scratch: inout KernelScratch) -> Int {
        a.withUnsafeBufferPointer { pa in b.withUnsafeBufferPointer { pb in distance(pa, pb, scratch: &scratch) } }
    }

    /// Whether the OSA distance is at most 1 (equal, one insertion, deletion, substitution
    /// or adjacent transposition), without computing it.
    /// - Complexity: O(m + n), no scratch.
    public static func isWithinOne(_ a: UnsafeBufferPointer<UInt32>, _ b: UnsafeBufferPointer<UInt32>) -> Bool {
        if Levenshtein.isWithinOne(a, b) { return true }
        guard a.count == b.count else { return false }
        var i = 0
        while i < a.count && a[i] == b[i] { i += 1 }
        guard i + 1 < a.count, a[i] == b[i + 1], a[i + 1] == b[i] else { return false }
        var k = i + 2
        while k < a.count && a[k] == b[k] { k += 1 }
        return k == a.count
    }
}
