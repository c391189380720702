import Testing
@testable import Zhaoren

@Suite struct ClusteringTests {
    @Test func rootsAreSmallestMembersWhateverTheOrder() {
        let pairs: [(UInt32, UInt32)] = [(5, 3), (3, 9), (1, 2), (9, 7)]
        let a = Clustering.components(count: 10, pairs: pairs)
        let b = Clustering.components(count: 10, pairs: pairs.reversed().map { ($0.1, $0.0) })
        #expect(a == b)
        #expect(a == [0, 1, 1, 3, 4, 3, 6, 3, 8, 3])
    }

    @Test func unionFindLargeChain() {
        var uf = UnionFind(count: 100_000)
        for k in stride(from: 99_999, to: 0, by: -1) { uf.union(UInt32(k), UInt32(k - 1)) }
        #expect(uf.find(99_999) == 0)
        let merged = uf.union(0, 50_000)
        #expect(!merged)
    }

    @Test func greedyOneToOneTakesHeaviestFirst() {
        // Left 0,1; right 2,3. 0–2 is strongest; 1–2 must then give way to 1–3.
        let kept = Clustering.oneToOne(first: [0, 1, 1, 0], second: [2, 2, 3, 3], weight: [20, 15, 10, 12], count: 4)
        #expect(kept == [0, 2])
        // Ties are broken by record indices, so the result is stable.
        #expect(Clustering.oneToOne(first: [1, 0], second: [2, 2], weight: [5, 5], count: 3) == [1])
    }
}
