import Testing
import ZhaorenTestSupport
@testable import Zhaoren
import ZhaorenSupport

@Suite struct KernelsTests {
    func near(_ a: Double, _ b: Double, _ tol: Double = 1e-4) -> Bool { abs(a - b) < tol }

    @Test func jaroWinklerHandComputed() {
        var s = KernelScratch()
        #expect(near(JaroWinkler.jaro(scalars("MARTHA"), scalars("MARHTA"), scratch: &s), 0.9444))
        #expect(near(JaroWinkler.similarity(scalars("MARTHA"), scalars("MARHTA"), scratch: &s), 0.9611))
        #expect(near(JaroWinkler.jaro(scalars("DIXON"), scalars("DICKSONX"), scratch: &s), 0.7667))
        #expect(near(JaroWinkler.similarity(scalars("DIXON"), scalars("DICKSONX"), scratch: &s), 0.8133))
        #expect(near(JaroWinkler.similarity(scalars("DWAYNE"), scalars("DUANE"), scratch: &s), 0.84))
        #expect(JaroWinkler.similarity(scalars(""), scalars(""), scratch: &s) == 1)
        #expect(JaroWinkler.similarity(scalars("abc"), scalars(""), scratch: &s) == 0)
        #expect(JaroWinkler.similarity(scalars("abc"), scalars("xyz"), scratch: &s) == 0)
    }

    @Test func jaroOnScalarsNotBytes() {
        var s = KernelScratch()
        // 张 and 章 share two of their three UTF-8 bytes; as scalars they simply differ.
        #expect(near(JaroWinkler.jaro(scalars("张伟"), scalars("章伟"), scratch: &s), (0.5 + 0.5 + 1) / 3))
    }

    @Test func levenshteinHandComputed() {
        var s = KernelScratch()
        #expect(Levenshtein.distance(scalars("kitten"), scalars("sitting"), scratch: &s) == 3)
        #expect(Levenshtein.distance(scalars("flaw"), scalars("lawn"), scratch: &s) == 2)
        #expect(Levenshtein.distance(scalars(""), scalars("abc"), scratch: &s) == 3)
        #expect(Levenshtein.distance(scalars("张伟"), scalars("章伟"), scratch: &s) == 1)
        #expect(Levenshtein.distance(scalars("买买提·吐尔逊"), scalars("买买提吐尔逊"), scratch: &s) == 1)
        // Byte-wise the same pair is 2 edits apart: the trap the kernels avoid.
        #expect(Levenshtein.distance(Array("张伟".utf8).map(UInt32.init), Array("章伟".utf8).map(UInt32.init), scratch: &s) == 2)
    }

    @Test func bitParallelAgreesWithDynamicProgramme() {
        var rng = SeededGenerator(seed: 42)
        var s = KernelScratch()
        for _ in 0..<2000 {
            let m = Int(rng.next() % 70), n = Int(rng.next() % 70)
            let alphabet: [UInt32] = [0x5F20, 0x7AE0, 0x4F1F, 0x61, 0x62, 0x20000]
            let a = (0..<m).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] }
            let b = (0..<n).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] }
            let fast = Levenshtein.distance(a, b, scratch: &s)
            let slow = a.withUnsafeBufferPointer { pa in
                b.withUnsafeBufferPointer { pb in
                    pa.count <= pb.count ? Levenshtein.dynamicProgramme(pa, pb, scratch: &s)
                                         : Levenshtein.dynamicProgramme(pb, pa, scratch: &s)
                }
            }
            #expect(fast == slow)
            let within = a.withUnsafeBufferPointer { pa in b.withUnsafeBufferPointer { pb in Levenshtein.isWithinOne(pa, pb) } }
            #expect(within == (slow <= 1))
        }
    }

    @Test func optimalStringAlignmentVersusDamerau() {
        var s = KernelScratch()
        #expect(OptimalStringAlignment.distance(scalars("CA"), scalars("ABC"), scratch: &s) == 3)
        #expect(DamerauLevenshtein.distance(scalars("CA"), scalars("ABC"), scratch: &s) == 2)
        #expect(OptimalStringAlignment.distance(scalars("ab"), scalars("ba"), scratch: &s) == 1)
        #expect(Levenshtein.distance(scalars("ab"), scalars("ba"), scratch: &s) == 2)
        #expect(OptimalStringAlignment.distance(scalars("110105194912310021"), scalars("110105194912310012"), scratch: &s) == 1)
        #expect(DamerauLevenshtein.distance(scalars("kitten"), scalars("sitting"), scratch: &s) == 3)
        let t = scalars("张三丰"), u = scalars("三张丰")
        #expect(t.withUnsafeBufferPointer { a in u.withUnsafeBufferPointer { b in OptimalStringAlignment.isWithinOne(a, b) } })
    }

    @Test func osaWithinOneAgreesWithDistance() {
        var rng = SeededGenerator(seed: 7)
        var s = KernelScratch()
        for _ in 0..<2000 {
            let a = (0..<Int(rng.next() % 6)).map { _ in UInt32(rng.next() % 3) }
            let b = (0..<Int(rng.next() % 6)).map { _ in UInt32(rng.next() % 3) }
            let d = OptimalStringAlignment.distance(a, b, scratch: &s)
            let w = a.withUnsafeBufferPointer { pa in b.withUnsafeBufferPointer { pb in OptimalStringAlignment.isWithinOne(pa, pb) } }
            #expect(w == (d <= 1))
            #expect(DamerauLevenshtein.distance(a, b, scratch: &s) <= d)
        }
    }
}
