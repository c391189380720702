import Foundation
import Synchronization
import Testing
import ZhaorenTestSupport
@testable import Zhaoren
import ZhaorenSupport

/// The one CSV writer: quoting, numbers, formula neutralization, encodings, and that the
/// reader reads back exactly what it writes.
@Suite struct CSVWriterTests {
    func text(_ build: (inout CSVRow) -> Void) -> String {
        var row = CSVRow()
        build(&row)
        return String(decoding: row.bytes, as: UTF8.self)
    }

    @Test func quotesFieldsOnlyWhenNeeded() {
        #expect(CSVRow.quoted("张伟") == "张伟")
        #expect(CSVRow.quoted("a,b") == "\"a,b\"")
        #expect(CSVRow.quoted("王\"伟") == "\"王\"\"伟\"")
        #expect(CSVRow.quoted("line\nbreak") == "\"line\nbreak\"")
        #expect(CSVRow.quoted("cr\r") == "\"cr\r\"")
    }

    @Test func formatsNumbersStraightIntoBytes() {
        #expect(text { $0.decimal(0.98766, places: 4) } == "0.9877")
        #expect(text { $0.decimal(1, places: 4) } == "1")
        #expect(text { $0.decimal(0.5, places: 4) } == "0.5")
        #expect(text { $0.decimal(0.05, places: 4) } == "0.05")
        #expect(text { $0.decimal(-0.25, places: 4) } == "-0.25")
        #expect(text { $0.decimal(-0.00001, places: 4) } == "0")
        #expect(text { $0.decimal(.nan, places: 4) } == "")
        #expect(text { $0.int(0); $0.int(-42); $0.int(1_214_000); $0.int(7, width: 3) } == "0,-42,1214000,007")
        #expect(text { $0.fixed(0.1234567, decimals: 6); $0.fixed(-2.5, decimals: 3); $0.fixed(-0.0001, decimals: 3) }
                == "0.123457,-2.500,0.000")
        #expect(text { $0.fixed(.infinity, decimals: 3); $0.fixed(-.infinity, decimals: 3); $0.fixed(.nan, decimals: 3) } == "inf,-inf,nan")
        #expect(text { $0.date(CivilDate(year: 985, month: 3, day: 7)!) } == "0985-03-07")
        #expect(text { $0.field("a\"b"); $0.joined(2, separator: 0x3B) { i, b in b += Array(["x", "y,z"][i].utf8) } }
                == "\"a\"\"b\",\"x;y,z\"")
    }

    @Test func theCursorFormatsAsTheBuilderDoes() {
        // Numbers of every size and sign, through both writers: the same bytes.
        var generator = SeededGenerator(seed: 11)
        var ints: [Int] = [0, 1, -1, 9, 10, -10, 99_999, Int.max, Int.min + 1, Int.min]
        // Rounding boundaries (x.xxx5), large magnitudes a weight never reaches, and non-finite values.
        var doubles: [Double] = [0, -0.0, -0.0004, 0.0005, 2.0005, -1.0005, 0.1235, 0.4999995, -2.5, 1e-9,
                                 123_456.789_5, 1e12, -9e12, .infinity, -.infinity, .nan]
        for _ in 0..<500 {
            ints.append(Int.random(in: -1_000_000_000...1_000_000_000, using: &generator))
            doubles.append(Double.random(in: -60...60, using: &generator))
        }
        var row = CSVRow()
        for v in ints { row.int(v); row.int(v % 1000, width: 4) }
        for v in doubles { row.fixed(v, decimals: 3); row.fixed(v, decimals: 6) }
        row.plain(bytes: Array("\"a,b\"".utf8))
        row.endRecord()
        let cell = Array("\"a,b\"".utf8)
        let fast = CSVRow.formatted(capacity: 64 * (ints.count + doubles.count) + 16) { c in
            var first = true
            func comma() { if !first { c.comma() }; first = false }
            for v in ints { comma(); c.digits(v); comma(); c.digits(v % 1000, width: 4) }
            for v in doubles { comma(); c.fixed(v, decimals: 3); comma(); c.fixed(v, decimals: 6) }
            comma()
            cell.withUnsafeBufferPointer { c.plain($0) }
            c.newline()
        }
        #expect(fast == row.bytes)
        #expect(String(decoding: CSVRow.formatted(capacity: 32) { c in c.digits(7, width: 3); c.comma(); c.fixed(-0.5, decimals: 2) },
                       as: UTF8.self) == "007,-0.50")
        #expect(String(decoding: CSVRow.formatted(capacity: 64) { c in c.digits(-5, width: 3); c.comma(); c.digits(Int.min) },
                       as: UTF8.self) == "-005,-9223372036854775808")
        #expect(CSVRow.formatted(capacity: 0) { _ in }.isEmpty)
    }

    @Test func streamHandsResultsOverInOrderOneAtATime() {
        // 1,000 results in waves of 7: consumed in order of k, never two at once, all of them
        // before `stream` returns — from the calling thread and from a task of the pool (where
        // the clusters are written beside the pairs).
        @Sendable func run() -> (seen: [Int], overlapped: Bool) {
            let busy = Mutex(false)
            var seen: [Int] = [], overlapped = false
            Parallel.stream(1000, wave: 7, { k in k * 3 }) { value in
                if busy.withLock({ b -> Bool in defer { b = true }; return b }) { overlapped = true }
                seen.append(value)
                busy.withLock { $0 = false }
            }
            return (seen, overlapped)
        }
        let expected = (0..<1000).map { $0 * 3 }
        let here = run()
        #expect(here.seen == expected && !here.overlapped)
        let (background, foreground) = Parallel.overlap({ run().seen }, while: { run().seen })
        #expect(background == expected && foreground == expected)
        var none = 0
        Parallel.stream(0, wave: 4, { $0 }) { _ in none += 1 }
        #expect(none == 0)
    }

    @Test func neutralizesFormulasButNotNumbers() {
        #expect(text { $0.field("=SUM(A1)"); $0.field("@cmd"); $0.field("-2+3"); $0.field("+86 138") } == "'=SUM(A1),'@cmd,'-2+3,'+86 138")
        #expect(text { $0.field("-3.5"); $0.field("+8613812345678"); $0.field("-"); $0.field("a=b") } == "-3.5,+8613812345678,-,a=b")
        #expect(text { $0.field("=a,b") } == "\"'=a,b\"")
        var raw = CSVRow(neutralizesFormulas: false)
        raw.field("=SUM(A1)")
        #expect(String(decoding: raw.bytes, as: UTF8.self) == "=SUM(A1)")
    }

    @Test func readerReadsBackWhatTheWriterWrote() throws {
        let folder = try Scratch.folder("csv-writer")
        defer { Scratch.remove(folder) }
        let rows = [["key", "label"], ["a,b", "x\"y"], ["multi\nline", "z"], ["张伟", ""]]
        for encoding in CSVWriter.Encoding.allCases {
            let url = folder.appendingPathComponent("t-\(encoding).csv")
            let out = try CSVWriter(url, byteOrderMark: true, encoding: encoding)
            for r in rows { out.writeRow(r) }
            try out.commit()
            let reader = try CSVReader(url: url)
            #expect(reader.header == rows[0])
            var back: [[String]] = []
            try reader.forEachBatch { batch throws(ZhaorenError) in
                for row in batch { back.append((0..<row.count).map { row.string($0) }) }
            }
            #expect(back == Array(rows.dropFirst()))
            #expect(reader.encoding == (encoding == .utf8 ? .utf8 : .gb18030))
        }
    }

    @Test func nothingAppearsUntilCommitAndADiscardLeavesNothing() throws {
        let folder = try Scratch.folder("csv-writer-commit")
        defer { Scratch.remove(folder) }
        let url = folder.appendingPathComponent("out.csv")
        let out = try CSVWriter(url, header: ["a"])
        out.writeRow(["1"])
        #expect(!FileManager.default.fileExists(atPath: url.path))
        #expect(out.dataRowCount == 1)
        try out.commit()
        #expect(try String(contentsOf: url, encoding: .utf8) == "a\n1\n")
        let other = try CSVWriter(folder.appendingPathComponent("gone.csv"))
        other.writeRow(["x"])
        other.discard()
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["out.csv"])
    }
}
