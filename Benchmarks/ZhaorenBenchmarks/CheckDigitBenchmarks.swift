import Benchmark
import Zhaoren

/// The bare MOD 11-2 arithmetic, as a floor for the full ID validation benchmarks.
func checkDigitBenchmarks() {
    let bodies: [[UInt8]] = (0..<1_000).map { i in
        Array(String(110_105_194_912_310_000 / 10 + i).utf8)
    }
    Benchmark("CheckDigits.residentID", configuration: .init(scalingFactor: .kilo)) { benchmark in
        var xCount = 0
        for _ in benchmark.scaledIterations {
            for body in bodies where CheckDigits.residentID(body) == UInt8(ascii: "X") { xCount += 1 }
        }
        precondition(xCount > 0, "some of 1,000 consecutive bodies must have check X")
        blackHole(xCount)
    }
}
