import Foundation
import Testing
@testable import Zhaoren
import ZhaorenSupport
import ZhaorenTestSupport

/// An address read from several columns: a column one record left blank is left out of the
/// comparison instead of counting as disagreement.
@Suite struct AddressPartsTests {
    /// number, street, line 2, suburb, state
    static let rows: [[String]] = [
        ["62", "matina street", "sun city resort", "ascot park", "wa"],   // 0
        ["62", "matina street", "", "ascot park", "wa"],                  // 1: line 2 left blank
        ["62", "matina street", "", "ascot prak", "wa"],                  // 2: blank and a typo
        ["", "matina street", "", "ascot park", "wa"],                    // 3: two blanks
        ["17", "kirby place", "", "dubbo", "nsw"],                        // 4: another address
        ["62", "matina street", "sun city resort", "ascot park", "wa"],   // 5: the same as 0
    ]

    static func comparator(_ t: RecordTable) throws -> Zhaoren.Comparator {
        try Zhaoren.Comparator(specs: [ComparisonSpec(name: "address", kind: .address, role: .address)], table: t)
    }

    static func levels(_ t: RecordTable) throws -> [String: Int] {
        let c = try comparator(t)
        var s = KernelScratch()
        var out: [String: Int] = [:]
        for (i, j) in [(0, 1), (1, 0), (0, 2), (0, 3), (0, 4), (1, 4), (0, 5), (1, 2)] {
            out["\(i)-\(j)"] = Zhaoren.Comparator.level(c.pattern(i, j, scratch: &s), 0)
        }
        return out
    }

    /// What the parts make of the rows above: a blank line 2 is no disagreement (but never
    /// "exact"); two blanks on one side, or no parts at all, compare the whole address.
    static func expectPartLevels(_ l: [String: Int]) {
        #expect(l["0-1"] == 3 && l["1-0"] == 3)   // equal on every column both filled
        #expect(l["0-2"] == 3)                    // ... and with a typo in the suburb
        #expect(l["0-3"] == 2)                    // two columns missing: the whole address ("partial"; its parts would say 3)
        #expect(l["0-4"] == 1 && l["1-4"] == 1)   // another address stays "else"
        #expect(l["0-5"] == 4)                    // equal addresses are exact as before
        #expect(l["1-2"] == 3)                    // same blanks: the whole address (one typo)
    }

    /// The rows above as a table of `Fields`, with or without their address parts.
    static func table(parts: Bool) -> RecordTable {
        var t = RecordTable()
        let s = t.addSource("x")
        for r in rows {
            var f = RecordTable.Fields()
            f.address = r.filter { !$0.isEmpty }.joined(separator: " ")
            if parts { f.addressParts = r }
            t.append(source: s, row: t.count + 1, f)
        }
        return t
    }

    @Test func fieldsWithPartsCompareOnTheColumnsBothFilled() throws {
        let t = Self.table(parts: true)
        #expect(t.addressPartStart.count == t.count + 1 && t.addressPartPool.count == 5 * t.count)
        #expect(t.addressParts(1).count == 5 && t.addressPartPool[t.addressParts(1)].filter { $0 == RecordTable.missingID }.count == 1)
        Self.expectPartLevels(try Self.levels(t))
    }

    @Test func withoutPartsABlankColumnIsDisagreement() throws {
        let t = Self.table(parts: false)
        #expect(t.addressPartStart.isEmpty)
        let l = try Self.levels(t)
        #expect(l["0-1"] == 2 && l["0-5"] == 4 && l["0-4"] == 1)
    }

    @Test func aMultiColumnAddressFromAFileKeepsItsParts() throws {
        let folder = try Scratch.folder()
        defer { Scratch.remove(folder) }
        // The first file has a one-column address, the second five columns: parts only for the second.
        let one = folder.appendingPathComponent("one.csv"), five = folder.appendingPathComponent("five.csv")
        try "name,addr\nann lee,9 high street dubbo nsw\n".write(to: one, atomically: true, encoding: .utf8)
        var text = "name,no,street,line2,suburb,state\n"
        for r in Self.rows { text += "ann lee," + r.joined(separator: ",") + "\n" }
        try text.write(to: five, atomically: true, encoding: .utf8)
        let loaded = try RecordLoader().load([
            try RecordSource(path: one.path, columns: "name=name,address=addr"),
            try RecordSource(path: five.path, columns: "name=name,address=no,address=street,address=line2,address=suburb,address=state"),
        ])
        let all = loaded.table
        #expect(all.count == 7 && all.addressPartStart.count == 8)
        #expect(all.addressParts(0).isEmpty && all.addressParts(1).count == 5)
        #expect(all.addresses.text[Int(all.address[2])] == "62matinastascotparkwa")
        // Records 1... of the table are the rows above; gathering keeps their parts.
        let t = all.gathering(Array(1...6))
        #expect(t.addressPartStart.count == 7 && t.addressPartPool.count == 30)
        Self.expectPartLevels(try Self.levels(t))
    }

