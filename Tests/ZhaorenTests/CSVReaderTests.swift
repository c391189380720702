import Foundation
import Testing
import ZhaorenTestSupport
import Zhaoren
import ZhaorenSupport

/// Writes bytes to a temporary file and reads everything back through ``CSVReader``.
enum ReadFixture {
    struct Result {
        var header: [String]
        var rows: [[String]] = []
        var numbers: [Int] = []
        var lines: [Int] = []
        var rejects: [RejectedRow] = []
        var statistics = ReadStatistics()
    }

    /// Writes `bytes` to `name` in a fresh folder inside ``Scratch/root``; the test removes it
    /// with `defer { ReadFixture.remove(url) }`.
    static func file(_ bytes: [UInt8], _ name: String = "input.csv") throws -> URL {
        let folder = try Scratch.folder("read")
        let url = folder.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url
    }

    /// Removes the folder ``file(_:_:)`` made for `url`.
    static func remove(_ url: URL) {
        Scratch.remove(url.deletingLastPathComponent())
    }

    static func read(_ bytes: [UInt8], options: CSVReader.Options = .init()) throws -> Result {
        var options = options
        options.sourceName = options.sourceName ?? "input.csv"
        let url = try file(bytes)
        defer { remove(url) }
        let reader = try CSVReader(url: url, options: options)
        var result = Result(header: reader.header)
        while let batch = try reader.nextBatch() {
            for row in batch {
                result.rows.append((0..<row.count).map { row.string($0) })
                result.numbers.append(row.number)
                result.lines.append(row.line)
            }
            result.rejects += batch.rejects
        }
        result.statistics = reader.statistics
        return result
    }

    static func read(_ text: String, options: CSVReader.Options = .init()) throws -> Result {
        try read(Array(text.utf8), options: options)
    }
}

@Suite struct CSVReaderTests {
    @Test func plainRowsWithHeader() throws {
        let r = try ReadFixture.read("姓名,身份证号\n张三,110105194912310021\n李四,11010519491231002X\n")
        #expect(r.header == ["姓名", "身份证号"])
        #expect(r.rows == [["张三", "110105194912310021"], ["李四", "11010519491231002X"]])
        #expect(r.numbers == [1, 2])
        #expect(r.lines == [2, 3])
        #expect(r.statistics.rowsRead == 2)
        #expect(r.statistics.rowsAccepted == 2)
        #expect(r.statistics.format == .csv)
        #expect(r.statistics.encoding == .utf8)
    }

    @Test func quotedFieldsAndDoubledQuotes() throws {
        let r = try ReadFixture.read("a,b,c\n\"x, y\",\"say \"\"hi\"\"\",\"\"\n\"\"\"\",plain,\"q\"\n")
        #expect(r.rows == [["x, y", "say \"hi\"", ""], ["\"", "plain", "q"]])
        #expect(r.rejects.isEmpty)
    }

    @Test func embeddedNewlinesKeepLineNumbersRight() throws {
        // Row 1 spans lines 2-4 (an LF and a CRLF inside quotes); row 2 starts on line 5.
        let r = try ReadFixture.read("name,address\n张三,\"第一行\n第二行\r\n第三行\"\n李四,\"a,b\"\n王五,c\n")
        #expect(r.rows == [["张三", "第一行\n第二行\r\n第三行"], ["李四", "a,b"], ["王五", "c"]])
        #expect(r.numbers == [1, 2, 3])
        #expect(r.lines == [2, 5, 6])
    }

    @Test(arguments: ["\n", "\r\n", "\r"])
    func lineEndings(_ eol: String) throws {
        let r = try ReadFixture.read("a,b" + eol + "1,2" + eol + "3,4" + eol)
        #expect(r.header == ["a", "b"])
        #expect(r.rows == [["1", "2"], ["3", "4"]])
        #expect(r.lines == [2, 3])
        #expect(r.statistics.blankLines == 0)
    }

    @Test func mixedLineEndingsAndLoneCRInsideQuotes() throws {
        let r = try ReadFixture.read("a,b\r\n1,\"x\ry\"\n2,z\r3,w")
        #expect(r.rows == [["1", "x\ry"], ["2", "z"], ["3", "w"]])
        #expect(r.lines == [2, 4, 5])
    }

