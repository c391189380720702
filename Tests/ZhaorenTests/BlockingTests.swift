import Foundation
import Testing
@testable import Zhaoren
import ZhaorenSupport

@Suite struct BlockingTests {
    static let names: [(String, NormalizedName)] = [
        ("张伟", NormalizedName(folded: "张伟", readings: ["zhangwei"], fuzzyReadings: ["zanwei"], surnameLength: 1)),
        ("章伟", NormalizedName(folded: "章伟", readings: ["zhangwei"], fuzzyReadings: ["zanwei"], surnameLength: 1)),
        ("臧伟", NormalizedName(folded: "臧伟", readings: ["zangwei"], fuzzyReadings: ["zanwei"], surnameLength: 1)),
        ("单丽", NormalizedName(folded: "单丽", readings: ["danli", "shanli", "chanli"], fuzzyReadings: ["danni", "sanni", "canni"], surnameLength: 1)),
        ("山丽", NormalizedName(folded: "山丽", readings: ["shanli"], fuzzyReadings: ["sanni"], surnameLength: 1)),
        ("王芳", NormalizedName(folded: "王芳", readings: ["wangfang"], fuzzyReadings: ["wanfan"], surnameLength: 1)),
    ]

    /// Random records from small pools, so that rules overlap heavily.
    static func randomTable(_ n: Int, seed: UInt64) -> RecordTable {
        var rng = SeededGenerator(seed: seed)
        let ids = ["11010519491231002X", "11010519491231003X", "11010519491213002X", "110105194912310021", "34052419800101001X"]
        let phones = ["13800138000", "13800138001", "13800183000", "13911112222"]
        var t = RecordTable()
        let s = t.addSource("r")
        for k in 0..<n {
            var f = RecordTable.Fields()
            let nm = names[Int(rng.next() % UInt64(names.count))]
            if rng.next() % 10 != 0 { f.name = nm.0; f.normalizedName = nm.1 }
            if rng.next() % 3 != 0 { f.id = ids[Int(rng.next() % UInt64(ids.count))] }
            if rng.next() % 4 != 0 { f.birth = CivilDate(year: 1980 + Int(rng.next() % 3), month: 1, day: 1 + Int(rng.next() % 2)) }
            if rng.next() % 2 == 0 { f.phone = phones[Int(rng.next() % UInt64(phones.count))] }
            f.sex = rng.next() % 2 == 0 ? .male : .female
            t.append(source: s, row: k + 1, f)
        }
        return t
    }

    static let rules = [
        BlockingRule("id", on: [.id], maxBlockSize: 10_000),
        BlockingRule("id_one_edit", on: [.idDeletions], maxBlockSize: 10_000),
        BlockingRule("name_birth", on: [.name, .birth], maxBlockSize: 10_000),
        BlockingRule("pinyin_birth", on: [.pinyin, .birth], maxBlockSize: 10_000),
        BlockingRule("fuzzy_phone", on: [.fuzzyPinyin, .phoneDeletions], maxBlockSize: 10_000),
    ]

