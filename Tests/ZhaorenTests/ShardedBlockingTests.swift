import Foundation
import Testing
@testable import Zhaoren
import ZhaorenSupport

/// A sharded run (what `Scripts/spark/zhaoren_spark.py` does between `zhaoren shard keys` and
/// `zhaoren shard pairs`) makes exactly the single run's candidate pairs, each in one part,
/// with oversized blocks split or dropped as the single run does.
@Suite struct ShardedBlockingTests {
    /// Rules with small caps, so that blocks are oversized, split and partly dropped.
    static let rules = [
        BlockingRule("id", on: [.id], maxBlockSize: 30),
        BlockingRule("id_one_edit", on: [.idDeletions], maxBlockSize: 40, splitBy: [.sex]),
        BlockingRule("name_birth", on: [.name, .birth], maxBlockSize: 12, splitBy: [.sex]),
        BlockingRule("pinyin", on: [.pinyin], maxBlockSize: 25, splitBy: [.sex, .birth]),
        BlockingRule("fuzzy_phone", on: [.fuzzyPinyin, .phoneDeletions], maxBlockSize: 20),
    ]

    /// The job's routing in memory: keys of every record, oversized keys and dropped sub-keys
    /// counted over the whole table, each record sent to the parts owning its effective keys
    /// (blocks of two or more), then each part blocked apart. Returns the pairs of all parts
    /// (global indices, packed) and the oversized keys found.
    static func sharded(_ t: RecordTable, rules: [BlockingRule], side: [UInt8]?, parts: Int) -> (pairs: [UInt64], oversized: Int) {
        let bits = BlockingKeys.recordBits(for: t.count)
        let keys = BlockingKeys(table: t, rules: rules, recordBits: bits)
        var rows: [(rule: Int, record: Int, key: UInt64, sub: UInt64)] = []
        var ks: [UInt64] = [], tmp: [UInt64] = []
        for i in 0..<t.count {
            for r in rules.indices {
                keys.rawKeys(rule: r, i, into: &ks, tmp: &tmp)
                for k in ks { rows.append((r, i, k, rules[r].splitBy.isEmpty ? 0 : keys.subKey(rule: r, k, i, tmp: &tmp) ?? 0)) }
            }
        }
        struct RuleKey: Hashable { var rule: Int; var key: UInt64 }
        var blockSize: [RuleKey: Int] = [:]
        for row in rows { blockSize[RuleKey(rule: row.rule, key: row.key), default: 0] += 1 }
        var oversized = [Set<UInt64>](repeating: [], count: rules.count)
        for (k, n) in blockSize where n > rules[k.rule].maxBlockSize { oversized[k.rule].insert(k.key) }
        var subSize: [RuleKey: Int] = [:]
        for row in rows where oversized[row.rule].contains(row.key) && row.sub != 0 { subSize[RuleKey(rule: row.rule, key: row.sub), default: 0] += 1 }
        var dropped = [Set<UInt64>](repeating: [], count: rules.count)
        for (k, n) in subSize where n > rules[k.rule].maxBlockSize { dropped[k.rule].insert(k.key) }
        var effective: [(rule: Int, record: Int, key: UInt64)] = []
        for row in rows {
            if !oversized[row.rule].contains(row.key) {
                effective.append((row.rule, row.record, row.key))
            } else if row.sub != 0 && !dropped[row.rule].contains(row.sub) {
                effective.append((row.rule, row.record, row.sub))
            }
        }
        var effectiveSize: [RuleKey: Int] = [:]
        for e in effective { effectiveSize[RuleKey(rule: e.rule, key: e.key), default: 0] += 1 }
        var members = [Set<Int>](repeating: [], count: parts)
        for e in effective where effectiveSize[RuleKey(rule: e.rule, key: e.key)]! >= 2 {
            members[BlockingShard.part(of: e.key, count: parts)].insert(e.record)
        }
        var all: [UInt64] = []
        for p in 0..<parts {
            let records = members[p].sorted()
            let part = t.gathering(records)
            let shard = BlockingShard(index: p, count: parts, recordBits: bits, oversized: oversized, droppedSub: dropped)
            let (pairs, _) = Blocker(rules: rules, side: side.map { s in records.map { s[$0] } }, shard: shard).candidates(part)
            for k in 0..<pairs.count {
                let a = records[pairs.first(k)], b = records[pairs.second(k)]
                all.append(UInt64(min(a, b)) << 32 | UInt64(max(a, b)))
            }
        }
        return (all, oversized.reduce(0) { $0 + $1.count })
    }

    @Test(arguments: [1, 2, 5])
    func partsTogetherMakeTheSingleRunsPairsOnce(parts: Int) {
        let t = BlockingTests.randomTable(400, seed: 21)
        let (single, report) = Blocker(rules: Self.rules).candidates(t)
        #expect(report.rules.contains { $0.oversizedBlocks > 0 })          // the caps bite
        #expect(report.rules.contains { $0.droppedRecords > 0 })
        let (pairs, oversized) = Self.sharded(t, rules: Self.rules, side: nil, parts: parts)
        #expect(oversized > 0)
        #expect(pairs.count == single.count)                                 // no pair twice
        #expect(Set(pairs) == Set(single.packed))
        #expect(single.count > 1000)
    }

    @Test func linkingPartsMakeTheSingleRunsCrossPairs() {
        let t = BlockingTests.randomTable(300, seed: 8)
        let side = (0..<t.count).map { UInt8($0 % 3 == 0 ? 0 : 1) }
        let (single, _) = Blocker(rules: Self.rules, side: side).candidates(t)
        let (pairs, _) = Self.sharded(t, rules: Self.rules, side: side, parts: 3)
        #expect(pairs.count == single.count)
        #expect(Set(pairs) == Set(single.packed))
        #expect(single.count > 100)
    }

    @Test func namesKeyTheSameInEveryTable() {
        // Name keys come from the folded text, not from the order names were met in.
        var a = RecordTable(), b = RecordTable()
        let sa = a.addSource("a"), sb = b.addSource("b")
        for (k, n) in BlockingTests.names.enumerated() {
            var f = RecordTable.Fields()
            f.name = n.0
            f.normalizedName = n.1
            a.append(source: sa, row: k + 1, f)
        }
        for (k, n) in BlockingTests.names.reversed().enumerated() {
            var f = RecordTable.Fields()
            f.name = n.0
            f.normalizedName = n.1
            b.append(source: sb, row: k + 1, f)
        }
        let rule = [BlockingRule("name", on: [.name])]
        let ka = BlockingKeys(table: a, rules: rule, recordBits: 20), kb = BlockingKeys(table: b, rules: rule, recordBits: 20)
        var x: [UInt64] = [], y: [UInt64] = [], tmp: [UInt64] = []
        let n = BlockingTests.names.count
        for i in 0..<n {
            ka.rawKeys(rule: 0, i, into: &x, tmp: &tmp)
            kb.rawKeys(rule: 0, n - 1 - i, into: &y, tmp: &tmp)
            #expect(x == y)
            #expect(x.count == 1)
        }
    }
}
