import Benchmark
import Foundation
import Zhaoren
import ZhaorenICU
import ZhaorenSynth
import ZhaorenSupport

/// A register-like CSV (name, ID, sex, birth, phone, address with commas in quotes) generated
/// from a seeded RNG, written once per run in UTF-8 and in GB18030.
private enum ReadFixture {
    static let rows = 200_000

    static let text: String = {
        var rng = SeededGenerator(seed: 4_181)
        let surnames = Array("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗欧阳")
        let given = Array("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国")
        let places = ["宁夏回族自治区固原市原州区", "北京市朝阳区", "广东省深圳市南山区", "甘肃省兰州市城关区"]
        var out = "姓名,身份证号,性别,出生日期,电话,住址\n"
        out.reserveCapacity(rows * 110)
        for i in 0..<rows {
            let name = String(surnames[Int.random(in: 0..<surnames.count, using: &rng)])
                + String((0..<Int.random(in: 1...2, using: &rng)).map { _ in given[Int.random(in: 0..<given.count, using: &rng)] })
            let id = String(640_402_198_000_000_000 + UInt64.random(in: 0..<99_999_999_999, using: &rng))
            let sex = Bool.random(using: &rng) ? "男" : "女"
            let birth = "19\(Int.random(in: 40...99, using: &rng))-0\(Int.random(in: 1...9, using: &rng))-1\(Int.random(in: 0...9, using: &rng))"
            let phone = "1\(Int.random(in: 30...99, using: &rng))\(Int.random(in: 10_000_000...99_999_999, using: &rng))"
            let place = places[Int.random(in: 0..<places.count, using: &rng)]
            let address = i % 10 == 0 ? "\"\(place),\(i % 97)号\"" : "\(place)\(i % 97)号"
            out += "\(name),\(id),\(sex),\(birth),\(phone),\(address)\n"
        }
        return out
    }()

    static func write(_ bytes: [UInt8], _ name: String) -> (URL, Int) {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("zhaoren-bench-\(getpid())-\(name)")
        try! Data(bytes).write(to: url)
        return (url, bytes.count)
    }

    static let utf8 = write(Array(text.utf8), "utf8.csv")
    static let gb18030 = write(try! CharsetConverter("GB18030").encode(text)!, "gb18030.csv")
}

/// Reads a whole file, touching every field's bytes, and returns the row count.
private func readAll(_ url: URL, _ encoding: InputEncoding) -> Int {
    let reader = try! CSVReader(url: url, options: .init(encoding: encoding))
    var rows = 0
    var bytes = 0
    while let batch = try! reader.nextBatch() {
        rows += batch.count
        bytes &+= batch.storage.count
        precondition(batch.rejects.isEmpty, "the generated file has no bad rows")
    }
    blackHole(bytes)
    return rows
}

/// Reader throughput on UTF-8 and GB18030 register files (MB/s = file size ÷ median wall clock;
/// the sizes are printed once).
func readBenchmarks() {
    let metrics: [BenchmarkMetric] = [.wallClock, .throughput, .peakMemoryResident, .mallocCountTotal]
    Benchmark("Read.csvUTF8", configuration: .init(metrics: metrics, maxIterations: 20)) { benchmark in
        let (url, size) = ReadFixture.utf8
        benchmark.startMeasurement()
        let rows = readAll(url, .auto)
        benchmark.stopMeasurement()
        precondition(rows == ReadFixture.rows, "every generated row must be read")
        if benchmark.currentIteration == 0 { print("Read.csvUTF8: \(size) bytes, \(rows) rows") }
    }
    Benchmark("Read.csvGB18030", configuration: .init(metrics: metrics, maxIterations: 10)) { benchmark in
        let (url, size) = ReadFixture.gb18030
        benchmark.startMeasurement()
        let rows = readAll(url, .auto)
        benchmark.stopMeasurement()
        precondition(rows == ReadFixture.rows, "every generated row must be read")
        if benchmark.currentIteration == 0 { print("Read.csvGB18030: \(size) bytes, \(rows) rows") }
    }
}
