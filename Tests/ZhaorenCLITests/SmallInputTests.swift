import Foundation
import Testing
import ZhaorenTestSupport
import Zhaoren

/// Two small files (a few dozen rows) link on what they share: random pairs are too few to show
/// how rare an exact ID is, so the u estimates lean on the priors instead of starving.
@Suite struct SmallInputTests {
    @Test func fewRowsStillLinkSameIDAndName() throws {
        let folder = try CLIRunner.temporaryDirectory()
        defer { Scratch.remove(folder) }
        let surnames = Array("王李张刘陈杨黄赵吴周"), given = Array("伟芳娜敏静丽强磊军洋")
        var rows: [String] = []
        for k in 0..<30 {
            let body = "640402" + String(1950 + k) + String(format: "%02d%02d", k % 12 + 1, k % 28 + 1) + String(format: "%03d", 100 + 7 * k)
            let digits = Array(body.utf8)
            let id = body + String(UnicodeScalar(try #require(CheckDigits.residentID(digits[0..<17]))))
            let name = String(surnames[k % 10]) + String(given[(k * 3) % 10]) + String(given[(k * 7 + 1) % 10])
            rows.append("\(name),\(id),\((100 + 7 * k) % 2 == 1 ? "男" : "女")")
        }
        let a = folder.appendingPathComponent("a.csv").path, b = folder.appendingPathComponent("b.csv").path
        try ("姓名,身份证号,性别\n" + rows.joined(separator: "\n") + "\n").write(toFile: a, atomically: true, encoding: .utf8)
        try ("姓名,身份证号,性别\n" + rows.prefix(3).joined(separator: "\n") + "\n").write(toFile: b, atomically: true, encoding: .utf8)
        let out = folder.appendingPathComponent("out").path
        let run = try CLIRunner.run(["link", a, b, "--left-columns", "name=姓名,id=身份证号,sex=性别",
                                     "--right-columns", "name=姓名,id=身份证号,sex=性别", "--out", out])
        #expect(run.status == 0, "\(run.stderr)")
        let pairs = try String(contentsOfFile: out + "/pairs.csv", encoding: .utf8).split(separator: "\n").dropFirst()
        #expect(pairs.count == 3)
        for pair in pairs {
            let fields = pair.split(separator: ",")
            #expect(fields[1] == fields[3], "\(pair)")                          // a:k with b:k
            #expect(try #require(Double(fields[4])) >= 0.99, "\(pair)")
        }
    }
}
