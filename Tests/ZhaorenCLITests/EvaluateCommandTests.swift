import Foundation
import Testing
import ZhaorenTestSupport

@Suite struct EvaluateCommandTests {
    @Test func pairsAndClustersAgainstTruth() throws {
        let folder = try CLIRunner.temporaryDirectory()
        defer { Scratch.remove(folder) }
        try "source,row,entity_id\ns,1,A\ns,2,A\ns,3,A\ns,4,B\ns,5,C\n".write(to: folder.appendingPathComponent("t.csv"), atomically: true, encoding: .utf8)
        try "source_a,row_a,source_b,row_b,probability,match_weight\ns,1,s,2,0.99,7\ns,4,s,5,0.95,4\n"
            .write(to: folder.appendingPathComponent("p.csv"), atomically: true, encoding: .utf8)
        try "source,row,cluster_id\ns,1,s:1\ns,2,s:1\ns,3,s:1\ns,4,s:4\ns,5,s:5\n"
            .write(to: folder.appendingPathComponent("c.csv"), atomically: true, encoding: .utf8)
        let result = try CLIRunner.run(["evaluate", "--pairs", "p.csv", "--clusters", "c.csv", "--truth", "t.csv"], in: folder)
        #expect(result.status == 0, "\(result.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let pairwise = try #require(report["pairwise"] as? [String: Any])
        #expect(pairwise["true_positives"] as? Int == 1 && pairwise["false_positives"] as? Int == 1 && pairwise["false_negatives"] as? Int == 2)
        let clusters = try #require(report["clusters"] as? [String: Any])
        #expect(clusters["exact_entities"] as? Int == 3 && clusters["entities"] as? Int == 3)
        #expect((clusters["pairwise"] as? [String: Any])?["f1"] as? Double == 1)
    }

    @Test func missingTruthColumnIsAnError() throws {
        let folder = try CLIRunner.temporaryDirectory()
        defer { Scratch.remove(folder) }
        try "source,row\ns,1\n".write(to: folder.appendingPathComponent("t.csv"), atomically: true, encoding: .utf8)
        try "source,row,cluster_id\ns,1,x\n".write(to: folder.appendingPathComponent("c.csv"), atomically: true, encoding: .utf8)
        let result = try CLIRunner.run(["evaluate", "--clusters", "c.csv", "--truth", "t.csv"], in: folder)
        #expect(result.status == 1)
        #expect(result.stderr.contains("t.csv") && result.stderr.contains("entity_id"))
    }

    /// `evaluate` reads truth, pairs and clusters files with CRLF line ends and a BOM.
    @Test func crlfAndBOMFilesAreRead() throws {
        let folder = try CLIRunner.temporaryDirectory()
        defer { Scratch.remove(folder) }
        func write(_ text: String, _ name: String) throws {
            try Data([0xEF, 0xBB, 0xBF] + Array(text.replacingOccurrences(of: "\n", with: "\r\n").utf8))
                .write(to: folder.appendingPathComponent(name))
        }
        try write("source,row,entity_id\ns,1,A\ns,2,A\ns,3,B\n", "t.csv")
        try write("source,row,cluster_id\ns,1,s:1\ns,2,s:1\ns,3,s:3\n", "c.csv")
        let result = try CLIRunner.run(["evaluate", "--clusters", "c.csv", "--truth", "t.csv"], in: folder)
        #expect(result.status == 0, "\(result.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(((report["clusters"] as? [String: Any])?["pairwise"] as? [String: Any])?["f1"] as? Double == 1)
    }
}
