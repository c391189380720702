import Foundation
import Testing
import Zhaoren
import ZhaorenSupport
import ZhaorenICU

@Suite struct EncodingTests {
    let gb: CharsetConverter
    init() throws { gb = try CharsetConverter("GB18030") }

    func gbBytes(_ text: String) throws -> [UInt8] { try #require(gb.encode(text)) }

    @Test func delimitersNeverOccurInsideGB18030MultiByteSequences() throws {
        // Every non-ASCII BMP scalar, plus samples from the supplementary planes: no byte of a
        // multi-byte GB18030 sequence is a comma, tab, quote, CR or LF, so parsing on bytes is safe.
        var scalars = String.UnicodeScalarView()
        for v in 0x80...0xFFFF where !(0xD800...0xDFFF).contains(v) { scalars.append(Unicode.Scalar(UInt32(v))!) }
        for v in stride(from: 0x10000, through: 0x10FFFF, by: 997) { scalars.append(Unicode.Scalar(UInt32(v))!) }
        let bytes = try gbBytes(String(scalars))
        #expect(bytes.count > 2 * 60_000)
        let forbidden: Set<UInt8> = [0x09, 0x0A, 0x0D, 0x22, 0x2C]
        #expect(!bytes.contains(where: forbidden.contains))
        #expect(!bytes.contains(where: { $0 < 0x30 }))   // not even any ASCII punctuation below '0'
    }

    @Test func twoByteTableAgreesWithICUEverywhere() throws {
        var checked = 0
        for lead in 0x81...0xFE {
            for trail in 0x40...0xFE where trail != 0x7F {
                let bytes: [UInt8] = [UInt8(lead), UInt8(trail), 0x41]
                var out: [UInt8] = []
                let icu = gb.decode(bytes)
                if GB18030Table.shared.decode(bytes, into: &out) {
                    #expect(String(decoding: out, as: UTF8.self) == icu, "\(lead) \(trail)")
                    checked += 1
                }
            }
        }
        #expect(checked == 126 * 190)
        var out: [UInt8] = []
        #expect(!GB18030Table.shared.decode([0x95, 0x32, 0x82, 0x36], into: &out))   // four-byte: ICU's job
        #expect(!GB18030Table.shared.decode([0xD5], into: &out))                     // cut short
        #expect(!GB18030Table.shared.decode([0x80], into: &out))
        #expect(out.isEmpty)
    }

    @Test func gb18030IsDetectedAndTranscoded() throws {
        let text = "姓名,身份证号,地址\n張偉,110105491231002,\"宁夏回族自治区,固原市\"\n李·䶮,11010519491231002X,€𠀀\n"
        let r = try ReadFixture.read(try gbBytes(text))
        #expect(r.statistics.encoding == .gb18030)
        #expect(r.statistics.sawNonASCII)
        #expect(r.header == ["姓名", "身份证号", "地址"])
        #expect(r.rows == [["張偉", "110105491231002", "宁夏回族自治区,固原市"], ["李·䶮", "11010519491231002X", "€𠀀"]])
        #expect(r.rejects.isEmpty)
    }

    @Test func gb18030CanBeForced() throws {
        // Short GB18030 text that happens to be valid UTF-8 would be misdetected; forcing wins.
        let bytes = try gbBytes("a,b\n1,2\n")   // ASCII is the same in both
        let r = try ReadFixture.read(bytes + [0xC4, 0xE3, 0x2C, 0x31, 0x0A], options: .init(encoding: .gb18030))
        #expect(r.statistics.encoding == .gb18030)
        #expect(r.rows == [["1", "2"], ["你", "1"]])
    }

    @Test func invalidGB18030ByteRejectsOnlyItsRow() throws {
        var bytes = try gbBytes("姓名,电话\n张三,139\n")
        bytes += try gbBytes("李") + [0xFF] + Array(",138\n".utf8)   // 0xFF is never valid
        bytes += try gbBytes("王五,\"多\n行\"\n赵六,137\n")
        let r = try ReadFixture.read(bytes)
        #expect(r.statistics.encoding == .gb18030)
        #expect(r.rows == [["张三", "139"], ["王五", "多\n行"], ["赵六", "137"]])
        #expect(r.lines == [2, 4, 6])
        #expect(r.numbers == [1, 3, 4])
        #expect(r.rejects.count == 1)
        let reject = try #require(r.rejects.first)
        #expect(reject.reason == .invalidEncoding)
        #expect(reject.line == 3)
        #expect(reject.row == 2)
        #expect(reject.column == 1)
        #expect(reject.raw == "李\\xFF,138")
        #expect(r.statistics.rejectedByReason == [.invalidEncoding: 1])
    }

    @Test func truncatedGB18030SequenceBeforeADelimiterIsRejected() throws {
        var bytes = try gbBytes("姓名,电话\n")
        bytes += [0xD5, 0x2C, 0x31, 0x0A]      // a lead byte cut off by the comma
        bytes += try gbBytes("张三,2\n")
        let r = try ReadFixture.read(bytes, options: .init(encoding: .gb18030))
        #expect(r.rows == [["张三", "2"]])
        #expect(r.rejects.map(\.column) == [1])
        #expect(r.rejects.first?.raw == "\\xD5,1")
    }

    @Test func privateUseCodePointsAreKeptVerbatim() throws {
        let bytes = Array("a\n".utf8) + [0xFE, 0x51] + [0x0A]
        let r = try ReadFixture.read(bytes, options: .init(encoding: .gb18030))
        #expect(r.rows == [["\u{E816}"]])
    }

    @Test func gb18030CharactersSpanningChunkBoundaries() throws {
        var text = "姓名,备注\n"
        var expected: [[String]] = []
        for i in 0..<500 {
            let name = ["张伟", "王芳", "李娜", "欧阳䶮", "𠀀明"][i % 5]
            expected.append([name, "第\(i)行"])
            text += "\(name),第\(i)行\r\n"
        }
        let bytes = try gbBytes(text)
        for chunk in [64, 65, 67, 1 << 20] {
            var options = CSVReader.Options()
            options.chunkSize = chunk
            options.batchRows = 64
            let r = try ReadFixture.read(bytes, options: options)
            #expect(r.statistics.encoding == .gb18030)
            #expect(r.rejects.isEmpty)
            #expect(r.rows == expected)
        }
    }

    @Test func asciiFirstChunkThenGB18030() throws {
        var text = "id,name\n"
        for i in 0..<200 { text += "\(i),abc\n" }
        text += "200,张三\n"
        var options = CSVReader.Options()
        options.chunkSize = 128
        let r = try ReadFixture.read(try gbBytes(text), options: options)
        #expect(r.statistics.encoding == .gb18030)
        #expect(r.rows.last == ["200", "张三"])
        #expect(r.rejects.isEmpty)
    }

    @Test func utf8FileWithOneCorruptByteStaysUTF8() throws {
        var bytes = Array("姓名,地址\n".utf8)
        for i in 0..<40 { bytes += Array("张三\(i),宁夏回族自治区固原市\n".utf8) }
        bytes += Array("李".utf8) + [0xC3, 0x28] + Array(",x\n".utf8)
        bytes += Array("王五,北京\n".utf8)
        let r = try ReadFixture.read(bytes)
        #expect(r.statistics.encoding == .utf8)
        #expect(r.rows.count == 41)
        #expect(r.rows.last == ["王五", "北京"])
        #expect(r.rejects.map(\.reason) == [.invalidEncoding])
        #expect(r.rejects.first?.raw == "李\\xC3(,x")
        #expect(r.rejects.first?.line == 42)
    }

    @Test func gb18030ByteOrderMarkIsStripped() throws {
        let r = try ReadFixture.read([0x84, 0x31, 0x95, 0x33] + (try gbBytes("姓名\n张三\n")))
        #expect(r.statistics.encoding == .gb18030)
        #expect(r.statistics.sawByteOrderMark)
        #expect(r.header == ["姓名"])
        #expect(r.rows == [["张三"]])
    }

    @Test func utf16IsRefusedWithAClearError() throws {
        let url = try ReadFixture.file([0xFF, 0xFE, 0x61, 0x00])
        defer { ReadFixture.remove(url) }
        #expect { try CSVReader(url: url) } throws: { error in
            guard let error = error as? ZhaorenError else { return false }
            return error.code == .decoding && error.message.contains("UTF-16")
        }
    }

