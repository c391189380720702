import Dispatch

extension NameNormalizer {
    /// Normalizes many (distinct) names in parallel; `result[i]` is `normalize(values[i])`.
    ///
    /// Intended use: intern a column first (distinct strings → ids), normalize each distinct value
    /// once here, then look results up by id. The output is identical whatever the thread count.
    /// - Complexity: O(total length); runs over a few chunks per core with
    ///   `DispatchQueue.concurrentPerform`, each chunk with its own scratch buffers.
    public func normalize(_ values: [String]) -> [PersonName] {
        let n = values.count
        let chunkSize = 2_048
        if n <= chunkSize {
            var scratch = NameScratch()
            return values.map { normalize($0, scratch: &scratch) }
        }
        let chunks = (n + chunkSize - 1) / chunkSize
        return [PersonName](unsafeUninitializedCapacity: n) { buffer, initialized in
            // Each iteration writes only its own range lo..<hi; ranges are disjoint, so sharing
            // the base address between threads is safe.
            nonisolated(unsafe) let base = buffer.baseAddress!
            DispatchQueue.concurrentPerform(iterations: chunks) { c in
                var scratch = NameScratch()
                let lo = c * chunkSize
                let hi = min(n, lo + chunkSize)
                for i in lo..<hi {
                    (base + i).initialize(to: normalize(values[i], scratch: &scratch))
                }
            }
            initialized = n
        }
    }
}
