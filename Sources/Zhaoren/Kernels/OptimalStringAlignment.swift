/// Optimal string alignment distance (restricted Damerau-Levenshtein) on Unicode scalars:
/// Levenshtein plus transposition of two adjacent scalars, where no substring is edited twice.
///
/// ```swift
/// var s = KernelScratch()
/// OptimalStringAlignment.distance(scalars("CA"), scalars("ABC"), scratch: &s)   // 3
/// DamerauLevenshtein.distance(scalars("CA"), scalars("ABC"), scratch: &s)       // 2
/// ```
package enum OptimalStringAlignment {
    /// The OSA distance between `a` and `b`.
    /// - Complexity: O(m·n) time, O(n) scratch; no allocation once `scratch` has grown.
    public static func distance(_ a: UnsafeBufferPointer<UInt32>, _ b: UnsafeBufferPointer<UInt32>,
                                scratch: inout KernelScratch) -> Int {
        let m = a.count, n = b.count
        if m == 0 { return n }
        if n == 0 { return m }
        let w = n + 1
        scratch.ensureInts(3 * w)
        return scratch.ints.withUnsafeMutableBufferPointer { buffer -> Int in
            // Three rows of `w` cells (i-2, i-1, i). Indices stay inside them and distances
            // below m + n, so the loop runs on wrapping arithmetic without overflow checks.
            var older = buffer.baseAddress!, above = older + w, row = older + 2 &* w
            var j = 0
            while j <= n { above[j] = Int32(truncatingIfNeeded: j); j &+= 1 }
            var i = 1
            while i <= m {
                row[0] = Int32(truncatingIfNeeded: i)
                let ai = a[i &- 1], before = i > 1 ? a[i &- 2] : 0
                var left = row[0], diagonal = above[0]
                j = 1
                while j <= n {
                    let up = above[j], bj = b[j &- 1]
                    var d = Swift.min(up, left) &+ 1
                    d = Swift.min(d, diagonal &+ (ai == bj ? 0 : 1))
                    if i > 1 && j > 1 && ai == b[j &- 2] && before == bj { d = Swift.min(d, older[j &- 2] &+ 1) }
                    row[j] = d
                    left = d
                    diagonal = up
                    j &+= 1
                }
                (older, above, row) = (above, row, older)
                i &+= 1
            }
            return Int(above[n])
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

    /// Whether two short strings of digit values (bytes) are at most one edit apart (OSA ≤ 1):
    /// equal, one substitution, insertion or deletion, or two neighbours swapped.
    /// - Complexity: O(na + nb), no scratch.
    @inline(__always)
    package static func isWithinOne(_ a: UnsafePointer<UInt8>, _ na: Int, _ b: UnsafePointer<UInt8>, _ nb: Int) -> Bool {
        if na == nb {
            var i = 0
            while i < na && a[i] == b[i] { i += 1 }
            if i == na { return true }
            // substitution
            var k = i + 1
            while k < na && a[k] == b[k] { k += 1 }
            if k == na { return true }
            // adjacent transposition
            guard i + 1 < na, a[i] == b[i + 1], a[i + 1] == b[i] else { return false }
            k = i + 2
            while k < na && a[k] == b[k] { k += 1 }
            return k == na
        }
        let (s, ns, l, nl) = na < nb ? (a, na, b, nb) : (b, nb, a, na)
        if nl - ns != 1 { return false }
        var i = 0
        while i < ns && s[i] == l[i] { i += 1 }
        while i < ns && s[i] == l[i + 1] { i += 1 }
        return i == ns
    }
}