    @Test func byteOrderMarkIsStripped() throws {
        let r = try ReadFixture.read([0xEF, 0xBB, 0xBF] + Array("姓名,性别\n张三,男\n".utf8))
        #expect(r.header == ["姓名", "性别"])
        #expect(r.rows == [["张三", "男"]])
        #expect(r.statistics.sawByteOrderMark)
        #expect(r.statistics.encoding == .utf8)
    }

    @Test func headerNamesAreTrimmed() throws {
        let r = try ReadFixture.read(" 姓名 ,\u{3000}电话\t\n张三,139\n")
        #expect(r.header == ["姓名", "电话"])
    }

    @Test func emptyFieldsAndTrailingDelimiter() throws {
        let r = try ReadFixture.read("a,b,c\n,,\n1,,\n,,3\n")
        #expect(r.rows == [["", "", ""], ["1", "", ""], ["", "", "3"]])
    }

    @Test func noTrailingNewline() throws {
        let r = try ReadFixture.read("a,b\n1,2\n3,4")
        #expect(r.rows == [["1", "2"], ["3", "4"]])
        let q = try ReadFixture.read("a,b\n1,\"2\"")
        #expect(q.rows == [["1", "2"]])
    }

    @Test func blankLinesAreSkippedAndCounted() throws {
        let r = try ReadFixture.read("\na,b\n\n1,2\r\n\r\n3,4\n\n")
        #expect(r.header == ["a", "b"])
        #expect(r.rows == [["1", "2"], ["3", "4"]])
        #expect(r.numbers == [1, 2])
        #expect(r.lines == [4, 6])
        #expect(r.statistics.blankLines == 4)
    }

    @Test func emptyFile() throws {
        let r = try ReadFixture.read("")
        #expect(r.header.isEmpty)
        #expect(r.rows.isEmpty)
        #expect(r.statistics.rowsRead == 0)
    }

    @Test func headerOnlyFile() throws {
        for text in ["a,b", "a,b\n", "a,b\r\n"] {
            let r = try ReadFixture.read(text)
            #expect(r.header == ["a", "b"])
            #expect(r.rows.isEmpty)
            #expect(r.rejects.isEmpty)
        }
    }

    @Test func tsvIsDetectedFromTheHeader() throws {
        let r = try ReadFixture.read("姓名\t地址\n张三\t北京市,朝阳区\n李四\t\"a\tb\"\n")
        #expect(r.statistics.format == .tsv)
        #expect(r.header == ["姓名", "地址"])
        #expect(r.rows == [["张三", "北京市,朝阳区"], ["李四", "a\tb"]])
    }

    @Test func formatCanBeForced() throws {
        // One column by force: the tab is data.
        let r = try ReadFixture.read("a\tb,c\n1\t2,3\n", options: .init(encoding: .auto, format: .csv))
        #expect(r.header == ["a\tb", "c"])
        #expect(r.rows == [["1\t2", "3"]])
    }

    @Test func raggedRowsAreRejectedAndReadingContinues() throws {
        let r = try ReadFixture.read("a,b,c\n1,2,3\n4,5\n6,7,8,9\n10,11,12\n")
        #expect(r.rows == [["1", "2", "3"], ["10", "11", "12"]])
        #expect(r.numbers == [1, 4])
        #expect(r.rejects.map(\.row) == [2, 3])
        #expect(r.rejects.map(\.line) == [3, 4])
        #expect(r.rejects.map(\.reason) == [.raggedRow, .raggedRow])
        #expect(r.rejects[0].raw == "4,5")
        #expect(r.rejects[0].reasonText == "ragged_row: 2 fields, the header has 3")
        #expect(r.rejects[1].raw == "6,7,8,9")
        #expect(r.rejects[0].source == "input.csv")
        #expect(r.statistics.rowsRead == 4)
        #expect(r.statistics.rowsAccepted + r.statistics.rowsRejected == r.statistics.rowsRead)
        #expect(r.statistics.rejectedByReason == [.raggedRow: 2])
    }

