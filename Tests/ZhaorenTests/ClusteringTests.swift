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

    @Test func cannotLinkKeepsTwinsApart() {
        // 1 (a row with a blank given name) is accepted with both twins 0 and 2, who scored as
        // clearly different: it joins the twin it matched more strongly, the second merge is refused.
        let r = Clustering.components(count: 3, pairs: [(0, 1), (1, 2)], weights: [9, 5], cannotLink: [(0, 2)])
        #expect(r.roots == [0, 0, 2])
        #expect(r.refused == 1)
        // Without the cannot-link pair it is one cluster.
        let plain = Clustering.components(count: 3, pairs: [(0, 1), (1, 2)], weights: [9, 5], cannotLink: [])
        #expect(plain.roots == [0, 0, 0])
        #expect(plain.refused == 0)
    }

    @Test func cannotLinkGivesWayWhenAcceptedPairsOutnumberIt() {
        // {0, 1} and {2, 3}: across them two accepted pairs (1–2, 0–3) against one cannot-link
        // pair (0–2, a badly damaged row): merged.
        let r = Clustering.components(count: 5, pairs: [(0, 1), (2, 3), (1, 2), (0, 3)], weights: [20, 18, 9, 7],
                                           cannotLink: [(0, 2)])
        #expect(r.roots == [0, 0, 0, 0, 4])
        #expect(r.refused == 0)
        // One accepted pair against two cannot-link pairs: refused, every time it is tried.
        let s = Clustering.components(count: 4, pairs: [(0, 1), (2, 3), (1, 2)], weights: [20, 18, 9], cannotLink: [(0, 2), (1, 3)])
        #expect(s.roots == [0, 0, 2, 2])
        #expect(s.refused == 1)
    }

    @Test func cannotLinkMergesStrongestFirst() {
        // The same pairs listed weakest first: 1 still joins 0 (weight 9), not 2 (weight 5).
        let r = Clustering.components(count: 3, pairs: [(1, 2), (0, 1)], weights: [5, 9], cannotLink: [(0, 2)])
        #expect(r.roots == [0, 0, 2])
        // A cannot-link pair across separate components changes nothing.
        let apart = Clustering.components(count: 4, pairs: [(0, 1), (2, 3)], weights: [5, 5], cannotLink: [(0, 2)])
        #expect(apart.roots == [0, 0, 2, 2] && apart.refused == 0)
    }

    @Test func greedyOneToOneTakesHeaviestFirst() {
        // Left 0,1; right 2,3. 0–2 is strongest; 1–2 must then give way to 1–3.
        let kept = Clustering.oneToOne(first: [0, 1, 1, 0], second: [2, 2, 3, 3], weight: [20, 15, 10, 12], count: 4)
        #expect(kept == [0, 2])
        // Ties are broken by record indices, so the result is stable.
        #expect(Clustering.oneToOne(first: [1, 0], second: [2, 2], weight: [5, 5], count: 3) == [1])
    }
}
