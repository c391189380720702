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

    /// Calibration per tenth of probability: mean prediction beside the share of true pairs.
    @Test func calibrationFromScoredPairs() throws {
        let folder = try CLIRunner.temporaryDirectory()
        defer { Scratch.remove(folder) }
        try "source,row,entity_id\ns,1,A\ns,2,A\ns,3,B\ns,4,B\ns,5,C\n".write(to: folder.appendingPathComponent("t.csv"), atomically: true, encoding: .utf8)
        try """
            source_a,row_a,source_b,row_b,probability,match_weight,accepted
            s,1,s,2,0.99,7,1
            s,3,s,4,0.95,4,1
            s,1,s,5,0.91,3,1
            s,2,s,3,0.05,-4,0
            s,3,s,4,0.05,-4,0
            s,4,s,5,0.35,-1,0

            """.write(to: folder.appendingPathComponent("c.csv"), atomically: true, encoding: .utf8)
        let result = try CLIRunner.run(["evaluate", "--pairs", "c.csv", "--truth", "t.csv"], in: folder)
        #expect(result.status == 0, "\(result.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let pairwise = try #require(report["pairwise"] as? [String: Any])
        // Only the accepted rows are predicted pairs: 2 true, 1 false, none missed.
        #expect(pairwise["true_positives"] as? Int == 2 && pairwise["false_positives"] as? Int == 1 && pairwise["false_negatives"] as? Int == 0)
        let calibration = try #require(report["calibration"] as? [String: Any])
        let bins = try #require(calibration["bins"] as? [[String: Any]])
        #expect(bins[9]["pairs"] as? Int == 3 && bins[9]["matches"] as? Int == 2)
        #expect(abs((bins[9]["predicted"] as? Double ?? 0) - 0.95) < 1e-9)
        #expect(abs((bins[9]["observed"] as? Double ?? 0) - 2.0 / 3) < 1e-9)
        #expect(bins[0]["pairs"] as? Int == 2 && bins[0]["matches"] as? Int == 1)
        #expect(bins[3]["pairs"] as? Int == 1 && bins[3]["matches"] as? Int == 0)
        #expect(calibration["matches_below_half"] as? Int == 1)
        // ECE: (3·|0.95−0.667| + 2·|0.05−0.5| + 1·|0.35−0|) / 6
        let expected = (3 * abs(0.95 - 2.0 / 3) + 2 * 0.45 + 0.35) / 6
        #expect(abs((calibration["expected_calibration_error"] as? Double ?? 0) - expected) < 1e-9)
        // A pairs file without probabilities has no calibration.
        try "source_a,row_a,source_b,row_b\ns,1,s,2\n".write(to: folder.appendingPathComponent("p.csv"), atomically: true, encoding: .utf8)
        let plain = try CLIRunner.run(["evaluate", "--pairs", "p.csv", "--truth", "t.csv"], in: folder)
        #expect(plain.status == 0)
        #expect(!plain.stdout.contains("calibration"))
        // A probability that is not a number is an error naming the line.
        try "source_a,row_a,source_b,row_b,probability\ns,1,s,2,high\n".write(to: folder.appendingPathComponent("b.csv"), atomically: true, encoding: .utf8)
        let bad = try CLIRunner.run(["evaluate", "--pairs", "b.csv", "--truth", "t.csv"], in: folder)
        #expect(bad.status == 1 && bad.stderr.contains("b.csv:2") && bad.stderr.contains("probability"))
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