    @Test func unterminatedQuoteAtEndRejectsItsLineAndKeepsTheRest() throws {
        let r = try ReadFixture.read("a,b\n1,2\n3,\"oops\n5,6\n7,8\n")
        #expect(r.rows == [["1", "2"], ["5", "6"], ["7", "8"]])
        #expect(r.lines == [2, 4, 5])
        #expect(r.numbers == [1, 3, 4])
        #expect(r.rejects.count == 1)
        #expect(r.rejects[0].reason == .unterminatedQuote)
        #expect(r.rejects[0].line == 3)
        #expect(r.rejects[0].row == 2)
        #expect(r.rejects[0].raw == "3,\"oops")
    }

    @Test func strayQuoteSwallowingTooMuchIsRejectedAsTooLong() throws {
        var options = CSVReader.Options()
        options.chunkSize = 64
        options.maxRecordBytes = 200
        var text = "a,b\n1,\"never closed\n"
        for i in 0..<100 { text += "\(i),x\n" }
        let r = try ReadFixture.read(text, options: options)
        #expect(r.rejects.first?.reason == .recordTooLong)
        #expect(r.rejects.first?.line == 2)
        #expect(r.rows.count == 100)
        #expect(r.rows.last == ["99", "x"])
        #expect(r.lines.first == 3)
    }

    @Test func missingColumnErrorNamesFileHeaderAndHeadersFound() throws {
        let url = try ReadFixture.file(Array("姓名,证件号码,性别\n张三,1,男\n".utf8))
        defer { ReadFixture.remove(url) }
        let reader = try CSVReader(url: url, options: { var o = CSVReader.Options(); o.sourceName = "people.csv"; return o }())
        do {
            _ = try reader.select(ColumnSpec(parsing: "name=姓名,id=身份证号"))
            Issue.record("expected a missing-column error")
        } catch {
            #expect(error.code == .missingColumn)
            #expect(error.description == #"people.csv:1: no column "身份证号" for role id; the header has "姓名", "证件号码", "性别""#)
        }
    }

    @Test func selectionJoinsMultiColumnRolesAndMatchesByNFKC() throws {
        let url = try ReadFixture.file(Array("姓名,省,市,ＩＤ\n张三,宁夏,固原市,1\n李四,,银川市,2\n".utf8))
        defer { ReadFixture.remove(url) }
        let reader = try CSVReader(url: url)
        let selection = try reader.select(ColumnSpec(parsing: "name=姓名,address=省,address=市,id=id,other_id=#4"))
        #expect(selection.columns == [[0], [1, 2], [3], [3]])
        let batch = try #require(try reader.nextBatch())
        #expect(selection.string(1, in: batch[0]) == "宁夏 固原市")
        #expect(selection.string(1, in: batch[1]) == "银川市")
        #expect(selection.string(2, in: batch[1]) == "2")
    }

    @Test func fieldBytesAreUTF8WithoutCopy() throws {
        let url = try ReadFixture.file(Array("a,b\n张,x\n".utf8))
        defer { ReadFixture.remove(url) }
        let reader = try CSVReader(url: url)
        let batch = try #require(try reader.nextBatch())
        #expect(Array(batch.field(0, 0)) == Array("张".utf8))
        #expect(Array(batch[0][1]) == [UInt8(ascii: "x")])
        #expect(batch.fieldRange(0, 1) == 3..<4)
        #expect(try reader.nextBatch() == nil)
    }

