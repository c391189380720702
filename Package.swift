// swift-tools-version: 6.1
import PackageDescription
import class Foundation.ProcessInfo

let package = Package(
    name: "Zhaoren",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "Zhaoren", targets: ["Zhaoren"]),
        .library(name: "ZhaorenSynth", targets: ["ZhaorenSynth"]),
        .library(name: "ZhaorenCoverage", targets: ["ZhaorenCoverage"]),
        .executable(name: "zhaoren", targets: ["zhaoren"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // Debian's libicu-dev, reached only through unversioned static inline wrappers.
        .systemLibrary(
            name: "CICU",
            pkgConfig: "icu-i18n",
            providers: [.apt(["libicu-dev"])]
        ),
        // System ICU's headers and the ICU bundled in Foundation define the same C types
        // differently, so no Swift module may see them: this C target compiles against CICU and
        // exposes an opaque interface (standard C types only).
        .target(name: "ZhaorenICUShim", dependencies: ["CICU"]),
        // Swift wrappers over the shim: transliterators and strict charset converters.
        .target(name: "ZhaorenICU", dependencies: ["ZhaorenICUShim"]),
        // The engine: read → normalize → index → compare → score → cluster → write.
        .target(
            name: "Zhaoren",
            dependencies: ["ZhaorenICU"],
            swiftSettings: [.unsafeFlags(["-Ounchecked"], .when(configuration: .release))]
        ),
        // The synthetic city: generated people, department files and their truth.
        .target(name: "ZhaorenSynth", dependencies: ["Zhaoren", "ZhaorenCoverage"]),
        // The 数据找人 coverage workflow: population base, labels, actions, worklists.
        .target(name: "ZhaorenCoverage", dependencies: ["Zhaoren"]),
        // The command-line tool: argument parsing and printing only.
        .executableTarget(
            name: "zhaoren",
            dependencies: [
                "Zhaoren", "ZhaorenSynth", "ZhaorenCoverage",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Test-only helpers shared by the test targets (scratch folders).
        .target(name: "ZhaorenTestSupport", path: "Tests/ZhaorenTestSupport"),
        .testTarget(name: "ZhaorenTests", dependencies: ["Zhaoren", "ZhaorenSynth", "ZhaorenTestSupport"]),
        .testTarget(name: "ZhaorenSynthTests", dependencies: ["ZhaorenSynth", "Zhaoren", "ZhaorenCoverage", "ZhaorenTestSupport"]),
        .testTarget(name: "ZhaorenCoverageTests", dependencies: ["ZhaorenCoverage", "Zhaoren", "ZhaorenTestSupport"]),
        .testTarget(name: "ZhaorenCLITests", dependencies: ["zhaoren", "Zhaoren", "ZhaorenSynth", "ZhaorenCoverage", "ZhaorenTestSupport"]),
    ]
)

// Micro-benchmarks (ordo-one/benchmark) stay out of the normal build and tests; switch them on with
//   ZHAOREN_BENCHMARKS=1 swift package --scratch-path .build-bench benchmark
if ProcessInfo.processInfo.environment["ZHAOREN_BENCHMARKS"] != nil {
    package.dependencies.append(
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.0", traits: ["MallocInterposer"]))
    package.targets.append(
        .executableTarget(
            name: "ZhaorenBenchmarks",
            dependencies: [
                "Zhaoren", "ZhaorenSynth",
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/ZhaorenBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ))
}
