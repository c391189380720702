import Foundation
import Testing
@testable import ZhaorenKeyed
import Zhaoren
import ZhaorenTestSupport

/// Pairs of generated records, each pair one typo class apart, encoded and compared.
enum TypoPairs {
    static let columns = "name=姓名,id=身份证号,birth=出生日期,sex=性别,phone=电话,address=地址"
    static let header = "姓名,身份证号,出生日期,性别,电话,地址"
    /// (what the pair shows, first row, second row); rows of a pair share a birth year, as
    /// salted names compare only within a year.
    static let pairs: [(String, String, String)] = [
        ("homophone surname", "张伟,640402198503120013,1985-03-12,男,13912345678,原州区南关街道1号",
         "章伟,640402198503120013,1985-03-12,男,13912345678,原州区南关街道1号"),
        ("one-digit ID typo", "李秀英,640402196207103922,1962-07-10,女,13800001111,西吉县吉强镇2号",
         "李秀英,640402196207108922,1962-07-10,女,13800001111,西吉县吉强镇2号"),
        ("transposed ID digits", "马建国,640422197001015214,1970-01-01,男,13700002222,隆德县城关镇3号",
         "马建国,640422197001015124,1970-01-01,男,13700002222,隆德县城关镇3号"),
        ("swapped month and day", "杨桂兰,64042319580511002X,1958-05-11,女,,泾源县香水镇4号",
         "杨桂兰,64042319580511002X,1958-11-05,女,,泾源县香水镇4号"),
        ("phone typo", "苏立伟,640425199012120819,1990-12-12,男,13512345678,彭阳县白阳镇5号",
         "苏立伟,,1990-12-12,男,13512346678,彭阳县白阳镇5号"),
        ("traditional characters", "阎天,640402200209113859,2002-09-11,男,,原州区开城镇6号",
         "閻天,640402200209113859,2002-09-11,男,,原州区开城镇6号"),
        ("one character apart", "海晓明,640402197707070711,1977-07-07,男,,原州区三营镇7号",
         "海晓东,640402197707070711,1977-07-07,男,,原州区三营镇7号"),
        ("fuzzy pinyin (n/l)", "刘兰,640402198808080825,1988-08-08,女,,原州区头营镇8号",
         "刘南,640402198808080825,1988-08-08,女,,原州区头营镇8号"),
        ("birth one digit apart", "拓芳,64040219910203002X,1991-02-03,女,,原州区彭堡镇9号",
         "拓芳,64040219910203002X,1991-02-08,女,,原州区彭堡镇9号"),
    ]

    static func write(_ rows: [String], to url: URL) throws {
        try (([header] + rows).joined(separator: "\n") + "\n").write(to: url, atomically: true, encoding: .utf8)
    }

    static var rows: [String] { pairs.flatMap { [$0.1, $0.2] } }
    static let key = try! LinkageKey(bytes: Array(0..<32))
}

@Suite struct KeyedEncodingTests {
    /// The comparison levels of every pair, from values and from tokens.
    func levels() throws -> (plain: [UInt64], encoded: [UInt64], specs: [ComparisonSpec]) {
        let folder = try Scratch.folder("typos")
        defer { Scratch.remove(folder) }
        let input = folder.appendingPathComponent("people.csv")
        try TypoPairs.write(TypoPairs.rows, to: input)
        let source = try RecordSource(path: input.path, columns: TypoPairs.columns)
        let plain = try RecordLoader().load([source])
        let specs = ComparisonSpec.defaults(for: plain.roles)
        let encodedURL = folder.appendingPathComponent("people.enc.csv")
        let summary = try KeyedEncoder(key: TypoPairs.key).encode(source, to: encodedURL)
        #expect(summary.rowsEncoded == TypoPairs.rows.count)
        let encoded = try LinkPipeline.loadEncoded([encodedURL], names: ["people"])
        #expect(encoded.roles == plain.roles)
        let a = try Comparator(specs: specs, table: plain.table)
        let b = try Comparator(specs: specs, table: encoded.table)
        var scratch = KernelScratch()
        var p: [UInt64] = [], e: [UInt64] = []
        for k in TypoPairs.pairs.indices {
            p.append(a.pattern(2 * k, 2 * k + 1, scratch: &scratch))
            e.append(b.pattern(2 * k, 2 * k + 1, scratch: &scratch))
        }
        return (p, e, specs)
    }

