import Benchmark

// One function per pipeline area, each in its own file beside this one.
// Every benchmark checks its own result, so a broken fast path cannot look fast.
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput, .mallocCountTotal],
        maxDuration: .seconds(3),
        maxIterations: 1_000
    )
    checkDigitBenchmarks()
    identifierBenchmarks()
    nameBenchmarks()
    readBenchmarks()
    engineBenchmarks()
    linkageStageBenchmarks()
    englishBenchmarks()
}
