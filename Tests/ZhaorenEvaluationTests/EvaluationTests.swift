import Foundation
import Testing
import ZhaorenTestSupport
import ZhaorenICU
@testable import Zhaoren
import ZhaorenEvaluation

@Suite struct EvaluationTests {
    /// Entities: A = {s:1, s:2, s:3}, B = {s:4, t:1}, C = {t:2}.
    func truth() -> GroundTruth {
        var t = GroundTruth()
        for (s, r, e) in [("s", 1, "A"), ("s", 2, "A"), ("s", 3, "A"), ("s", 4, "B"), ("t", 1, "B"), ("t", 2, "C")] {
            t.add(source: s, row: r, entity: e)
        }
        return t
    }

    @Test func pairwiseFromPairs() {
        let t = truth()
        let k = { (s: String, r: Int) in t.key(source: s, row: r)! }
        // True pairs: s1-s2, s1-s3, s2-s3, s4-t1 = 4.
        let predicted = [(k("s", 1), k("s", 2)), (k("s", 2), k("s", 1)), (k("s", 3), k("t", 2)), (k("s", 4), k("t", 1))]
        let m = Evaluation.pairs(predicted, truth: t, sources: [0, 1])
        #expect(m.truePositives == 2 && m.falsePositives == 1 && m.falseNegatives == 2)
        #expect(abs(m.precision - 2.0 / 3) < 1e-12 && abs(m.recall - 0.5) < 1e-12)
        #expect(abs(m.f1 - 2 * (2.0 / 3) * 0.5 / (2.0 / 3 + 0.5)) < 1e-12)
        let cross = Evaluation.pairs(predicted, truth: t, sources: [0, 1], crossSourceOnly: true)
        #expect(cross.truePositives == 1 && cross.falsePositives == 1 && cross.falseNegatives == 0)
    }

    @Test func clustersAndExactEntities() {
        let t = truth()
        let k = { (s: String, r: Int) in t.key(source: s, row: r)! }
        let clusters: [UInt64: String] = [k("s", 1): "x", k("s", 2): "x", k("s", 3): "y", k("s", 4): "z", k("t", 1): "z", k("t", 2): "w"]
        let m = Evaluation.clusters(clusters, truth: t)
        #expect(m.pairwise.truePositives == 2 && m.pairwise.falsePositives == 0 && m.pairwise.falseNegatives == 2)
        #expect(m.entities == 3 && m.exactEntities == 2)
        #expect(m.multiRecordEntities == 2 && m.exactMultiRecordEntities == 1)
    }

    @Test func blockingRecallAndReduction() {
        let t = truth()
        let k = { (s: String, r: Int) in t.key(source: s, row: r)! }
        let b = Evaluation.blocking([(k("s", 1), k("s", 2)), (k("s", 1), k("t", 2))], truth: t, sources: [0, 1], possiblePairs: 15)
        #expect(b.truePairs == 4 && b.trueCandidatePairs == 1 && b.candidatePairs == 2)
        #expect(abs(b.reductionRatio - (1 - 2.0 / 15)) < 1e-12)
    }

    @Test func truthFileLoads() throws {
        let url = try Scratch.folder("truth").appendingPathComponent("truth.csv")
        defer { Scratch.remove(url.deletingLastPathComponent()) }
        try "source,row,entity_id\nsurvey,1,P1\n\"survey\",2,P1\n".write(to: url, atomically: true, encoding: .utf8)
        let t = try GroundTruth.load(url)
        #expect(t.entity(of: t.key(source: "survey", row: 1)!) == t.entity(of: t.key(source: "survey", row: 2)!))
    }

    /// Truth files as Python's csv module and Excel write them: CRLF line ends, a BOM, quoted
    /// fields, GB18030 source names; all read by the engine's one reader.
    @Test func truthFilesWithCRLFBOMAndGB18030() throws {
        let folder = try Scratch.folder("truth-encodings")
        defer { Scratch.remove(folder) }
        let text = "source,row,entity_id\r\n调查,1,P1\r\n\"调查\",2,P1\r\n调查,3,P2\r\n"
        let utf8 = folder.appendingPathComponent("crlf-bom.csv")
        try Data([0xEF, 0xBB, 0xBF] + Array(text.utf8)).write(to: utf8)
        let gb = folder.appendingPathComponent("gb18030.csv")
        try Data(try #require(try CharsetConverter("GB18030").encode(text))).write(to: gb)
        for url in [utf8, gb] {
            let t = try GroundTruth.load(url)
            #expect(t.entities.count == 2)
            let one = try #require(t.key(source: "调查", row: 1)), two = try #require(t.key(source: "调查", row: 2))
            #expect(t.entity(of: one) == t.entity(of: two))
            #expect(t.entity(of: try #require(t.key(source: "调查", row: 3))) != t.entity(of: one))
        }
    }

    /// A missing column names the header's fields, never the whole file.
    @Test func missingColumnNamesOnlyTheHeader() throws {
        let folder = try Scratch.folder("truth-missing")
        defer { Scratch.remove(folder) }
        let url = folder.appendingPathComponent("t.csv")
        try ("source,row,entity\r\n" + String(repeating: "s,1,secret-value\r\n", count: 50))
            .write(to: url, atomically: true, encoding: .utf8)
        #expect {
            _ = try GroundTruth.load(url)
        } throws: { error in
            guard let e = error as? ZhaorenError else { return false }
            return e.code == .missingColumn && e.message.contains("\"entity\"") && !e.message.contains("secret-value") && e.line == 1
        }
    }
}
