import Testing
import Zhaoren
import ZhaorenICU

@Suite struct ICUTests {
    @Test func transliteratorSimplifies() throws {
        let t = try Transliterator("Traditional-Simplified")
        #expect(t.apply("張偉") == "张伟")
        #expect(t.apply("陳國榮") == "陈国荣")
    }

    @Test func transliteratorRomanizes() throws {
        let t = try Transliterator("Han-Latin; Latin-ASCII")
        #expect(t.apply("张伟").replacingOccurrences(of: " ", with: "") == "zhangwei")
    }

    @Test func unknownTransliteratorIsAnError() {
        #expect(throws: ICUError.self) { try Transliterator("No-Such-Thing") }
    }

    @Test func gb18030RoundTripAndStrictness() throws {
        let gb = try CharsetConverter("GB18030")
        let sample = "张三·䶮𠀀€"
        let bytes = try #require(gb.encode(sample))
        #expect(bytes.prefix(6) == [0xD5, 0xC5, 0xC8, 0xFD, 0xA1, 0xA4])
        #expect(gb.decode(bytes) == sample)
        #expect(gb.decode([0xD5, 0xC5, 0xFF]) == nil)   // invalid trail byte
        #expect(gb.decode([0x80]) == nil)               // lone 0x80 is not GB18030
    }
}
