import Dispatch
import ZhaorenSupport

extension NameNormalizer {
    /// Normalizes many (distinct) names in parallel; `result[i]` is `normalize(values[i])`.
    ///
    /// Intended use: intern a column first (distinct strings → ids), normalize each distinct value
    /// once here, then look results up by id. The output is identical whatever the thread count.
    /// - Complexity: O(total length); runs over a few chunks per core with
    ///   ``Parallel``, each chunk with its own scratch buffers.
    public func normalize(_ values: [String]) -> [PersonName] {
        let n = values.count
        let chunkSize = 2_048
        if n <= chunkSize {
            var scratch = NameScratch()
            return values.map { normalize($0, scratch: &scratch) }
        }
        return Parallel.mapChunks(count: n, minimumChunk: chunkSize, maximumChunks: 256) { range -> [PersonName] in
            var scratch = NameScratch()
            return range.map { normalize(values[$0], scratch: &scratch) }
        }.flatMap { $0 }
    }
}
