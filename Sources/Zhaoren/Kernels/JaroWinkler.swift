/// Jaro and Jaro-Winkler similarity on Unicode scalars.
///
/// ```swift
/// var s = KernelScratch()
/// JaroWinkler.similarity(scalars("MARTHA"), scalars("MARHTA"), scratch: &s)   // 0.9611…
/// JaroWinkler.jaro(scalars("DIXON"), scalars("DICKSONX"), scratch: &s)        // 0.7667…
/// ```
package enum JaroWinkler {
    /// The Jaro similarity in 0…1 (1 for two empty strings).
    /// - Complexity: O(m·n) in the worst case, O(m·w) with w the match window; no allocation
    ///   once `scratch` has grown.
    public static func jaro(_ a: UnsafeBufferPointer<UInt32>, _ b: UnsafeBufferPointer<UInt32>,
                            scratch: inout KernelScratch) -> Double {
        let m = a.count, n = b.count
        if m == 0 && n == 0 { return 1 }
        if m == 0 || n == 0 { return 0 }
        let window = max(0, max(m, n) / 2 - 1)
        scratch.ensureFlags(m + n)
        return scratch.flags.withUnsafeMutableBufferPointer { flags -> Double in
            // Indices stay below m + n: wrapping arithmetic, no overflow checks in the loops.
            var k = 0
            while k < m &+ n { flags[k] = 0; k &+= 1 }
            var matches = 0
            var i = 0
            while i < m {
                let lo = Swift.max(0, i &- window), hi = Swift.min(n &- 1, i &+ window)
                let c = a[i]
                var j = lo
                while j <= hi {
                    if flags[m &+ j] == 0 && b[j] == c {
                        flags[i] = 1
                        flags[m &+ j] = 1
                        matches &+= 1
                        break
                    }
                    j &+= 1
                }
                i &+= 1
            }
            if matches == 0 { return 0 }
            var transpositions = 0
            var j = 0
            i = 0
            while i < m {
                if flags[i] != 0 {
                    while flags[m &+ j] == 0 { j &+= 1 }
                    if a[i] != b[j] { transpositions &+= 1 }
                    j &+= 1
                }
                i &+= 1
            }
            let mm = Double(matches)
            return (mm / Double(m) + mm / Double(n) + (mm - Double(transpositions / 2)) / mm) / 3
        }
    }

    /// The Jaro-Winkler similarity: Jaro boosted by a common prefix of up to 4 scalars
    /// (scaling factor `prefixScale`, 0.1 by default).
    /// - Complexity: as ``jaro(_:_:scratch:)``.
    public static func similarity(_ a: UnsafeBufferPointer<UInt32>, _ b: UnsafeBufferPointer<UInt32>,
                                  prefixScale: Double = 0.1, scratch: inout KernelScratch) -> Double {
        let j = jaro(a, b, scratch: &scratch)
        var prefix = 0
        let limit = min(4, min(a.count, b.count))
        while prefix < limit && a[prefix] == b[prefix] { prefix += 1 }
        return j + Double(prefix) * prefixScale * (1 - j)
    }

    /// ``jaro(_:_:scratch:)`` on arrays.
    public static func jaro(_ a: [UInt32], _ b: [UInt32], scratch: inout KernelScratch) -> Double {
        a.withUnsafeBufferPointer { pa in b.withUnsafeBufferPointer { pb in jaro(pa, pb, scratch: &scratch) } }
    }

    /// ``similarity(_:_:prefixScale:scratch:)`` on arrays.
    public static func similarity(_ a: [UInt32], _ b: [UInt32], prefixScale: Double = 0.1,
                                  scratch: inout KernelScratch) -> Double {
        a.withUnsafeBufferPointer { pa in
            b.withUnsafeBufferPointer { pb in similarity(pa, pb, prefixScale: prefixScale, scratch: &scratch) }
        }
    }
}
