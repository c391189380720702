/// Disjoint sets over `UInt32` ids with path halving, where the root of every set is its
/// smallest id: so a cluster's id depends only on its members, never on the order of unions.
///
/// ```swift
/// var uf = UnionFind(count: 5)
/// uf.union(3, 1); uf.union(4, 3)
/// uf.find(4)   // 1
/// ```
package struct UnionFind: Sendable {
    /// Parent links; `parent[i] == i` at a root.
    public private(set) var parent: [UInt32]

    /// `count` singletons.
    public init(count: Int) { parent = (0..<UInt32(count)).map { $0 } }

    /// The smallest id in `x`'s set.
    /// - Complexity: amortized nearly O(1).
    public mutating func find(_ x: UInt32) -> UInt32 {
        // Every id below `parent.count` links to an id below it: the unchecked walk stays inside.
        parent.withUnsafeMutableBufferPointer { parent in
            var x = Int(x)
            while true {
                let p = Int(parent[x])
                if p == x { return UInt32(x) }
                parent[x] = parent[p]
                x = p
            }
        }
    }

    /// Merges the sets of `a` and `b`; returns whether they were separate.
    @discardableResult
    public mutating func union(_ a: UInt32, _ b: UInt32) -> Bool {
        let ra = find(a), rb = find(b)
        if ra == rb { return false }
        if ra < rb { parent[Int(rb)] = ra } else { parent[Int(ra)] = rb }
        return true
    }

    /// The root (smallest id) of every element.
    public mutating func roots() -> [UInt32] {
        (0..<UInt32(parent.count)).map { find($0) }
    }
}
