/// Unrestricted Damerau-Levenshtein distance (Lowrance–Wagner) on Unicode scalars: unlike
/// ``OptimalStringAlignment`` a transposed pair may be edited again (`CA` → `AC` → `ABC` is 2).
///
/// ```swift
/// var s = KernelScratch()
/// DamerauLevenshtein.distance(scalars("CA"), scalars("ABC"), scratch: &s)   // 2
/// ```
package enum DamerauLevenshtein {
    /// The Damerau-Levenshtein distance between `a` and `b`.
    /// - Complexity: O(m·n·σ) with σ the number of distinct scalars of `a` (a linear map;
    ///   names and identifiers are short); no allocation once `scratch` has grown.
    public static func distance(_ a: UnsafeBufferPointer<UInt32>, _ b: UnsafeBufferPointer<UInt32>,
                                scratch: inout KernelScratch) -> Int {
        let m = a.count, n = b.count
        if m == 0 { return n }
        if n == 0 { return m }
        let w = n + 2
        scratch.ensureInts((m + 2) * w)
        if scratch.lastRow.count < 2 * (m + n) { scratch.lastRow = Array(repeating: 0, count: 2 * (m + n)) }
        return scratch.ints.withUnsafeMutableBufferPointer { d -> Int in
            scratch.lastRow.withUnsafeMutableBufferPointer { da -> Int in
                var daCount = 0   // pairs (scalar, row) in da[2k], da[2k+1]
                func rowOf(_ c: UInt32) -> Int32 {
                    var k = 0
                    while k < daCount { if da[2 * k] == c { return Int32(da[2 * k + 1]) }; k += 1 }
                    return 0
                }
                func setRow(_ c: UInt32, _ r: Int) {
                    var k = 0
                    while k < daCount { if da[2 * k] == c { da[2 * k + 1] = UInt32(r); return }; k += 1 }
                    da[2 * daCount] = c
                    da[2 * daCount + 1] = UInt32(r)
                    daCount += 1
                }
                let maxDist = Int32(m + n)
                d[0] = maxDist
                for i in 0...m { d[(i + 1) * w] = maxDist; d[(i + 1) * w + 1] = Int32(i) }
                for j in 0...n { d[j + 1] = maxDist; d[w + j + 1] = Int32(j) }
                for i in 1...m {
                    var db: Int32 = 0
                    for j in 1...n {
                        let i1 = rowOf(b[j - 1])
                        let j1 = db
                        var cost: Int32 = 1
                        if a[i - 1] == b[j - 1] { cost = 0; db = Int32(j) }
                        let sub = d[i * w + j] + cost
                        let ins = d[(i + 1) * w + j] + 1
                        let del = d[i * w + j + 1] + 1
                        let trans = d[Int(i1) * w + Int(j1)] + Int32(i - Int(i1) - 1) + 1 + Int32(j - Int(j1) - 1)
                        d[(i + 1) * w + j + 1] = min(sub, ins, del, trans)
                    }
                    setRow(a[i - 1], i)
                }
                return Int(d[(m + 1) * w + n + 1])
            }
        }
    }

    /// ``distance(_:_:scratch:)`` on arrays.
    public static func distance(_ a: [UInt32], _ b: [UInt32], scratch: inout KernelScratch) -> Int {
        a.withUnsafeBufferPointer { pa in b.withUnsafeBufferPointer { pb in distance(pa, pb, scratch: &scratch) } }
    }
}
