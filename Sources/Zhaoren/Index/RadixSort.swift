/// Sorting of large `[UInt64]` arrays: one parallel scatter on the top 16 bits, then a
/// comparison sort of each of the 65,536 buckets (cache-sized when the top bits are hashed),
/// also in parallel. The result is the ordinary ascending order, whatever the thread count.
///
/// ```swift
/// var keys: [UInt64] = [3, 1, 2]
/// RadixSort.sort(&keys)   // [1, 2, 3]
/// ```
public enum RadixSort {
    /// Sorts `values` ascending.
    /// - Complexity: O(n) for the scatter plus O(n log(n / 65,536)) for the buckets; a
    ///   temporary copy of `values`.
    public static func sort(_ values: inout [UInt64]) {
        let n = values.count
        if n < 1 << 16 { values.sort(); return }
        let buckets = 1 << 16
        let ranges = Parallel.chunks(count: n, minimumChunk: 1 << 16, maximumChunks: 16)
        // Per-chunk histograms.
        let input = values
        let histograms: [[Int]] = Parallel.map(ranges.count) { c in
            var h = [Int](repeating: 0, count: buckets)
            input.withUnsafeBufferPointer { p in
                for k in ranges[c] { h[Int(p[k] >> 48)] += 1 }
            }
            return h
        }
        // Offsets: bucket-major, chunk-minor, so the scatter is stable and deterministic.
        var offsets = [[Int]](repeating: [Int](repeating: 0, count: buckets), count: ranges.count)
        var bucketStart = [Int](repeating: 0, count: buckets + 1)
        var total = 0
        for b in 0..<buckets {
            bucketStart[b] = total
            for c in 0..<ranges.count {
                offsets[c][b] = total
                total += histograms[c][b]
            }
        }
        bucketStart[buckets] = total
        var output = [UInt64](repeating: 0, count: n)
        output.withUnsafeMutableBufferPointer { outBuffer in
            // Each chunk writes to its own disjoint offset ranges (computed above).
            nonisolated(unsafe) let out = outBuffer.baseAddress!
            let offsetsCopy = offsets
            Parallel.run(ranges.count) { c in
                var o = offsetsCopy[c]
                input.withUnsafeBufferPointer { p in
                    for k in ranges[c] {
                        let v = p[k]
                        let b = Int(v >> 48)
                        out[o[b]] = v
                        o[b] += 1
                    }
                }
            }
            // Sort buckets in groups; each group touches only its own buckets' ranges.
            let groups = 64
            let starts = bucketStart
            Parallel.run(groups) { g in
                let lo = g * buckets / groups, hi = (g + 1) * buckets / groups
                for b in lo..<hi {
                    let s = starts[b], e = starts[b + 1]
                    if e - s > 1 {
                        var bucket = UnsafeMutableBufferPointer(start: out + s, count: e - s)
                        bucket.sort()
                    }
                }
            }
        }
        values = output
    }
}
