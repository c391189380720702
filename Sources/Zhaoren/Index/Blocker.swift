import ZhaorenSupport
import ZhaorenSystemShim

/// Blocking: turns records into candidate pairs with several rules of hashed keys.
///
/// For each rule in order: every record's keys are computed in parallel, packed with the
/// record index into `UInt64`s and sorted (``RadixSort``); runs of equal keys are blocks.
/// Oversized blocks are split by the rule's `split_by` parts or dropped. Pairs are then made
/// in parallel chunks of blocks; a pair is kept only in the first rule that produces it and,
/// within a rule, only under its smallest shared key, so every pair appears exactly once.
///
/// ```swift
/// let blocker = Blocker(rules: BlockingRule.defaults(for: [.name, .id, .birth]))
/// let (pairs, report) = blocker.candidates(table)
/// ```
package struct Blocker: Sendable {
    /// The rules, in order.
    public var rules: [BlockingRule]
    /// When set, only pairs whose records have different sides are made (linking two lists);
    /// `side[i]` is 0 or 1.
    public var side: [UInt8]?
    /// Whether the report's block keys show values in full (else masked: `id=640402********5409`).
    public var unmask: Bool
    /// For one part of a sharded run: only the blocks that part owns are made, with the
    /// whole input's oversized keys (see ``BlockingShard``).
    public var shard: BlockingShard?

    /// Creates a blocker.
    public init(rules: [BlockingRule], side: [UInt8]? = nil, unmask: Bool = false, shard: BlockingShard? = nil) {
        self.rules = rules
        self.side = side
        self.unmask = unmask
        self.shard = shard
    }

    /// The candidate pairs of `table` and a report.
    /// - Complexity: O(K log K) for K keys per rule, plus O(pairs in blocks).
    public func candidates(_ table: RecordTable, progress: (@Sendable (LinkEvent) -> Void)? = nil) -> (CandidatePairs, BlockingReport) {
        precondition(rules.count < 255, "at most 254 blocking rules")
        var keys = BlockingKeys(table: table, rules: rules, recordBits: shard?.recordBits)
        if let shard {
            precondition(shard.oversized.count == rules.count && shard.droppedSub.count == rules.count, "one key set per rule")
            keys.oversized = shard.oversized
            keys.droppedSub = shard.droppedSub
        }
        var all = CandidatePairs()
        var reports: [BlockingReport.Rule] = []
        var largest: [BlockingReport.Block] = []
        var sorted: [UInt64] = []   // reused by every rule and pass
        for r in rules.indices {
            let t0 = MonotonicClock.seconds()
            if let side, let part = Self.partMissingOnASide(rules[r], keys.table, side) {
                // Linking two lists, a rule on a field one list lacks (a register without phones)
                // cannot pair across them: no keys made or sorted.
                progress?(.step("blocking \(rules[r].name) skipped (no \(part.rawValue) in one of the two lists)",
                                seconds: MonotonicClock.seconds() - t0))
                reports.append(.init(name: rules[r].name, keys: 0, blocks: 0, pairs: 0, duplicatePairs: 0, oversizedBlocks: 0,
                                     droppedRecords: 0, missingOnASide: part.rawValue))
                continue
            }
            let (pairs, report, blocks) = runRule(r, &keys, sorted: &sorted)
            progress?(.blockingRule(name: rules[r].name, pairs: pairs.count, seconds: MonotonicClock.seconds() - t0))
            all.packed.append(contentsOf: pairs)
            all.rule.append(contentsOf: repeatElement(UInt8(r), count: pairs.count))
            reports.append(report)
            largest.append(contentsOf: blocks)
            largest.sort { ($0.size, $1.rule) > ($1.size, $0.rule) }
            if largest.count > 20 { largest.removeLast(largest.count - 20) }
        }
        return (all, BlockingReport(rules: reports, largestBlocks: largest, candidatePairs: all.count))
    }

    /// The values of rule `r`'s key parts for record `i`, for the report: masked (an ID number
    /// keeps its region and last four, a name its surname, a date its year, an address its
    /// first three characters) unless ``unmask``.
    private func describe(_ keys: BlockingKeys, rule r: Int, record i: Int) -> String {
        let t = keys.table
        let full = unmask
        return rules[r].on.map { part -> String in
            if t.encoded != nil { return "\(part.rawValue)=(encoded)" }
            let v: String
            switch part {
            case .id, .idDeletions, .idCorrections:
                v = t.id[i] == 0 ? "" : full ? PackedDigits.unpackID(t.id[i]) : Masking.idNumber(PackedDigits.unpackID(t.id[i]))
            case .phone, .phoneDeletions:
                v = t.phone[i] == 0 ? "" : full ? PackedDigits.unpackPhone(t.phone[i]) : Masking.phone(PackedDigits.unpackPhone(t.phone[i]))
            case .name, .pinyin, .fuzzyPinyin:
                v = t.name[i] == RecordTable.missingID ? "" : full ? t.names.raw[Int(t.name[i])] : Masking.name(t.names.raw[Int(t.name[i])])
            case .surname:
                v = t.name[i] == RecordTable.missingID ? "" : Masking.name(t.names.raw[Int(t.name[i])])
            case .birth, .birthYear, .birthUnordered:
                let d = RecordTable.birthText(t.effectiveBirth(i))
                v = full || part == .birthYear ? d : Masking.date(d)
            case .idBirth:
                let d = t.idBirth[i] == RecordTable.missingDate ? "" : CivilDate(dayNumber: t.idBirth[i]).description
                v = full ? d : Masking.date(d)
            case .sex: v = String(t.effectiveSex(i))
            case .address:
                v = t.address[i] == RecordTable.missingID ? "" : full ? t.addresses.text[Int(t.address[i])] : Masking.text(t.addresses.text[Int(t.address[i])])
            case .otherID, .otherIDDeletions:
                v = t.otherID[i] == RecordTable.missingID ? "" : full ? t.otherIDs.text[Int(t.otherID[i])] : Masking.text(t.otherIDs.text[Int(t.otherID[i])])
            case .area: v = t.area[i] == RecordTable.missingID ? "" : t.areas.text[Int(t.area[i])]
            }
            return "\(part.rawValue)=\(v)"
        }.joined(separator: " ")
    }

    private func runRule(_ r: Int, _ keys: inout BlockingKeys, sorted packed: inout [UInt64])
        -> ([UInt64], BlockingReport.Rule, [BlockingReport.Block]) {
        let table = keys.table
        let n = table.count
        let rule = rules[r]
        let recordMask: UInt64 = (1 << UInt64(keys.recordBits)) - 1
        // 1. Keys, packed with record indices, in passes over key partitions when there are many
        //    (deletion neighbourhoods: 18 keys per ID), so memory stays bounded.
        let k0 = keys
        var sampleKeys = 0
        do {
            var ks: [UInt64] = [], tmp: [UInt64] = []
            let step = max(1, n / 1024)
            var sampled = 0
            for i in stride(from: 0, to: n, by: step) {
                k0.rawKeys(rule: r, i, into: &ks, tmp: &tmp, sorted: false)
                sampleKeys += ks.count
                sampled += 1
            }
            sampleKeys = sampled == 0 ? 0 : sampleKeys * n / sampled
        }
        let passes = max(1, min(16, (sampleKeys + Self.keysPerPass - 1) / Self.keysPerPass))
        var blockMembers: [UInt32] = []
        var blockStart: [Int] = [0]
        var blockKey: [UInt64] = []
        var reported: [(block: BlockingReport.Block, position: Int)] = []   // oversized blocks, all
        var kept: [KeptBlock] = []   // the largest kept blocks of every part
        var oversizedCount = 0, dropped = 0
        var keyCount = 0
        var position = 0   // of the pass's first entry among all passes' entries
        for pass in 0..<passes {
            do {
                let parts = Parallel.mapChunks(count: n, minimumChunk: 8192) { range -> [UInt64] in
                    var out: [UInt64] = []
                    out.reserveCapacity(range.count)
                    if k0.singleValued[r] && passes == 1 {
                        k0.singleValuedKeys(rule: r, range, into: &out)
                        return out
                    }
                    if k0.fansOut[r] {
                        k0.fanOutKeys(rule: r, range, pass: pass, of: passes, into: &out)
                        return out
                    }
                    var ks: [UInt64] = [], tmp: [UInt64] = []
                    for i in range {
                        k0.rawKeys(rule: r, i, into: &ks, tmp: &tmp, sorted: false)
                        for k in ks where passes == 1 || Int((k >> 40) % UInt64(passes)) == pass { out.append(k | UInt64(i)) }
                    }
                    return out
                }
                RadixSort.sort(chunks: parts, into: &packed)
            }   // the chunks are freed here
            // 2. Blocks: runs of equal keys, found in parallel over parts of the sorted keys cut
            //    where a key ends; merged in order, so blocks come in key order as in one pass.
            let scans = scanBlocks(packed, rule: r, keys, recordMask: recordMask)
            for scan in scans {
                let base = blockMembers.count
                blockMembers.append(contentsOf: scan.members)
                for end in scan.ends { blockStart.append(base + end) }
                blockKey.append(contentsOf: scan.keys)
                keyCount += scan.distinctEntries
                oversizedCount += scan.oversizedCount
                dropped += scan.dropped
                for key in scan.oversizedKeys { keys.oversized[r].insert(key) }
                for key in scan.droppedSubKeys { keys.droppedSub[r].insert(key) }
                for (block, at) in scan.reported { reported.append((block, position + at)) }
                for k in scan.kept { kept.append(KeptBlock(size: k.size, position: position + k.position, record: k.record)) }
            }
            position += packed.count
        }
        // The 20 largest blocks, oversized or kept, the first in key order among equal sizes.
        kept.sort { ($0.size, $1.position) > ($1.size, $0.position) }
        for k in kept.prefix(20) {
            reported.append((.init(rule: rule.name, size: k.size, key: describe(keys, rule: r, record: k.record), action: "kept"), k.position))
        }
        reported.sort { ($0.block.size, $1.position) > ($1.block.size, $0.position) }
        let reportBlocks = reported.prefix(20).map(\.block)
        // 3. Pairs, in parallel chunks of blocks balanced by pair count.
        let blockCount = blockKey.count
        var cumulative = [Int](repeating: 0, count: blockCount + 1)
        for b in 0..<blockCount {
            let size = blockStart[b + 1] - blockStart[b]
            cumulative[b + 1] = cumulative[b] + size * (size - 1) / 2
        }
        let totalPairs = cumulative[blockCount]
        let chunkCount = max(1, min(64, totalPairs / 20_000))
        var bounds = [0]
        var target = 1
        for b in 0..<blockCount where cumulative[b + 1] >= target * totalPairs / chunkCount && target < chunkCount {
            bounds.append(b + 1)
            target += 1
        }
        if bounds.last! != blockCount { bounds.append(blockCount) }
        let multi = rule.on.contains(where: BlockingKeys.isMultiValued)
        // The sides unwrapped once (an optional array unwrapped per pair is a retain and a release).
        let k1 = keys, linking = self.side != nil, sides = self.side ?? []
        let members = blockMembers, starts = blockStart, bkeys = blockKey, bnds = bounds
        // Most pairs of a later rule were made by the first (the same ID): its first part's
        // column is what the earlier-rule check reads first, at two records the hardware cannot
        // foresee. Those entries are asked for a few blocks ahead.
        let firstSlot = r > 0 ? (rules[0].on.first.map { k1.columnSlot[$0.ordinal] } ?? -1) : -1
        let results = Parallel.map(bnds.count - 1) { c -> ([UInt64], Int) in
            var out: [UInt64] = []
            var duplicates = 0
            var ka: [UInt64] = [], kb: [UInt64] = [], tmp: [UInt64] = []
            let end = bnds[c + 1]
            for blk in bnds[c]..<end {
                if firstSlot >= 0, blk + Self.prefetchBlocks < end {
                    let ahead = blk + Self.prefetchBlocks
                    k1.columns.withUnsafeBufferPointer { col in
                        let base = col.baseAddress! + firstSlot * n
                        for y in starts[ahead]..<starts[ahead + 1] { zhaoren_prefetch(base + Int(members[y])) }
                    }
                }
                let key = bkeys[blk]
                for x in starts[blk]..<starts[blk + 1] {
                    let a = Int(members[x])
                    for y in (x + 1)..<starts[blk + 1] {
                        let b = Int(members[y])
                        if linking && sides[a] == sides[b] { continue }
                        // Cheap first: did an earlier rule produce the pair? (Exact-ID pairs meet
                        // again under all 18 deletion keys; the ID comparison rejects them at once.)
                        var earlier = false
                        for q in 0..<r where k1.agree(rule: q, a, b) {
                            if k1.oversized[q].isEmpty { earlier = true; break }
                            k1.effectiveKeys(rule: q, a, into: &ka, tmp: &tmp)
                            k1.effectiveKeys(rule: q, b, into: &kb, tmp: &tmp)
                            if Self.smallestCommon(ka, kb) != nil { earlier = true; break }
                        }
                        if earlier { duplicates += 1; continue }
                        if !k1.agree(rule: r, a, b) { duplicates += 1; continue }
                        // Within the rule: only under the smallest shared key.
                        if multi || !k1.oversized[r].isEmpty {
                            k1.effectiveKeys(rule: r, a, into: &ka, tmp: &tmp)
                            k1.effectiveKeys(rule: r, b, into: &kb, tmp: &tmp)
                            if Self.smallestCommon(ka, kb) != key { duplicates += 1; continue }
                        }
                        out.append(UInt64(min(a, b)) << 32 | UInt64(max(a, b)))
                    }
                }
            }
            return (out, duplicates)
        }
        var pairs: [UInt64] = []
        pairs.reserveCapacity(results.reduce(0) { $0 + $1.0.count })
        var duplicates = 0
        for (p, d) in results { pairs.append(contentsOf: p); duplicates += d }
        let report = BlockingReport.Rule(name: rule.name, keys: keyCount, blocks: blockCount, pairs: pairs.count,
                                         duplicatePairs: duplicates, oversizedBlocks: oversizedCount, droppedRecords: dropped)
        return (pairs, report, reportBlocks)
    }

    /// A kept block that may be among the largest reported: its size, the position of its first
    /// entry among the rule's sorted keys, and its first record.
    struct KeptBlock {
        var size: Int, position: Int, record: Int
    }

    /// What one part of a rule's sorted keys holds: its blocks (members, each block's end in
    /// `members`, keys), its oversized keys (split or dropped) and what the report needs.
    struct BlockScan {
        var members: [UInt32] = []
        var ends: [Int] = []
        var keys: [UInt64] = []
        var distinctEntries = 0
        var oversizedCount = 0, dropped = 0
        var oversizedKeys: [UInt64] = []
        var droppedSubKeys: [UInt64] = []
        /// Oversized blocks for the report, with the position of their first entry in the pass.
        var reported: [(BlockingReport.Block, Int)] = []
        /// The part's 20 largest kept blocks (positions in the pass).
        var kept: [KeptBlock] = []
    }

    /// The blocks of rule `r` in `packed` (its keys with record indices, sorted), in parallel
    /// over parts cut where a key ends. A record repeating a key (deleting either of two equal
    /// digits) counts once; oversized blocks are split by the rule's `splitBy` or dropped.
    /// - Complexity: O(entries), split over the cores; the parts come back in key order.
    private func scanBlocks(_ packed: [UInt64], rule r: Int, _ keys: BlockingKeys, recordMask: UInt64) -> [BlockScan] {
        let rule = rules[r], shard = self.shard
        let count = packed.count
        // Cuts at key boundaries: each part starts where its key differs from the entry before.
        var cuts = Parallel.chunks(count: count, minimumChunk: 1 << 16, maximumChunks: 32).map(\.lowerBound)
        for c in cuts.indices where c > 0 {
            var k = max(cuts[c], cuts[c - 1])
            while k < count && k > 0 && packed[k] & ~recordMask == packed[k - 1] & ~recordMask { k += 1 }
            cuts[c] = k
        }
        cuts.append(count)
        let bounds = cuts
        return Parallel.map(bounds.count - 1) { c -> BlockScan in
            var scan = BlockScan()
            var tmp: [UInt64] = []
            var keptFloor = 1
            var s = bounds[c]
            let end = bounds[c + 1]
            while s < end {
                let key = packed[s] & ~recordMask
                var e = s + 1, size = 1
                while e < end && packed[e] & ~recordMask == key {
                    if packed[e] != packed[e - 1] { size += 1 }
                    e += 1
                }
                scan.distinctEntries += size
                // A sharded part: the oversized keys are the whole input's; other keys' blocks
                // are made only by the part that owns them (there they are whole).
                let oversizedKey = shard.map { $0.oversized[r].contains(key) } ?? (size > rule.maxBlockSize)
                if let shard, !oversizedKey, !shard.owns(key) { s = e; continue }
                if size >= 2 || (oversizedKey && shard != nil) {
                    if !oversizedKey {
                        for k in s..<e where k == s || packed[k] != packed[k - 1] { scan.members.append(UInt32(packed[k] & recordMask)) }
                        scan.ends.append(scan.members.count)
                        scan.keys.append(key)
                        // Kept blocks enter the report only if among the 20 largest so far.
                        if size > keptFloor {
                            scan.kept.append(KeptBlock(size: size, position: s, record: Int(packed[s] & recordMask)))
                            if scan.kept.count >= 40 {
                                scan.kept.sort { ($0.size, $1.position) > ($1.size, $0.position) }
                                scan.kept.removeLast(scan.kept.count - 20)
                                keptFloor = scan.kept.last!.size
                            }
                        }
                    } else {
                        let owned = shard?.owns(key) ?? true
                        if owned { scan.oversizedCount += 1 }
                        scan.oversizedKeys.append(key)
                        var subs: [UInt64] = []
                        var unsplittable = 0
                        for k in s..<e where k == s || packed[k] != packed[k - 1] {
                            let i = Int(packed[k] & recordMask)
                            if let sk = keys.subKey(rule: r, key, i, tmp: &tmp) { subs.append(sk | UInt64(i)) } else { unsplittable += 1 }
                        }
                        subs.sort()
                        var largestSub = 0, droppedHere = unsplittable
                        var a = 0
                        while a < subs.count {
                            let sk = subs[a] & ~recordMask
                            var b = a + 1
                            while b < subs.count && subs[b] & ~recordMask == sk { b += 1 }
                            let subSize = b - a
                            if let shard, !shard.owns(sk) { a = b; continue }
                            largestSub = max(largestSub, subSize)
                            if subSize > rule.maxBlockSize {
                                scan.droppedSubKeys.append(sk)
                                droppedHere += subSize
                            } else if subSize >= 2 {
                                for k in a..<b { scan.members.append(UInt32(subs[k] & recordMask)) }
                                scan.ends.append(scan.members.count)
                                scan.keys.append(sk)
                            }
                            a = b
                        }
                        if owned {
                            scan.dropped += droppedHere
                            let action = rule.splitBy.isEmpty ? "dropped"
                                : droppedHere == 0 ? "split by \(rule.splitBy.map(\.rawValue).joined(separator: "+")); largest part \(largestSub)"
                                : "split by \(rule.splitBy.map(\.rawValue).joined(separator: "+")); \(droppedHere) records in parts still over \(rule.maxBlockSize) dropped"
                            scan.reported.append((.init(rule: rule.name, size: size, key: describe(keys, rule: r, record: Int(packed[s] & recordMask)),
                                                        action: action), s))
                        }
                    }
                }
                s = e
            }
            return scan
        }
    }

    /// A part of `rule` that no record of one side has a value for (so the rule makes no pair
    /// across the sides), or `nil`. Looked at for the parts read from one column (ID, phone,
    /// address, other identifier, area, each with its variants), where a blank column is a
    /// blank key; not for keyed (encoded) records.
    static func partMissingOnASide(_ rule: BlockingRule, _ t: RecordTable, _ side: [UInt8]) -> BlockingKeyPart? {
        guard t.encoded == nil, side.count == t.count else { return nil }
        for part in rule.on {
            let filled: (Int) -> Bool
            switch part {
            case .id, .idDeletions, .idCorrections: filled = { t.id[$0] != 0 }
            case .phone, .phoneDeletions: filled = { t.phone[$0] != 0 }
            case .address: filled = { t.address[$0] != RecordTable.missingID }
            case .otherID, .otherIDDeletions: filled = { t.otherID[$0] != RecordTable.missingID }
            case .area: filled = { t.area[$0] != RecordTable.missingID }
            default: continue
            }
            var seen: (Bool, Bool) = (false, false)
            for i in 0..<t.count where filled(i) {
                if side[i] == 0 { seen.0 = true } else { seen.1 = true }
                if seen.0 && seen.1 { break }
            }
            if !(seen.0 && seen.1) { return part }
        }
        return nil
    }

    /// How many blocks ahead the pair loop asks for the columns it will read.
    static let prefetchBlocks = 6

    /// Keys sorted at once; rules with more are run in several passes over key partitions.
    static let keysPerPass = 56 << 20

    static func smallestCommon(_ a: [UInt64], _ b: [UInt64]) -> UInt64? {
        var i = 0, j = 0
        while i < a.count && j < b.count {
            if a[i] == b[j] { return a[i] }
            if a[i] < b[j] { i += 1 } else { j += 1 }
        }
        return nil
    }
}