    @Test func manyChunksWithRowsAndCharactersSpanningBoundaries() throws {
        // Tiny chunks and batches force every boundary case: rows, quoted newlines, CRLF pairs
        // and multi-byte characters split across reads.
        var rng = SeededGenerator(seed: 20_261_123)
        let pieces = ["张", "伟", "𠀀", "a", "b", "\"", ",", "\n", "\r\n", " ", "1", "·"]
        var expected: [[String]] = []
        var text = "h1,h2,h3\r\n"
        for _ in 0..<2_000 {
            var row: [String] = []
            for _ in 0..<3 {
                let length = Int.random(in: 0...6, using: &rng)
                row.append((0..<length).map { _ in pieces.randomElement(using: &rng)! }.joined())
            }
            expected.append(row)
            text += row.map { field in
                field.utf8.contains(where: { [0x2C, 0x22, 0x0D, 0x0A].contains($0) }) || field.isEmpty
                    ? "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : field
            }.joined(separator: ",") + (Bool.random(using: &rng) ? "\n" : "\r\n")
        }
        var expectedLines: [Int] = []
        var line = 2
        for row in expected {
            expectedLines.append(line)
            line += 1 + row.joined().utf8.split(omittingEmptySubsequences: false, whereSeparator: { $0 == 0x0A }).count - 1
        }
        for chunk in [64, 97, 1 << 20] {
            var options = CSVReader.Options()
            options.chunkSize = chunk
            options.batchRows = 37
            let r = try ReadFixture.read(text, options: options)
            #expect(r.rejects.isEmpty)
            #expect(r.rows.count == expected.count)
            #expect(r.rows.firstIndex { !expected.contains($0) } == nil)
            #expect(r.rows == expected)
            #expect(zip(r.lines, expectedLines).first { $0 != $1 } == nil)
            #expect(r.statistics.bytes == text.utf8.count)
        }
    }

    @Test func batchesAreBoundedAndRefilled() throws {
        var text = "n,v\n"
        for i in 0..<1_000 { text += "\(i),\(i * 7)\n" }
        let url = try ReadFixture.file(Array(text.utf8))
        defer { ReadFixture.remove(url) }
        var options = CSVReader.Options()
        options.batchRows = 300
        let reader = try CSVReader(url: url, options: options)
        var sizes: [Int] = []
        var sum = 0
        while let batch = try reader.nextBatch() {
            sizes.append(batch.count)
            for row in batch { sum += Int(row.string(1))! }
        }
        #expect(sizes == [300, 300, 300, 100])
        #expect(sum == 7 * 999 * 1_000 / 2)
    }

    @Test func unreadableFileIsAnIOError() {
        #expect(throws: ZhaorenError.self) { try CSVReader(path: "/nonexistent/zhaoren/x.csv") }
    }
}

@Suite struct CSVWriterRoundTripTests {
    @Test func quotesOnlyWhatNeedsQuotingAndRoundTrips() throws {
        let folder = try ReadFixture.file([], "unused").deletingLastPathComponent()
        defer { Scratch.remove(folder) }
        let url = folder.appendingPathComponent("out/written.csv")
        let rows = [["name", "note", "empty"], ["张伟", "says \"hi\", twice", ""], ["a\nb", "x\r\ny", " lead"]]
        let writer = try CSVWriter(url)
        for row in rows { writer.writeRow(row) }
        #expect(!FileManager.default.fileExists(atPath: url.path))   // staged until commit
        try writer.commit()
        let text = try String(contentsOf: url, encoding: .utf8)
        #expect(text == "name,note,empty\n张伟,\"says \"\"hi\"\", twice\",\n\"a\nb\",\"x\r\ny\", lead\n")
        let back = try ReadFixture.read(Array(text.utf8))
        #expect([back.header] + back.rows == rows)
    }

    @Test func rejectWriterWritesItsHeaderAndRows() throws {
        let folder = try ReadFixture.file([], "unused").deletingLastPathComponent()
        defer { Scratch.remove(folder) }
        let url = folder.appendingPathComponent("r.csv")
        let rejects = try RejectWriter(url)
        rejects.write(RejectedRow(source: "in.csv", row: 2, line: 3, column: nil, reason: .raggedRow,
                                  detail: "2 fields, the header has 3", raw: "4,5"))
        rejects.write(RejectedRow(source: "in.csv", row: 5, line: 9, column: 1, reason: .invalidEncoding,
                                  detail: "field 1 is not valid gb18030", raw: "李\\xFF"))
        try rejects.commit()
        #expect(rejects.count == 2)
        let text = try String(contentsOf: url, encoding: .utf8)
        #expect(text == """
            source,row,line,column,reason,raw
            in.csv,2,3,,"ragged_row: 2 fields, the header has 3","4,5"
            in.csv,5,9,1,invalid_encoding: field 1 is not valid gb18030,李\\xFF

            """)
    }
}