    @Test func everyTypoClassKeepsItsLevel() throws {
        let (plain, encoded, specs) = try levels()
        let names = specs.map(\.name)
        func level(_ pattern: UInt64, _ comparison: String) -> String {
            let c = names.firstIndex(of: comparison)!
            return specs[c].kind.levelNames[Comparator.level(pattern, c)]
        }
        for (k, pair) in TypoPairs.pairs.enumerated() {
            #expect(encoded[k] == plain[k], "\(pair.0): tokens give other levels than values")
        }
        // And the levels are the ones each typo class should reach.
        #expect(level(encoded[0], "name") == "same_pinyin")
        #expect(level(encoded[1], "id") == "one_substitution_or_transposition")
        #expect(level(encoded[2], "id") == "one_substitution_or_transposition")
        #expect(level(encoded[3], "birth") == "month_day_swapped")
        #expect(level(encoded[4], "phone") == "one_edit")
        #expect(level(encoded[5], "name") == "equal_after_folding")
        #expect(level(encoded[6], "name") == "one_character_apart")
        #expect(level(encoded[7], "name") == "same_fuzzy_pinyin")
        #expect(level(encoded[8], "birth") == "one_digit_apart")
        #expect(level(encoded[0], "id") == "exact" && level(encoded[0], "address") == "exact")
    }

    @Test func namesOfDifferentBirthYearsAreMissingNotDifferent() throws {
        let folder = try Scratch.folder("salt")
        defer { Scratch.remove(folder) }
        let input = folder.appendingPathComponent("people.csv")
        try TypoPairs.write(["王伟,,1985-03-12,男,,", "王伟,,1986-03-12,男,,", "王伟,,1985-05-01,男,,"], to: input)
        let source = try RecordSource(path: input.path, columns: TypoPairs.columns)
        let url = folder.appendingPathComponent("people.enc.csv")
        _ = try KeyedEncoder(key: TypoPairs.key).encode(source, to: url)
        let table = try LinkPipeline.loadEncoded([url], names: ["people"]).table
        let specs = ComparisonSpec.defaults(for: [.name, .birth])
        let comparator = try Comparator(specs: specs, table: table)
        var scratch = KernelScratch()
        #expect(Comparator.level(comparator.pattern(0, 1, scratch: &scratch), 0) == 0)   // years differ: no name evidence
        #expect(Comparator.level(comparator.pattern(0, 2, scratch: &scratch), 0) == 7)   // same year: exact
        // The same name in different years gives different tokens: no token counts every 王伟.
        let e = try #require(table.encoded)
        #expect(e.first(.nameFolded, 0) != e.first(.nameFolded, 1))
        #expect(e.first(.nameFolded, 0) == e.first(.nameFolded, 2))
        // Unsalted, the name compares across years.
        let unsalted = folder.appendingPathComponent("unsalted.enc.csv")
        _ = try KeyedEncoder(key: TypoPairs.key, salt: .none).encode(source, to: unsalted)
        let plainNames = try Comparator(specs: specs, table: LinkPipeline.loadEncoded([unsalted], names: ["people"]).table)
        #expect(Comparator.level(plainNames.pattern(0, 1, scratch: &scratch), 0) == 7)
    }

