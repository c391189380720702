import Foundation
import Testing
import ZhaorenTestSupport
import Zhaoren
import ZhaorenSupport
@testable import ZhaorenCoverage

/// Reading a month's snapshot for a population base's update: every row hashed, only the rows
/// whose content the base does not hold decoded.
@Suite struct IncrementalReadTests {
    /// A register with a repeated row, spaces around values (trimmed when read) and a blank.
    static let text = """
        姓名,身份证号码,联系电话,户籍地址
        张伟,640402199001011234,13800000001,原州区南关街道
        李娜,640402198502022345,13800000002,原州区南关街道
        张伟,640402199001011234,13800000001,原州区南关街道
         王芳　,640402198003033456,,西吉县吉强镇
        李娜,640402198502022345,13800000002,原州区南关街道
        赵敏,640402199504044567,13800000004,隆德县城关镇

        """

    static func source(in folder: URL) throws -> CoverageSource {
        let url = folder.appendingPathComponent("police.csv")
        try text.write(to: url, atomically: true, encoding: .utf8)
        return CoverageSource(name: "police", path: url.path, kind: .population,
                              columns: ["name": "姓名", "id": "身份证号码", "phone": "联系电话", "address": "户籍地址"])
    }

    @Test func unchangedRowsAreHashedButNotKept() throws {
        let folder = try Scratch.folder("incremental-read")
        defer { Scratch.remove(folder) }
        let source = try Self.source(in: folder)
        let whole = try SourceTable.read(source, rejects: nil)
        let hashes = whole.rowHashes()
        #expect(whole.count == 6 && hashes.count == 6)
        // Equal rows hash alike; the spaces around 王芳 are not part of her content.
        #expect(hashes[0] == hashes[2] && hashes[1] == hashes[4])
        #expect(Set(hashes).count == 4)
        #expect(whole.value("name", row: 3) == "王芳")

        // Nothing held: every row kept, hashes and rows as the whole reading's.
        let all = try SourceTable.read(source, rejects: nil, unchanged: [:])
        #expect(all.hashes == hashes && all.rows == whole.rows && all.kept == [0, 1, 2, 3, 4, 5])
        #expect((0..<6).map { all.table.fields(row: $0) } == (0..<6).map { whole.fields(row: $0) })

        // The base holds one 张伟 row (of two), both 李娜 rows and 王芳: the first 张伟 and the
        // 李娜 rows are skipped; the second 张伟 and 赵敏 are new.
        let held: ContentCounts = [hashes[0]: 1, hashes[1]: 2, hashes[3]: 1]
        let changes = try SourceTable.read(source, rejects: nil, unchanged: held)
        #expect(changes.hashes == hashes)
        #expect(changes.rows == whole.rows)
        #expect(changes.kept == [-1, -1, 0, -1, -1, 1])
        #expect(changes.table.count == 2 && changes.table.rows == [whole.rows[2], whole.rows[5]])
        #expect(changes.table.fields(row: 0) == whole.fields(row: 2))
        #expect(["name", "id", "phone", "address"].map { changes.table.value($0, row: 1) }
                == ["赵敏", "640402199504044567", "13800000004", "隆德县城关镇"])
        // The kept rows hash as they did in the whole reading.
        #expect(changes.table.rowHashes() == [hashes[2], hashes[5]])
        // A table read whole is its own change set.
        let wholeChanges = SourceChanges(whole: whole)
        #expect(wholeChanges.hashes == hashes && wholeChanges.kept == [0, 1, 2, 3, 4, 5])
    }

    @Test func contentCountsGiveEachHeldRowOnce() {
        // 0, 64 and -64 share a slot of a small table; 7 is held twice.
        var held = ContentCounts([0, 64, -64, 7, 7, Int64.min])
        #expect(held.take(64) && !held.take(64))
        #expect(held.take(7) && held.take(7) && !held.take(7))
        #expect(held.take(-64) && held.take(0) && held.take(Int64.min))
        #expect(!held.take(0) && !held.take(128) && !held.take(1))
        var literal: ContentCounts = [5: 2, 9: 1]
        #expect(literal.take(5) && literal.take(5) && !literal.take(5) && literal.take(9) && !literal.take(9))
        var none: ContentCounts = [:]
        let fromNone = none.take(0)
        #expect(!fromNone)
        // A large table: every one of 100,000 distinct hashes once, nothing else.
        let many = (0..<100_000).map { Int64(bitPattern: StableHash.finalize(UInt64($0))) }
        var big = ContentCounts(many)
        var taken = 0, again = 0
        for hash in many where big.take(hash) { taken += 1 }
        for hash in many.prefix(1000) where big.take(hash) { again += 1 }
        #expect(taken == many.count && again == 0)
    }

    @Test func severalSourcesComeBackInOrderWithTheirRejects() throws {
        let folder = try Scratch.folder("incremental-read-many")
        defer { Scratch.remove(folder) }
        let police = try Self.source(in: folder)
        let bad = folder.appendingPathComponent("survey.csv")
        try "姓名,身份证号码\n张伟,640402199001011234\n李娜,640402198502022345,多余,多余\n".write(to: bad, atomically: true, encoding: .utf8)
        let survey = CoverageSource(name: "survey", path: bad.path, kind: .population, columns: ["name": "姓名", "id": "身份证号码"])
        let reads = try SourceTable.read([survey, police], rejects: nil, unchanged: [[:], [:]])
        #expect(reads.map(\.table.source.name) == ["survey", "police"])
        #expect(reads[0].hashes.count == 1 && reads[1].hashes.count == 6)
        #expect(reads[0].table.rejected.map(\.reason) == [.raggedRow])
    }
}
