import ZhaorenSupport

/// The distinct comparison patterns of a set of pairs with how often each occurs: what EM
/// iterates over (a few thousand patterns instead of millions of pairs).
package struct PatternCounts: Sendable, Equatable, Codable {
    /// Distinct patterns, ascending.
    public var patterns: [UInt64]
    /// How many pairs had each pattern.
    public var counts: [Int]

    /// Creates counts from parallel arrays.
    public init(patterns: [UInt64], counts: [Int]) {
        self.patterns = patterns
        self.counts = counts
    }

    /// Counts the patterns in `all`.
    /// - Complexity: O(n) expected, in parallel chunks merged in order.
    public init(counting all: [UInt64]) {
        let maps = Parallel.mapChunks(count: all.count, minimumChunk: 1 << 16) { range -> [UInt64: Int] in
            var d: [UInt64: Int] = [:]
            all.withUnsafeBufferPointer { p in for k in range { d[p[k], default: 0] += 1 } }
            return d
        }
        var total: [UInt64: Int] = [:]
        for d in maps { total.merge(d, uniquingKeysWith: +) }
        let sorted = total.keys.sorted()
        patterns = sorted
        counts = sorted.map { total[$0]! }
    }
}
