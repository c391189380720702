import Dispatch

extension Array where Element: Sendable {
    /// `map` in parallel chunks over all cores; the result is in order and identical to `map`.
    ///
    /// ```swift
    /// let parsed = ids.parallelMap { ResidentID.parse($0, asOf: today) }
    /// ```
    /// - Complexity: O(n) work split over the cores; worth it above a few thousand elements.
    func parallelMap<T: Sendable>(_ transform: @Sendable (Element) -> T) -> [T] {
        let n = count
        guard n >= 4096 else { return map(transform) }
        let chunks = Swift.min(64, n / 1024)
        var out = [T?](repeating: nil, count: n)
        out.withUnsafeMutableBufferPointer { buffer in
            // Chunk c writes only indices lo..<hi: the slices are disjoint.
            nonisolated(unsafe) let output = buffer
            self.withUnsafeBufferPointer { input in
                nonisolated(unsafe) let source = input
                DispatchQueue.concurrentPerform(iterations: chunks) { c in
                    let lo = n * c / chunks, hi = n * (c + 1) / chunks
                    for i in lo..<hi { output[i] = transform(source[i]) }
                }
            }
        }
        return out.map { $0! }
    }
}
