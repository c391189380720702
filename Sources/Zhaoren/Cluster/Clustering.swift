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
package enum Clustering {
    /// The root (smallest member) of each record's component.
    /// - Complexity: O((n + p) α(n)).
    public static func components(count: Int, pairs: some Sequence<(UInt32, UInt32)>) -> [UInt32] {
        var uf = UnionFind(count: count)
        for (a, b) in pairs { uf.union(a, b) }
        return uf.roots()
    }

    /// Connected components with negative evidence: accepted `pairs` are merged strongest
    /// first (descending `weights`, ties in input order), and a merge is refused when the two
    /// clusters hold a `cannotLink` pair (two records scored as clearly different) and the
    /// accepted pairs across them do not outnumber such pairs. So a row with a blank given
    /// name that scores above the threshold with each of two twins joins one twin only,
    /// instead of chaining the twins together, while one badly damaged row cannot split a
    /// person whose other rows agree. Components without a cannot-link pair inside are plain
    /// connected components, and only the others are rebuilt, so the cost follows the conflicts.
    ///
    /// ```swift
    /// let r = Clustering.components(count: 3, pairs: [(0, 1), (1, 2)], weights: [9, 5], cannotLink: [(0, 2)])
    /// r.roots     // [0, 0, 2]
    /// r.refused   // 1
    /// ```
    /// - Complexity: O((n + p) α(n)) plus O(q log q) for the q accepted pairs inside components
    ///   that hold a cannot-link pair.
    public static func components(count: Int, pairs: [(UInt32, UInt32)], weights: [Double],
                                  cannotLink: [(UInt32, UInt32)]) -> (roots: [UInt32], refused: Int) {
        components(count: count, pairs: pairs, weights: weights, cannotLink: cannotLink,
                   plain: components(count: count, pairs: pairs))
    }

    /// ``components(count:pairs:weights:cannotLink:)`` given the plain components of `pairs`.
    static func components(count: Int, pairs: [(UInt32, UInt32)], weights: [Double], cannotLink: [(UInt32, UInt32)],
                           plain: [UInt32]) -> (roots: [UInt32], refused: Int) {
        precondition(pairs.count == weights.count, "one weight per pair")
        var roots = plain
        // Only components with a cannot-link pair inside are rebuilt.
        var conflicted = [Bool](repeating: false, count: count)
        var inside: [(UInt32, UInt32)] = []
        for (a, b) in cannotLink where a != b && roots[Int(a)] == roots[Int(b)] {
            conflicted[Int(roots[Int(a)])] = true
            inside.append((a, b))
        }
        if inside.isEmpty { return (roots, 0) }
        let order = pairs.indices.filter { conflicted[Int(roots[Int(pairs[$0].0)])] }.sorted { x, y in
            weights[x] != weights[y] ? weights[x] > weights[y] : x < y
        }
        var uf = UnionFind(count: count)
        // Each root's list of (partner record, +1 accepted pair / −1 cannot-link pair) over its members.
        var slot = [Int32](repeating: -1, count: count)
        var lists: [[(UInt32, Int8)]] = []
        func add(_ x: UInt32, _ y: UInt32, _ sign: Int8) {
            if slot[Int(x)] < 0 { slot[Int(x)] = Int32(lists.count); lists.append([]) }
            lists[Int(slot[Int(x)])].append((y, sign))
        }
        for (a, b) in inside { add(a, b, -1); add(b, a, -1) }
        for k in order where pairs[k].0 != pairs[k].1 { add(pairs[k].0, pairs[k].1, 1); add(pairs[k].1, pairs[k].0, 1) }
        var refused = 0
        for k in order {
            let ra = uf.find(pairs[k].0), rb = uf.find(pairs[k].1)
            if ra == rb { continue }
            let la = slot[Int(ra)], lb = slot[Int(rb)]
            // Every cross pair is in both lists: scan the shorter.
            let (probe, other) = lists[Int(la)].count <= lists[Int(lb)].count ? (la, rb) : (lb, ra)
            var balance = 0, negative = false
            for (x, sign) in lists[Int(probe)] where uf.find(x) == other {
                balance += Int(sign)
                if sign < 0 { negative = true }
            }
            if negative && balance <= 0 { refused += 1; continue }
            uf.union(ra, rb)
            // The merged cluster's list: the longer list absorbs the shorter.
            let (big, small) = lists[Int(la)].count >= lists[Int(lb)].count ? (la, lb) : (lb, la)
            lists[Int(big)].append(contentsOf: lists[Int(small)])
            lists[Int(small)] = []
            slot[Int(min(ra, rb))] = big
        }
        for i in 0..<count where conflicted[Int(roots[i])] { roots[i] = uf.find(UInt32(i)) }
        return (roots, refused)
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