    /// Parts whose column holds the value itself answer agreement from the column alone; the
    /// answer is the field's own test (month-only dates, blanks and swapped days included).
    @Test func exactColumnsAgreeAsTheFieldsDo() {
        var t = Self.randomTable(200, seed: 5)
        let s = t.addSource("m")
        for (k, birth) in [RecordTable.birthValue(.month(year: 1980, month: 1)), CivilDate(year: 1980, month: 2, day: 1)!.dayNumber,
                           CivilDate(year: 1980, month: 1, day: 2)!.dayNumber].enumerated() {
            var f = RecordTable.Fields()
            f.id = "11010519491231002X"
            f.idBirth = CivilDate(year: 1949, month: 12, day: 31 - k / 2)   // two alike, one not
            t.append(source: s, row: k + 1, f)
            t.birth[t.count - 1] = birth
        }
        let parts: [BlockingKeyPart] = [.id, .phone, .birth, .idBirth, .birthYear, .birthUnordered, .sex]
        #expect(parts.allSatisfy(BlockingKeys.columnIsExact) && !BlockingKeys.columnIsExact(.name) && !BlockingKeys.columnIsExact(.address))
        let keys = BlockingKeys(table: t, rules: parts.map { BlockingRule("\($0)", on: [$0], maxBlockSize: 10_000) })
        func year(_ d: Int32) -> Int? { RecordTable.calendar(d)?.year }
        func unordered(_ d: Int32) -> String? {
            guard d != RecordTable.missingDate, !RecordTable.isMonthOnly(d) else { return nil }
            let c = CivilDate(dayNumber: d)
            return "\(c.year)-\(min(c.month, c.day))-\(max(c.month, c.day))"
        }
        var agreeing = [Int](repeating: 0, count: parts.count)
        for a in 0..<t.count {
            for b in 0..<t.count where a != b {
                let ba = t.effectiveBirth(a), bb = t.effectiveBirth(b)
                let expected = [
                    t.id[a] != 0 && t.id[a] == t.id[b],
                    t.phone[a] != 0 && t.phone[a] == t.phone[b],
                    ba != RecordTable.missingDate && ba == bb,
                    t.idBirth[a] != RecordTable.missingDate && t.idBirth[a] == t.idBirth[b],
                    year(ba) != nil && year(ba) == year(bb),
                    unordered(ba) != nil && unordered(ba) == unordered(bb),
                    t.effectiveSex(a) != 0 && t.effectiveSex(a) == t.effectiveSex(b),
                ]
                for (k, part) in parts.enumerated() {
                    #expect(keys.agree(part, a, b) == expected[k], "\(part) \(a) \(b)")
                    if expected[k] { agreeing[k] += 1 }
                }
            }
        }
        // Every part both agrees and disagrees somewhere in the sample.
        #expect(agreeing.allSatisfy { $0 > 0 && $0 < t.count * (t.count - 1) }, "\(agreeing)")
    }

