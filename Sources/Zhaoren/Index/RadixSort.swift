import ZhaorenSupport

/// Sorting of large `[UInt64]` arrays: a parallel scatter on the top 11 bits, then, bucket by
/// bucket in parallel, a scatter on the next 11 bits into a cache-sized buffer and an insertion
/// sort of each short run (the keys' top bits are hashed, so runs are short). The result is the ordinary ascending order, whatever the thread count.
///
/// ```swift
/// var keys: [UInt64] = [3, 1, 2]
/// RadixSort.sort(&keys)   // [1, 2, 3]
///
/// var sorted: [UInt64] = []                 // reused between calls: no new allocation
/// RadixSort.sort(chunks: [[9, 4], [7]], into: &sorted)   // [4, 7, 9]
/// ```
package enum RadixSort {
    /// Sorts `values` ascending.
    /// - Complexity: O(n) for two scatters plus the sorts of runs of about n / 4 million keys;
    ///   a temporary copy of `values`.
    public static func sort(_ values: inout [UInt64]) {
        let n = values.count
        if n < 1 << 16 { values.sort(); return }
        let ranges = Parallel.chunks(count: n, minimumChunk: 1 << 16, maximumChunks: 16)
        var output: [UInt64] = []
        values.withUnsafeBufferPointer { all in
            sort(ranges.map { UnsafeBufferPointer(rebasing: all[$0]) }, into: &output)
        }
        values = output
    }

    /// Sorts the concatenation of `chunks` ascending into `output`, whose storage is reused
    /// when large enough (so a caller sorting many arrays in turn allocates once).
    /// - Complexity: as ``sort(_:)``, without the concatenation.
    public static func sort(chunks: [[UInt64]], into output: inout [UInt64]) {
        withBuffers(chunks[...], []) { sort($0, into: &output) }
    }

    /// Calls `body` with buffers over every array of `arrays` (nested so they stay valid).
    private static func withBuffers<R>(_ arrays: ArraySlice<[UInt64]>, _ done: [UnsafeBufferPointer<UInt64>],
                                       _ body: ([UnsafeBufferPointer<UInt64>]) -> R) -> R {
        guard let first = arrays.first else { return body(done) }
        return first.withUnsafeBufferPointer { withBuffers(arrays.dropFirst(), done + [$0], body) }
    }

    private static func sort(_ inputs: [UnsafeBufferPointer<UInt64>], into output: inout [UInt64]) {
        let n = inputs.reduce(0) { $0 + $1.count }
        output.removeAll(keepingCapacity: true)
        output.append(contentsOf: repeatElement(0, count: n))
        guard n > 0 else { return }
        nonisolated(unsafe) let sources = inputs
        if n < 1 << 16 {
            var k = 0
            for input in sources { for v in input { output[k] = v; k += 1 } }
            output.sort()
            return
        }
        // Pass 1: scatter on the top 11 bits (2,048 buckets: few enough write streams for the
        // caches), each input into its own offsets.
        let topBits = 11, buckets = 1 << topBits, shift = UInt64(64 - topBits)
        let histograms: [[Int]] = Parallel.map(sources.count) { c in
            var h = [Int](repeating: 0, count: buckets)
            for v in sources[c] { h[Int(v >> shift)] += 1 }
            return h
        }
        // Offsets: bucket-major, input-minor, so the scatter is stable and deterministic.
        var offsets = [[Int]](repeating: [Int](repeating: 0, count: buckets), count: sources.count)
        var bucketStart = [Int](repeating: 0, count: buckets + 1)
        var total = 0
        for b in 0..<buckets {
            bucketStart[b] = total
            for c in 0..<sources.count {
                offsets[c][b] = total
                total += histograms[c][b]
            }
        }
        bucketStart[buckets] = total
        output.withUnsafeMutableBufferPointer { outBuffer in
            // Each input writes to its own disjoint offset ranges (computed above).
            nonisolated(unsafe) let out = outBuffer.baseAddress!
            let offsetsCopy = offsets
            Parallel.run(sources.count) { c in
                offsetsCopy[c].withUnsafeBufferPointer { start in
                    var o = [Int](start)
                    o.withUnsafeMutableBufferPointer { o in
                        for v in sources[c] {
                            let b = Int(v >> shift)
                            out[o[b]] = v
                            o[b] &+= 1
                        }
                    }
                }
            }
            // Pass 2, per bucket (cache-sized): scatter on the next 11 bits into a buffer, sort
            // each small run, copy back. Each group touches only its own buckets' ranges.
            let groups = 64
            let starts = bucketStart
            Parallel.run(groups) { g in
                let lo = g * buckets / groups, hi = (g + 1) * buckets / groups
                var buffer: [UInt64] = []
                var counts = [Int](repeating: 0, count: buckets + 1)
                for b in lo..<hi {
                    let s = starts[b], e = starts[b + 1]
                    let count = e - s
                    if count < 256 {
                        if count > 1 { insertionOrSort(out + s, count) }
                        continue
                    }
                    if buffer.count < count { buffer = [UInt64](repeating: 0, count: count) }
                    buffer.withUnsafeMutableBufferPointer { tmp in
                        counts.withUnsafeMutableBufferPointer { at in
                            let mask = buckets - 1, shift2 = shift - UInt64(topBits)
                            for k in 0...buckets { at[k] = 0 }
                            for k in s..<e { at[Int(out[k] >> shift2) & mask + 1] &+= 1 }
                            for k in 0..<buckets { at[k + 1] &+= at[k] }
                            for k in s..<e {
                                let v = out[k]
                                let d = Int(v >> shift2) & mask
                                tmp[at[d]] = v
                                at[d] &+= 1
                            }
                            // `at[d]` is now the end of run d: sort each run, then copy back.
                            var runStart = 0
                            for d in 0..<buckets {
                                let runEnd = at[d]
                                if runEnd - runStart > 1 { insertionOrSort(tmp.baseAddress! + runStart, runEnd - runStart) }
                                runStart = runEnd
                            }
                            (out + s).update(from: tmp.baseAddress!, count: count)
                        }
                    }
                }
            }
        }
    }

    /// Sorts a short run in place: insertion sort for the usual handful, the library sort beyond.
    @inline(__always)
    private static func insertionOrSort(_ p: UnsafeMutablePointer<UInt64>, _ count: Int) {
        if count > 32 {
            var bucket = UnsafeMutableBufferPointer(start: p, count: count)
            bucket.sort()
            return
        }
        for i in 1..<count {
            let v = p[i]
            var j = i
            while j > 0 && p[j - 1] > v { p[j] = p[j - 1]; j -= 1 }
            p[j] = v
        }
    }
}