    @Test func appendedBatchesKeepParts() throws {
        var batch = RecordBatch(source: "x", roles: [.name, .address, .address, .address, .address, .address])
        for (k, r) in Self.rows.enumerated() {
            batch.rows.append(k + 1)
            batch.values.append(["ann lee"] + r)
        }
        var t = RecordTable()
        let s = t.addSource("x")
        try RecordAppender().append(batch, source: s, to: &t)
        #expect(t.count == 6 && t.addressPartPool.count == 30)
        Self.expectPartLevels(try Self.levels(t))
    }

    @Test func bigramsFromBytesAreTheBigramsOfTheScalars() {
        var t = TextTable(addresses: true)
        let long = String(repeating: "宁夏回族自治区固原市原州区南关街道双井社区", count: 4) + "12号楼3单元"
        for text in ["a", "ab", "aaaa", "12 Main Street", "原州区南关街道", "固原市原州区官厅镇后川村3组", long] {
            let id = t.intern(text)!
            var direct: [UInt32] = [], scalars: [UInt32] = []
            t.bigrams(of: id, into: &direct)
            t.appendScalars(of: id, to: &scalars)
            let n = scalars.count
            TextTable.bigramsInPlace(&scalars)
            #expect(direct == scalars, "\(text)")
            #expect(direct == direct.sorted() && Set(direct).count == direct.count)
            #expect(direct.count <= max(1, n - 1) && !direct.isEmpty)
        }
        #expect(TextTable.dice([1, 2, 3], [2, 3, 4]) == 2.0 * 2 / 6)
    }

    /// The comparator's Dice (two hash sets, the first kept while it starts pairs) is the Dice
    /// of the two sorted bigram lists, whatever the lengths (the sets grow past 128 characters),
    /// repeats and order of the values.
    @Test func bigramSetDiceIsTheSortedListsDice() {
        var t = TextTable(addresses: true)
        var rng = SeededGenerator(seed: 7)
        let alphabet = Array("固原市原州区南关街道官厅镇后川村组号楼单元室哈") + ["1", "2", "3", "a"]
        var texts = ["a", "ab", "哈哈哈哈", "原州区南关街道", "北京市朝阳区", "北京市海淀区", "固原市原州区官厅镇后川村3组"]
        for _ in 0..<200 {
            let length = Int.random(in: 1...40, using: &rng)
            texts.append(String((0..<length).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &rng)] }))
        }
        texts.append(String(repeating: "原州区南关街道", count: 60))   // 420 characters: the sets grow
        texts.append(String(repeating: "原州区南关街道", count: 59) + "官厅镇")
        let ids = texts.map { t.intern($0)! }
        var sets = BigramSets()
        var a: [UInt32] = [], b: [UInt32] = []
        var compared = 0
        for i in ids.indices {
            for j in ids.indices where j % 7 == i % 7 || j >= ids.count - 3 {
                t.bigrams(of: ids[i], into: &a)
                t.bigrams(of: ids[j], into: &b)
                #expect(t.bigramDice(ids[i], ids[j], sets: &sets) == TextTable.dice(a, b), "\(texts[i]) / \(texts[j])")
                compared += 1
            }
        }
        #expect(compared > 6000)
        let chaoyang = t.intern("北京市朝阳区")!, haidian = t.intern("北京市海淀区")!, haha = t.intern("哈哈")!, hahaha = t.intern("哈哈哈哈")!
        #expect(t.bigramDice(chaoyang, haidian, sets: &sets) == 0.4)
        #expect(t.bigramDice(hahaha, haha, sets: &sets) == 1)
    }
}