    @Test func everyPairOnceByTheFirstRuleThatProducesIt() {
        let t = Self.randomTable(300, seed: 11)
        let (pairs, report) = Blocker(rules: Self.rules).candidates(t)
        var seen = Set<UInt64>()
        for p in pairs.packed { #expect(seen.insert(p).inserted) }
        let keys = BlockingKeys(table: t, rules: Self.rules)
        var expected: [UInt64: UInt8] = [:]
        for a in 0..<t.count {
            for b in (a + 1)..<t.count {
                if let r = Self.rules.indices.first(where: { keys.agree(rule: $0, a, b) }) {
                    expected[UInt64(a) << 32 | UInt64(b)] = UInt8(r)
                }
            }
        }
        #expect(pairs.count == expected.count)
        for k in 0..<pairs.count { #expect(expected[pairs.packed[k]] == pairs.rule[k]) }
        #expect(report.rules.map(\.pairs).reduce(0, +) == pairs.count)
        #expect(report.rules[1].duplicatePairs > 0)   // exact-ID pairs met again under deletion keys
        #expect(pairs.count > 1000)
    }

    @Test func resultsDoNotDependOnThreadCount() {
        let t = Self.randomTable(300, seed: 5)
        Parallel.threadOverride = 1
        let (one, _) = Blocker(rules: Self.rules).candidates(t)
        Parallel.threadOverride = 2
        let (two, _) = Blocker(rules: Self.rules).candidates(t)
        Parallel.threadOverride = nil
        #expect(one.packed == two.packed)
        #expect(one.rule == two.rule)
    }

    @Test func idTyposMeetThroughDeletionKeys() {
        let t = handTable([
            (nil, nil, "11010519491231002X", nil, nil, nil, nil),
            (nil, nil, "11010519491231003X", nil, nil, nil, nil),   // substitution
            (nil, nil, "11010519491213002X", nil, nil, nil, nil),   // transposition of 0
            (nil, nil, "01101051949123102X", nil, nil, nil, nil),   // shifted: not one edit
        ])
        let (pairs, _) = Blocker(rules: [BlockingRule("id_one_edit", on: [.idDeletions])]).candidates(t)
        #expect(pairs.packed.sorted() == [1, 2])
    }

    @Test func idTyposMeetTheValidNumberThroughCorrections() {
        let t = handTable([
            (nil, nil, "11010519491231002X", nil, nil, nil, nil),   // valid
            (nil, nil, "11010519491231003X", nil, nil, nil, nil),   // substitution: fails the check
            (nil, nil, "11010519491213002X", nil, nil, nil, nil),   // transposition: fails the check
            (nil, nil, "110105194912310021", nil, nil, nil, nil),   // check character mistyped
            (nil, nil, "440524188001010014", nil, nil, nil, nil),   // another valid number
        ])
        let (pairs, _) = Blocker(rules: [BlockingRule("id_corrections", on: [.idCorrections])]).candidates(t)
        let expected: Set<UInt64> = [1, 2, 3]
        #expect(Set(pairs.packed).isSuperset(of: expected))
        let touchesFour = pairs.packed.contains { (p: UInt64) -> Bool in p & 0xFFFF_FFFF == 4 || p >> 32 == 4 }
        #expect(!touchesFour)
        var keys: [UInt64] = []
        BlockingKeys.corrections(PackedDigits.packID("11010519491231002X")!, tag: 0, into: &keys)
        #expect(keys == [PackedDigits.packID("11010519491231002X")!])
        keys = []
        BlockingKeys.corrections(PackedDigits.packID("11010519491231003X")!, tag: 0, into: &keys)
        #expect(keys.contains(PackedDigits.packID("11010519491231002X")!))
        #expect(keys.count < 40)
    }

    @Test func aValidIDMeetsATypoExactlyWhenItIsAmongItsCorrections() {
        // The pair check's shortcut (one substitution or swap apart) against the corrections
        // themselves, for valid numbers and their typos of every kind.
        var rng = SeededGenerator(seed: 7)
        let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
        var agreed = 0, apart = 0
        for _ in 0..<3_000 {
            var d = (0..<17).map { _ in Int(rng.next() % 10) }
            let sum = zip(d, weights).reduce(0) { $0 + $1.0 * $1.1 }
            d.append((12 - sum % 11) % 11)
            let valid = PackedDigits.packID(String(d.map { $0 == 10 ? "X" : Character(String($0)) }))!
            var e = d
            switch rng.next() % 4 {
            case 0: let p = Int(rng.next() % 18); e[p] = (e[p] + 1 + Int(rng.next() % 9)) % 10
            case 1: let p = Int(rng.next() % 17); e.swapAt(p, p + 1)
            case 2:
                let p = Int(rng.next() % 16)
                e[p] = (e[p] + 1) % 10
                e[p + 2] = (e[p + 2] + 1) % 10
            default: let p = Int(rng.next() % 15); e.swapAt(p, p + 2)
            }
            let typo = PackedDigits.packID(String(e.map { $0 == 10 ? "X" : Character(String($0)) }))!
            guard typo != valid, !PackedDigits.idPassesCheck(typo) else { continue }
            let corrections = PackedDigits.idCorrections(typo)
            let shortcut = PackedDigits.idsOneSubstitutionOrSwapApart(valid, typo)
            #expect(shortcut == corrections.contains(valid), "\(d) \(e)")
            #expect(PackedDigits.idsOneSubstitutionOrSwapApart(typo, valid) == shortcut)
            if shortcut { agreed += 1 } else { apart += 1 }
        }
        #expect(agreed > 1_000 && apart > 500)
        // An X before the check character is not an ID: it has no corrections and meets nothing.
        let valid = PackedDigits.packID("11010519491231002X")!, swapped = PackedDigits.packID("1101051949123100X2")!
        #expect(PackedDigits.idCorrections(swapped).isEmpty)
        #expect(!PackedDigits.idsOneSubstitutionOrSwapApart(valid, swapped))
        // The blocker's pair check gives the same pairs as before the shortcut.
        let t = handTable([
            (nil, nil, "11010519491231002X", nil, nil, nil, nil),
            (nil, nil, "11010519491231003X", nil, nil, nil, nil),
            (nil, nil, "11010519491231013X", nil, nil, nil, nil),   // two substitutions
        ])
        let keys = BlockingKeys(table: t, rules: [BlockingRule("id_corrections", on: [.idCorrections])])
        #expect(keys.idPasses == [true, false, PackedDigits.idPassesCheck(PackedDigits.packID("11010519491231013X")!)])
        #expect(keys.agree(.idCorrections, 0, 1))
        #expect(!keys.agree(.idCorrections, 0, 2))
        let lazy = BlockingKeys(table: t, rules: [BlockingRule("id_corrections", on: [.idCorrections])], precompute: false)
        #expect(lazy.idPasses.isEmpty && lazy.agree(.idCorrections, 0, 1) && !lazy.agree(.idCorrections, 0, 2))
    }

    @Test func oversizedBlocksAreSplitThenDropped() {
        var rows: [(name: String?, n: NormalizedName?, id: String?, birth: CivilDate?, sex: Sex?, phone: String?, address: String?)] = []
        for k in 0..<10 { rows.append(("王伟", NormalizedName(folded: "王伟", surnameLength: 1), nil, d(1985, 3, 7), k < 6 ? .male : .female, nil, nil)) }
        rows.append(("王伟", NormalizedName(folded: "王伟", surnameLength: 1), nil, d(1990, 1, 1), .male, nil, nil))
        rows.append(("王伟", NormalizedName(folded: "王伟", surnameLength: 1), nil, d(1990, 1, 1), .male, nil, nil))
        let t = handTable(rows)
        let split = Blocker(rules: [BlockingRule("name_birth", on: [.name, .birth], maxBlockSize: 4, splitBy: [.sex])])
        let (pairs, report) = split.candidates(t)
        // The 4 women make 6 pairs; the 6 men are still too many and are dropped; 10–11 is kept.
        #expect(pairs.count == 7)
        #expect(Set(pairs.packed).contains(10 << 32 | 11))
        #expect(report.rules[0].oversizedBlocks == 1)
        #expect(report.rules[0].droppedRecords == 6)
        #expect(report.largestBlocks.first?.size == 10)
        #expect(report.largestBlocks.first?.action.contains("dropped") == true)
        #expect(report.largestBlocks.first?.key == "name=王* birth=1985-**-**")   // masked by default
        #expect(Blocker(rules: split.rules, unmask: true).candidates(t).1.largestBlocks.first?.key == "name=王伟 birth=1985-03-07")
        let capped = Blocker(rules: [BlockingRule("name_birth", on: [.name, .birth], maxBlockSize: 4)])
        let (p2, r2) = capped.candidates(t)
        #expect(p2.count == 1)
        #expect(r2.rules[0].droppedRecords == 0 || r2.largestBlocks[0].action == "dropped")
    }

    @Test func splitBlocksStillGiveEachPairOnce() {
        // With a small cap, blocks of the second rule are split; pairs still appear once.
        let t = Self.randomTable(250, seed: 3)
        let rules = [
            BlockingRule("name_birth", on: [.name, .birth], maxBlockSize: 12, splitBy: [.sex]),
            BlockingRule("pinyin", on: [.pinyin], maxBlockSize: 40, splitBy: [.sex, .birth]),
        ]
        let (pairs, _) = Blocker(rules: rules).candidates(t)
        #expect(Set(pairs.packed).count == pairs.count)
        #expect(pairs.count > 0)
    }

    @Test func linkingMakesOnlyCrossPairs() {
        let t = Self.randomTable(150, seed: 9)
        let side = (0..<t.count).map { UInt8($0 % 2) }
        let (pairs, _) = Blocker(rules: Self.rules, side: side).candidates(t)
        #expect(pairs.count > 0)
        for k in 0..<pairs.count { #expect(side[pairs.first(k)] != side[pairs.second(k)]) }
    }

    /// Linking a list without phones: the rules on the phone are skipped (and say why), and
    /// the pairs are those a run of every rule makes, each under the same rule.
    @Test func aRuleOnAFieldOneSideLacksIsSkipped() {
        var t = Self.randomTable(300, seed: 11)
        let side = (0..<t.count).map { UInt8($0 % 2) }
        for i in 0..<t.count where side[i] == 0 { t.phone[i] = 0 }   // the left list has no phone column
        let rules = Self.rules + [BlockingRule("phone", on: [.phone], maxBlockSize: 10_000)]
        let log = EventLog()
        let (pairs, report) = Blocker(rules: rules, side: side).candidates(t, progress: { log.add($0) })
        #expect(report.rules.map(\.missingOnASide) == [nil, nil, nil, nil, "phone_deletions", "phone"])
        // The progress lines say the rule was skipped and why, not that it made no pairs.
        let lines = log.all.map(\.description)
        #expect(lines.contains { $0.hasPrefix("  blocking phone skipped (no phone in one of the two lists)") })
        #expect(!lines.contains { $0.hasPrefix("  blocking phone:") })
        #expect(lines.filter { $0.hasPrefix("  blocking ") }.count == rules.count)
        #expect(report.rules[4].keys == 0 && report.rules[5].pairs == 0)
        // Every rule run, the phone ones included (a side column given values then taken away
        // is no different from one never read): the same pairs.
        let everything = Blocker(rules: rules).candidates(t).0
        let cross = (0..<everything.count).filter { side[everything.first($0)] != side[everything.second($0)] }
        #expect(pairs.count > 0)
        #expect(Set((0..<pairs.count).map { pairs.packed[$0] }) == Set(cross.map { everything.packed[$0] }))
        // With phones on both sides the rules run again.
        let both = Blocker(rules: rules, side: side).candidates(Self.randomTable(300, seed: 11)).1
        #expect(both.rules.allSatisfy { $0.missingOnASide == nil } && both.rules[4].keys > 0)
    }

    @Test func radixSortSorts() {
        var rng = SeededGenerator(seed: 1)
        var v = (0..<200_000).map { _ in rng.next() }
        let expected = v.sorted()
        RadixSort.sort(&v)
        #expect(v == expected)
    }

    @Test func radixSortOfChunksReusesItsOutput() {
        var rng = SeededGenerator(seed: 2)
        // Chunks of uneven sizes, some keys sharing their top 16 bits, one chunk empty.
        let chunks: [[UInt64]] = [(0..<70_000).map { _ in rng.next() }, [],
                                  (0..<5_000).map { _ in 0xABCD << 48 | rng.next() % 1000 }, [42, 7, 42]]
        let expected = chunks.flatMap { $0 }.sorted()
        var out: [UInt64] = []
        RadixSort.sort(chunks: chunks, into: &out)
        #expect(out == expected)
        let capacity = out.capacity
        RadixSort.sort(chunks: [[3, 1, 2]], into: &out)
        #expect(out == [1, 2, 3])
        #expect(out.capacity == capacity)
    }

    @Test func partOrdinalsFollowAllCases() {
        for (k, part) in BlockingKeyPart.allCases.enumerated() {
            #expect(part.ordinal == k)
            #expect(part.tag == UInt64(k + 1) << 56)
        }
    }

    @Test func columnKeysEqualTheGeneralPath() {
        // The single-valued and fan-out fast paths must give exactly the keys of rawKeys.
        let table = Self.randomTable(400, seed: 9)
        let rules = Self.rules + BlockingRule.defaults(for: [.name, .id, .birth, .sex, .phone])
        let keys = BlockingKeys(table: table, rules: rules)
        var checked: [String] = []
        for r in rules.indices {
            var fast: [UInt64] = []
            if keys.singleValued[r] {
                keys.singleValuedKeys(rule: r, 0..<table.count, into: &fast)
            } else if keys.fansOut[r] {
                keys.fanOutKeys(rule: r, 0..<table.count, pass: 0, of: 1, into: &fast)
            } else { continue }
            var general: [UInt64] = [], ks: [UInt64] = [], tmp: [UInt64] = []
            for i in 0..<table.count {
                keys.rawKeys(rule: r, i, into: &ks, tmp: &tmp, sorted: false)
                general += ks.map { $0 | UInt64(i) }
            }
            if !general.isEmpty { checked.append(rules[r].name) }
            #expect(fast == general, "\(rules[r].name)")
        }
        #expect(checked.count >= 10, "\(checked)")
    }

    @Test func defaultRulesFollowRoles() {
        let all = BlockingRule.defaults(for: [.name, .id, .birth, .sex, .phone])
        #expect(all.first?.on == [.id])
        // Han names: fuzzy_pinyin_birth makes every pair pinyin_birth would; Latin names keep both.
        #expect(!all.map(\.name).contains("pinyin_birth") && all.map(\.name).contains("fuzzy_pinyin_birth"))
        #expect(BlockingRule.defaults(for: [.name, .birth], latinNames: true).map(\.name).contains("pinyin_birth"))
        #expect(BlockingRule.defaults(for: [.name, .birth]).allSatisfy { !$0.on.contains(.id) })
        let json = try! JSONEncoder().encode(all)
        #expect(try! JSONDecoder().decode([BlockingRule].self, from: json) == all)
    }
}
