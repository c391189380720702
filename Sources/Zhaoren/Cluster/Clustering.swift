/// Turns accepted pairs into clusters.
///
/// - Deduplication: connected components (``UnionFind``) of the pairs at or above a threshold.
/// - Linking two lists: optionally one-to-one first — pairs taken greedily by descending match
///   weight (ties by record indices), each record used at most once. Greedy is not the optimal
///   assignment, but on two clean lists where true matches carry far higher weights it picks the
///   same pairs, at O(p log p) instead of the Hungarian method's O(n³).
///
/// A cluster's id is its smallest record index (records are in input order: source, then row),
/// so ids are the same run after run whatever the thread count.
///
/// ```swift
/// let roots = Clustering.components(count: 4, pairs: [(0, 2), (2, 3)])   // [0, 1, 0, 0]
/// ```
public enum Clustering {
    /// The root (smallest member) of each record's component.
    /// - Complexity: O((n + p) α(n)).
    public static func components(count: Int, pairs: some Sequence<(UInt32, UInt32)>) -> [UInt32] {
        var uf = UnionFind(count: count)
        for (a, b) in pairs { uf.union(a, b) }
        return uf.roots()
    }

    /// The indices (into the inputs) of the pairs kept by greedy one-to-one assignment.
    /// - Complexity: O(p log p).
    public static func oneToOne(first: [UInt32], second: [UInt32], weight: [Double], count: Int) -> [Int] {
        let order = first.indices.sorted { x, y in
            if weight[x] != weight[y] { return weight[x] > weight[y] }
            if first[x] != first[y] { return first[x] < first[y] }
            return second[x] < second[y]
        }
        var used = [Bool](repeating: false, count: count)
        var kept: [Int] = []
        for k in order where !used[Int(first[k])] && !used[Int(second[k])] {
            used[Int(first[k])] = true
            used[Int(second[k])] = true
            kept.append(k)
        }
        return kept.sorted()
    }
}
