/// One part of a sharded blocking run: the blocks whose key falls in part ``index`` of
/// ``count``, made from records gathered by key (every record that has such a key), with the
/// oversized keys of the whole input given. The parts' pairs together are exactly the single
/// run's, each pair in one part: the one owning its first rule's smallest shared key.
///
/// A cluster job (`Scripts/spark/zhaoren_spark.py`) computes the keys of every record
/// (`zhaoren shard keys`), counts blocks by key to find the oversized ones, routes each record
/// to the parts owning its keys (``part(of:count:)``) and runs each part apart:
///
/// ```swift
/// let shard = BlockingShard(index: 3, count: 16, recordBits: 22,
///                           oversized: oversized, droppedSub: dropped)
/// let blocker = Blocker(rules: rules, shard: shard)
/// let (pairs, _) = blocker.candidates(partTable)
/// ```
package struct BlockingShard: Sendable, Hashable {
    /// This part's number, `0..<count`.
    package var index: Int
    /// How many parts the keys are spread over.
    package var count: Int
    /// The low key bits cleared for record indices, the same in every part (what a single run
    /// over all records would use, so the keys are the same too).
    package var recordBits: Int
    /// Per rule: the keys whose block (over the whole input) is larger than the rule's
    /// `max_block_size`.
    package var oversized: [Set<UInt64>]
    /// Per rule: the sub-keys of oversized blocks still larger than `max_block_size` (dropped).
    package var droppedSub: [Set<UInt64>]

    /// Creates a part.
    package init(index: Int, count: Int, recordBits: Int, oversized: [Set<UInt64>], droppedSub: [Set<UInt64>]) {
        self.index = index
        self.count = max(1, count)
        self.recordBits = recordBits
        self.oversized = oversized
        self.droppedSub = droppedSub
    }

    /// The part that owns `key` among `count` (top 16 bits of the key, which the record bits
    /// never touch, modulo `count`; a job routing records computes the same).
    @inline(__always)
    package static func part(of key: UInt64, count: Int) -> Int { Int((key >> 48) % UInt64(max(1, count))) }

    /// Whether this part makes the block of `key`.
    @inline(__always)
    package func owns(_ key: UInt64) -> Bool { Self.part(of: key, count: count) == index }
}