    @Test func theEncodedFileHoldsNoInputValue() throws {
        let folder = try Scratch.folder("novalues")
        defer { Scratch.remove(folder) }
        let input = folder.appendingPathComponent("people.csv")
        try TypoPairs.write(TypoPairs.rows, to: input)
        let url = folder.appendingPathComponent("people.enc.csv")
        _ = try KeyedEncoder(key: TypoPairs.key).encode(try RecordSource(path: input.path, columns: TypoPairs.columns), to: url)
        let bytes = try Data(contentsOf: url)
        let text = String(decoding: bytes, as: UTF8.self)
        // ASCII only: no name or address in any form.
        #expect(bytes.allSatisfy { $0 < 0x80 })
        var checked = 0
        for row in TypoPairs.rows {
            for value in row.split(separator: ",") where value.count >= 4 {
                let digits = value.filter(\.isNumber)
                #expect(!text.contains(value), "\(value) appears in the encoded file")
                if digits.count >= 6 { #expect(!text.contains(digits)); checked += 1 }
            }
        }
        #expect(checked >= 25)   // IDs, phones and dates were looked for
        // Every data line: row number, flags, then runs of 11-character tokens.
        let lines = text.split(separator: "\n")
        #expect(lines.count == TypoPairs.rows.count + 2)
        for line in lines.dropFirst(2) {
            let cells = line.split(separator: ",", omittingEmptySubsequences: false)
            #expect(cells.count == EncodedFile.columnNames.count)
            #expect(cells.dropFirst(2).allSatisfy { $0.count % EncodedFile.tokenWidth == 0 })
        }
    }

    @Test func tokensRoundTripThroughTheirText() {
        for v: UInt64 in [0, 1, 0xFFFF_FFFF_FFFF_FFFF, 0x0123_4567_89AB_CDEF, 1 << 63] {
            var out: [UInt8] = []
            EncodedFile.appendToken(v, to: &out)
            #expect(out.count == 11)
            var back: [UInt64] = []
            let ok = out.withUnsafeBufferPointer { EncodedFile.decodeTokens($0, into: &back) }
            #expect(ok && back == [v])
        }
        var back: [UInt64] = []
        let bad = Array("AAAAAAAAAAB".utf8)   // the last character's low bits must be zero
        #expect(!bad.withUnsafeBufferPointer { EncodedFile.decodeTokens($0, into: &back) })
    }

    @Test func keysAreWrittenPrivatelyReadBackAndNeverOverwritten() throws {
        let folder = try Scratch.folder("keys")
        defer { Scratch.remove(folder) }
        let url = folder.appendingPathComponent("city.key")
        let key = LinkageKey.generate()
        try key.write(to: url)
        let mode = try #require(try FileManager.default.attributesOfItem(atPath: url.path)[.posixPermissions] as? Int)
        #expect(mode & 0o077 == 0)
        #expect(try LinkageKey(contentsOf: url).fingerprint == key.fingerprint)
        #expect(key.fingerprint != LinkageKey.generate().fingerprint)
        #expect(key.fingerprint.count == 16)
        #expect(throws: ZhaorenError.self) { try LinkageKey.generate().write(to: url) }
        #expect(try LinkageKey(contentsOf: url).fingerprint == key.fingerprint)   // untouched
    }

    @Test func missingAndMalformedKeysAreRefusedWithoutShowingThem() throws {
        let folder = try Scratch.folder("badkeys")
        defer { Scratch.remove(folder) }
        let missing = folder.appendingPathComponent("none.key")
        let e1 = #expect(throws: ZhaorenError.self) { try LinkageKey(contentsOf: missing) }
        #expect(e1?.description.contains("keygen") == true)
        let bad = folder.appendingPathComponent("bad.key")
        let secret = "zhaoren-key-v1:" + String(repeating: "g1", count: 32)
        try secret.write(to: bad, atomically: true, encoding: .utf8)
        let e2 = #expect(throws: ZhaorenError.self) { try LinkageKey(contentsOf: bad) }
        #expect(e2?.description.contains("hexadecimal") == true)
        #expect(e2?.description.contains("g1g1") == false)
        let short = folder.appendingPathComponent("short.key")
        try "zhaoren-key-v1:abcd\n".write(to: short, atomically: true, encoding: .utf8)
        #expect(throws: ZhaorenError.self) { try LinkageKey(contentsOf: short) }
    }

    @Test func filesOfDifferentKeysPlaintextAndDamagedLinesAreRefused() throws {
        let folder = try Scratch.folder("refusals")
        defer { Scratch.remove(folder) }
        let input = folder.appendingPathComponent("people.csv")
        try TypoPairs.write(TypoPairs.rows, to: input)
        let source = try RecordSource(path: input.path, columns: TypoPairs.columns)
        let a = folder.appendingPathComponent("a.csv"), b = folder.appendingPathComponent("b.csv")
        _ = try KeyedEncoder(key: TypoPairs.key).encode(source, to: a)
        _ = try KeyedEncoder(key: LinkageKey.generate()).encode(source, to: b)
        let other = #expect(throws: ZhaorenError.self) { try LinkPipeline().link(encoded: a, b) }
        #expect(other?.description.contains("another key") == true)
        // Different salts are refused too.
        let c = folder.appendingPathComponent("c.csv")
        _ = try KeyedEncoder(key: TypoPairs.key, salt: .none).encode(source, to: c)
        #expect(throws: ZhaorenError.self) { try LinkPipeline().link(encoded: a, c) }
        // A plaintext file passed as encoded.
        let plain = #expect(throws: ZhaorenError.self) { try LinkPipeline().dedupe(encoded: input) }
        #expect(plain?.description.contains("not a keyed-encoded file") == true)
        #expect(plain?.line == 1)
        // A damaged line is set aside with its line and column; the others are read.
        var lines = try String(contentsOf: a, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var cells = lines[4].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        cells[9] = "not*a*token"          // the id column (10th)
        lines[4] = cells.joined(separator: ",")
        lines[6] = "7,3,short"
        try lines.joined(separator: "\n").write(to: a, atomically: true, encoding: .utf8)
        var tokens = EncodedColumns.Builder()
        var rows: [UInt32] = []
        let read = try EncodedFile.read(a, source: "a", into: &tokens, rows: &rows)
        #expect(rows.count == TypoPairs.rows.count - 2 && tokens.count == rows.count)
        #expect(!rows.contains(3) && !rows.contains(5) && rows.contains(4))   // lines 5 and 7 hold rows 3 and 5
        #expect(read.rejects.count == 2)
        #expect(read.rejects[0].line == 5 && read.rejects[0].column == 10 && read.rejects[0].reason == .invalidToken)
        #expect(read.rejects[0].detail.hasPrefix("id:"))
        #expect(read.rejects[1].line == 7 && read.rejects[1].reason == .raggedRow)
        #expect(read.statistics.rowsRejected == 2)
    }
}
