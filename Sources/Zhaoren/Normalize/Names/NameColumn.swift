import Dispatch
import ZhaorenSupport

/// A column of person names, interned and normalized: `names[Int(ids[row])]` is the row's name.
///
/// ```swift
/// let column = NameColumn(["张伟", "王芳", "张伟"], normalizer: names)
/// column.ids                 // [0, 1, 0]
/// column.names[0].pinyin     // "zhangwei"
/// ```
package struct NameColumn: Sendable {
    /// Per row, the id of its distinct value (ids in order of first occurrence).
    public var ids: [UInt32]
    /// Per distinct value, its normalized name.
    public var names: [PersonName]

    /// Interns `values` (equal strings → one id) and normalizes each distinct value once,
    /// in parallel. Deterministic whatever the thread count.
    /// - Complexity: O(total length): parallel hashing (FNV-1a over UTF-8), one serial pass
    ///   over an open-addressing table, then `NameNormalizer.normalize(_:)` on the distinct values.
    public init(_ values: [String], normalizer: NameNormalizer) {
        let (ids, distinct) = Self.intern(values)
        self.ids = ids
        self.names = normalizer.normalize(distinct)
    }

    /// Interns `values`: per row an id, and the distinct values in order of first occurrence.
    static func intern(_ values: [String]) -> ([UInt32], [String]) {
        let n = values.count
        let hashes = Parallel.mapChunks(count: n, minimumChunk: 16_384, maximumChunks: 256) { range in
            range.map { hash(values[$0]) }
        }.flatMap { $0 }

        var capacity = 1 << 12
        var slotHash = [UInt64](repeating: 0, count: capacity)
        var slotID = [UInt32](repeating: UInt32.max, count: capacity)
        var firstRow: [Int] = []
        var ids = [UInt32](repeating: 0, count: n)
        for i in 0..<n {
            let h = hashes[i]
            var slot = Int(truncatingIfNeeded: h) & (capacity - 1)
            while true {
                let id = slotID[slot]
                if id == UInt32.max {
                    let newID = UInt32(firstRow.count)
                    slotID[slot] = newID
                    slotHash[slot] = h
                    firstRow.append(i)
                    ids[i] = newID
                    break
                }
                if slotHash[slot] == h && values[firstRow[Int(id)]] == values[i] {
                    ids[i] = id
                    break
                }
                slot = (slot + 1) & (capacity - 1)
            }
            if firstRow.count * 2 > capacity {
                capacity *= 2
                var newHash = [UInt64](repeating: 0, count: capacity)
                var newID = [UInt32](repeating: UInt32.max, count: capacity)
                for (id, row) in firstRow.enumerated() {
                    let h = hashes[row]
                    var s = Int(truncatingIfNeeded: h) & (capacity - 1)
                    while newID[s] != UInt32.max { s = (s + 1) & (capacity - 1) }
                    newID[s] = UInt32(id)
                    newHash[s] = h
                }
                slotHash = newHash
                slotID = newID
            }
        }
        return (ids, firstRow.map { values[$0] })
    }

    /// FNV-1a over the UTF-8 bytes, with a final mix so the low bits index the table well.
    @inline(__always)
    static func hash(_ s: String) -> UInt64 {
        var h = s.utf8.withContiguousStorageIfAvailable { NameHash.fnv1a($0) } ?? NameHash.fnv1a(s.utf8)
        h ^= h >> 29
        h &*= 0xBF58_476D_1CE4_E5B9
        h ^= h >> 32
        return h
    }
}
