/// Candidate pairs from blocking, as flat arrays: pair `k` is records `first(k) < second(k)`,
/// produced by rule `rule[k]`.
package struct CandidatePairs: Sendable {
    /// `a << 32 | b` with `a < b`.
    public var packed: [UInt64]
    /// The index of the rule that produced each pair.
    public var rule: [UInt8]

    /// The number of pairs.
    public var count: Int { packed.count }
    /// The smaller record index of pair `k`.
    @inlinable public func first(_ k: Int) -> Int { Int(packed[k] >> 32) }
    /// The larger record index of pair `k`.
    @inlinable public func second(_ k: Int) -> Int { Int(packed[k] & 0xFFFF_FFFF) }

    /// Creates candidate pairs.
    public init(packed: [UInt64] = [], rule: [UInt8] = []) {
        self.packed = packed
        self.rule = rule
    }
}