    @Test func undecodableHeaderIsAnError() throws {
        let url = try ReadFixture.file([0x61, 0x2C, 0x80, 0x0A, 0x31, 0x2C, 0x32, 0x0A])
        defer { ReadFixture.remove(url) }
        #expect { try CSVReader(url: url, options: .init(encoding: .gb18030)) } throws: { error in
            guard let error = error as? ZhaorenError else { return false }
            return error.code == .decoding && error.line == 1 && error.column == 2
        }
    }

    @Test func encodingNamesParse() {
        #expect(InputEncoding(parsing: "GBK") == .gb18030)
        #expect(InputEncoding(parsing: "gb2312") == .gb18030)
        #expect(InputEncoding(parsing: "UTF-8") == .utf8)
        #expect(InputEncoding(parsing: "auto") == .auto)
        #expect(InputEncoding(parsing: "latin1") == nil)
        #expect(InputFormat(parsing: "TSV") == .tsv)
    }

    @Test func strictUTF8Validation() {
        func check(_ bytes: [UInt8]) -> UTF8Validation.Failure? {
            bytes.withUnsafeBufferPointer { UTF8Validation.firstError(in: $0) }
        }
        #expect(check(Array("张三·𠀀 abcdefghijklmnop".utf8)) == nil)
        #expect(check([0xC0, 0x80]) == .init(offset: 0, truncated: false))          // overlong
        #expect(check([0x61, 0xED, 0xA0, 0x80]) == .init(offset: 1, truncated: false))  // surrogate
        #expect(check([0xF4, 0x90, 0x80, 0x80]) == .init(offset: 0, truncated: false))  // > U+10FFFF
        #expect(check([0x61, 0x62, 0xE5, 0xBC]) == .init(offset: 2, truncated: true))   // cut short
        #expect(check([0xD5, 0xC5]) == .init(offset: 0, truncated: false))          // GBK 张
        #expect(check([0xE5, 0xBC, 0xA0, 0xE5, 0xBC, 0x41]) == .init(offset: 3, truncated: false))   // 张, then a cut 3-byte character
        #expect(check([0xE5, 0xBC, 0xA0, 0xE5, 0xBC]) == .init(offset: 3, truncated: true))
    }

    /// Random mixes of Chinese, ASCII and stray bytes: valid exactly when Swift's own strict
    /// decoding accepts them, and on failure every byte before the reported offset is valid.
    @Test func utf8ValidationAgreesWithTheStandardLibrary() {
        var rng = SeededGenerator(seed: 3)
        let pieces: [[UInt8]] = [Array("张".utf8), Array("丽".utf8), Array("𠀀".utf8), Array("é".utf8), Array("ab".utf8),
                                 [0xE5], [0xBC], [0xED, 0xA0, 0x80], [0xE0, 0x80, 0x80], [0xC0], [0xFF], [0xEC, 0xBF, 0xBF], [0xE1, 0x80, 0x80]]
        var invalid = 0
        for _ in 0..<3000 {
            var bytes: [UInt8] = []
            for _ in 0..<Int.random(in: 1...12, using: &rng) { bytes += pieces[Int.random(in: 0..<pieces.count, using: &rng)] }
            let failure = bytes.withUnsafeBufferPointer { UTF8Validation.firstError(in: $0) }
            #expect((failure == nil) == (String(validating: bytes, as: UTF8.self) != nil), "\(bytes)")
            if let failure {
                invalid += 1
                #expect(String(validating: bytes[..<failure.offset], as: UTF8.self) != nil, "\(bytes)")
            }
        }
        #expect(invalid > 500 && invalid < 3000)
    }

    @Test func rawTextShowsInvalidBytesAsHex() throws {
        #expect(RawText.render([0x41, 0xFF, 0x42], encoding: .utf8, converter: nil) == "A\\xFFB")
        #expect(RawText.render([0xD5, 0xC5, 0x80, 0x41], encoding: .gb18030, converter: gb) == "张\\x80A")
    }
}
