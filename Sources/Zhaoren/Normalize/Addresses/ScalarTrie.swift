/// A trie over Unicode scalar values mapping names to integer values: the longest-prefix
/// lookups of ``AddressParser`` (region, township and village names at a position of an
/// address) without building a `String` per candidate.
///
/// ```swift
/// var trie = ScalarTrie()
/// trie.insert(Array("原州区".unicodeScalars).map(\.value), value: 7)
/// trie.matches(Array("原州区寨科乡".unicodeScalars).map(\.value), at: 0)   // [(3, [7])]
/// ```
struct ScalarTrie: Sendable {
    /// (node << 32 | scalar) → child node.
    private var edges: [UInt64: Int32] = [:]
    /// Per node, the values of the names ending there.
    private var values: [[Int32]] = [[]]

    /// Whether nothing was inserted.
    var isEmpty: Bool { values.count == 1 }

    /// Adds `value` under `key` (values of one key accumulate).
    mutating func insert(_ key: [UInt32], value: Int32) {
        var node: Int32 = 0
        for scalar in key {
            let edge = UInt64(UInt32(node)) << 32 | UInt64(scalar)
            if let child = edges[edge] {
                node = child
            } else {
                let child = Int32(values.count)
                values.append([])
                edges[edge] = child
                node = child
            }
        }
        if !values[Int(node)].contains(value) { values[Int(node)].append(value) }
    }

    /// Every key that is a prefix of `text[start...]`: (length, values), longest first.
    func matches(_ text: [UInt32], at start: Int) -> [(length: Int, values: [Int32])] {
        var out: [(length: Int, values: [Int32])] = []
        var node: Int32 = 0
        var i = start
        while i < text.count, let child = edges[UInt64(UInt32(node)) << 32 | UInt64(text[i])] {
            node = child
            i += 1
            if !values[Int(node)].isEmpty { out.append((i - start, values[Int(node)])) }
        }
        out.reverse()
        return out
    }
}
