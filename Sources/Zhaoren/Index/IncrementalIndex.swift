import ZhaorenSupport

/// Blocking for records that arrive a few at a time: every record's keys under every rule
/// are kept, and a new record's candidates are the records already indexed under one of its
/// keys. Used to stream records through the engine and to update a population base without
/// blocking everything again.
///
/// Each pair is made once, by the first rule under which the two records share a key and
/// agree (as in ``Blocker``). A key with ``BlockingRule/maxBlockSize`` records takes no more
/// partners: for a rule with `split_by` parts, the records under the key and the same split
/// value (say, the same sex) are used instead while they are fewer than the cap; otherwise the
/// new record gets no partner under that key. So a common name with a common birth date cannot
/// make a new record meet thousands of others.
///
/// ```swift
/// var index = IncrementalIndex(rules: BlockingRule.defaults(for: [.name, .id, .birth]))
/// let pairs = index.add(0..<table.count, of: table, side: nil)   // candidates among them
/// ```
/// - Complexity: per record, O(keys) hash lookups plus its candidates; memory O(records × keys).
package struct IncrementalIndex: Sendable {
    /// The rules, in order.
    package let rules: [BlockingRule]
    /// Key → slot of ``head`` and ``size``.
    private var slots: [UInt64: Int32] = [:]
    /// Per slot: the newest entry (-1: none) and the number of records.
    private var head: [Int32] = []
    private var size: [Int32] = []
    /// Per entry: its record and the previous entry under the same key (-1: none).
    private var entryRecord: [UInt32] = []
    private var entryNext: [Int32] = []
    /// Per record: the last record whose candidates included it (so a pair is made once).
    private var stamp: [UInt32] = []
    /// Records indexed.
    package private(set) var count = 0
    /// Keys whose block reached the cap (a new record took no partners under them).
    package private(set) var cappedKeys = 0

    /// The bits cleared in every key: none, keys are compared whole.
    static let recordBits = 0

    /// An empty index for `rules`.
    package init(rules: [BlockingRule]) {
        precondition(rules.count < 255, "at most 254 blocking rules")
        self.rules = rules
    }

    /// Finds the candidate pairs of records `range` of `table` (which must follow the records
    /// indexed so far) among the indexed records and among themselves, then indexes them.
    /// With `side`, only pairs of records with different sides are made (linking two lists).
    /// Pairs are `(indexed record, new record)`, in the order the new records come.
    package mutating func add(_ range: Range<Int>, of table: RecordTable, side: [UInt8]?) -> CandidatePairs {
        precondition(range.lowerBound == count, "records are indexed in order")
        let keys = BlockingKeys(table: table, rules: rules, precompute: false, recordBits: Self.recordBits)
        stamp.append(contentsOf: repeatElement(UInt32.max, count: range.count))
        var out = CandidatePairs()
        var ks: [UInt64] = [], tmp: [UInt64] = [], own: [(UInt64, Int)] = []
        for i in range {
            own.removeAll(keepingCapacity: true)
            for r in rules.indices {
                keys.rawKeys(rule: r, i, into: &ks, tmp: &tmp)
                let cap = rules[r].maxBlockSize
                let split = rules[r].splitBy.isEmpty ? nil : keys.splitValue(rule: r, i, tmp: &tmp)
                for key in ks {
                    own.append((key, r))
                    if let split { own.append((Self.subKey(key, split), r)) }
                    var members = slot(key)
                    if let m = members, size[Int(m)] >= cap {
                        cappedKeys += 1
                        members = split.flatMap { slot(Self.subKey(key, $0)) }
                        if let s = members, size[Int(s)] >= cap { members = nil }
                    }
                    guard let m = members else { continue }
                    var e = head[Int(m)]
                    while e >= 0 {
                        let j = Int(entryRecord[Int(e)])
                        e = entryNext[Int(e)]
                        if stamp[j] == UInt32(truncatingIfNeeded: i) { continue }
                        if let side, side[j] == side[i] { continue }
                        guard keys.agree(rule: r, j, i) else { continue }
                        stamp[j] = UInt32(truncatingIfNeeded: i)
                        out.packed.append(UInt64(j) << 32 | UInt64(i))
                        out.rule.append(UInt8(r))
                    }
                }
            }
            for (key, _) in own { insert(key, record: i) }
            count += 1
        }
        return out
    }

    private func slot(_ key: UInt64) -> Int32? { slots[key] }

    private mutating func insert(_ key: UInt64, record i: Int) {
        let s: Int
        if let found = slots[key] {
            s = Int(found)
            // A record repeats a key (two equal readings): index it once.
            if head[s] >= 0 && entryRecord[Int(head[s])] == UInt32(i) { return }
        } else {
            s = head.count
            slots[key] = Int32(s)
            head.append(-1)
            size.append(0)
        }
        entryRecord.append(UInt32(i))
        entryNext.append(head[s])
        head[s] = Int32(entryRecord.count - 1)
        size[s] += 1
    }

    /// The key of a record under `key` with split value `split`.
    @inline(__always)
    static func subKey(_ key: UInt64, _ split: UInt64) -> UInt64 { StableHash.combine(key ^ 0x5355_424B, split) }
}
