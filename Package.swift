// swift-tools-version: 6.1
import PackageDescription
import class Foundation.ProcessInfo

// The layers, bottom to top (nothing imports upward):
//   ZhaorenSupport            shared helpers, `package` access (hash, parallel loop, clock, CSV row builder …)
//   ZhaorenICU                ICU behind a C shim (transliterators, strict charset converters)
//   Zhaoren                   the engine, one folder per stage of the data flow:
//                             Read → Normalize → Records → Kernels → Index → Compare → Score → Cluster → Write → Pipeline
//   ZhaorenEvaluation         precision, recall, F1 and calibration against a truth
//   ZhaorenCoverage           the 数据找人 workflow on top of the engine
//   ZhaorenKeyed              keyed encodings (HMAC-SHA-256): files a department may hand over without raw values
//   ZhaorenBase               the living population base in SQLite (GRDB): built from a coverage run, queried
//   ZhaorenService            the lookup service over a base (Hummingbird): JSON API with access by area
//   ZhaorenSynth              the synthetic city and English records (generated people only)
//   ZhaorenBench, ZhaorenDemo whole-city timings and the demo, over all of the above
//   zhaoren                   the command-line tool (argument parsing and printing only)
let package = Package(
    name: "Zhaoren",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "Zhaoren", targets: ["Zhaoren"]),
        .library(name: "ZhaorenEvaluation", targets: ["ZhaorenEvaluation"]),
        .library(name: "ZhaorenCoverage", targets: ["ZhaorenCoverage"]),
        .library(name: "ZhaorenSynth", targets: ["ZhaorenSynth"]),
        .library(name: "ZhaorenKeyed", targets: ["ZhaorenKeyed"]),
        .library(name: "ZhaorenBase", targets: ["ZhaorenBase"]),
        .library(name: "ZhaorenService", targets: ["ZhaorenService"]),
        .executable(name: "zhaoren", targets: ["zhaoren"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        // Zip archives for Excel workbooks (.xlsx): reading sheets as streams, writing worklists.
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
        // HMAC-SHA-256 for keyed encodings (`zhaoren keygen`, `zhaoren encode`).
        .package(url: "https://github.com/apple/swift-crypto", "3.0.0"..<"5.0.0"),
        // The population base's SQLite file (Debian's libsqlite3-dev).
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        // The lookup service's HTTP server; no traits (no configuration package).
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1", traits: []),
        // The service's logger (its level: warnings only, no request lines).
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        // HTTP field names for the service's own headers.
        .package(url: "https://github.com/apple/swift-http-types", from: "1.0.0"),
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
        // The ground floor: helpers every module shares, with `package` access (not public API).
        .target(name: "ZhaorenSupport"),
        // One system call Swift's Glibc module does not show: renameat2(RENAME_EXCHANGE), which
        // swaps a finished output folder with the previous one in one step.
        .target(name: "ZhaorenSystemShim"),
        // The engine: read → normalize → records → index → compare → score → cluster → write → pipeline.
        .target(name: "Zhaoren", dependencies: ["ZhaorenICU", "ZhaorenSupport", "ZhaorenSystemShim",
                                                .product(name: "ZIPFoundation", package: "ZIPFoundation")]),
        // Scoring results against a truth: pairs, clusters, blocking, labels, calibration.
        .target(name: "ZhaorenEvaluation", dependencies: ["Zhaoren", "ZhaorenSupport"]),
        // The 数据找人 coverage workflow: population base, labels, actions, worklists.
        .target(name: "ZhaorenCoverage", dependencies: ["Zhaoren", "ZhaorenSupport"]),
        // Keyed encodings: a department's file as HMAC tokens of the values the engine compares.
        .target(name: "ZhaorenKeyed", dependencies: ["Zhaoren", "ZhaorenSupport", .product(name: "Crypto", package: "swift-crypto")]),
        // The living population base: a coverage run's persons, records, labels and actions in SQLite.
        .target(name: "ZhaorenBase", dependencies: ["Zhaoren", "ZhaorenSupport", "ZhaorenCoverage",
                                                    .product(name: "GRDB", package: "GRDB.swift")]),
        // The lookup service for village and county staff, over a base.
        .target(name: "ZhaorenService", dependencies: ["ZhaorenBase", "Zhaoren", "ZhaorenSupport",
                                                       .product(name: "Hummingbird", package: "hummingbird"),
                                                       .product(name: "Logging", package: "swift-log"),
                                                       .product(name: "HTTPTypes", package: "swift-http-types"),
                                                       .product(name: "Crypto", package: "swift-crypto")]),
        // The synthetic city: generated people, department files and their truth.
        .target(name: "ZhaorenSynth", dependencies: ["Zhaoren", "ZhaorenSupport"]),
        // End-to-end timings and accuracy on generated cities (`zhaoren bench`).
        .target(name: "ZhaorenBench",
                dependencies: ["Zhaoren", "ZhaorenSupport", "ZhaorenEvaluation", "ZhaorenCoverage", "ZhaorenSynth"]),
        // `zhaoren demo`: a generated city through every workflow, checked against its truth.
        .target(name: "ZhaorenDemo",
                dependencies: ["Zhaoren", "ZhaorenSupport", "ZhaorenEvaluation", "ZhaorenCoverage", "ZhaorenSynth", "ZhaorenBench"]),
        // The command-line tool: argument parsing and printing only.
        .executableTarget(
            name: "zhaoren",
            dependencies: [
                "Zhaoren", "ZhaorenSupport", "ZhaorenEvaluation", "ZhaorenCoverage", "ZhaorenSynth", "ZhaorenBench", "ZhaorenDemo",
                "ZhaorenKeyed", "ZhaorenBase", "ZhaorenService", "ZhaorenSystemShim", .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Test-only helpers shared by the test targets (scratch folders).
        .target(name: "ZhaorenTestSupport", path: "Tests/ZhaorenTestSupport"),
        .testTarget(name: "ZhaorenTests",
                    dependencies: ["Zhaoren", "ZhaorenSupport", "ZhaorenICU", "ZhaorenEvaluation", "ZhaorenTestSupport"],
                    exclude: ["Workbooks"]),
        .testTarget(name: "ZhaorenEvaluationTests",
                    dependencies: ["ZhaorenEvaluation", "Zhaoren", "ZhaorenSupport", "ZhaorenICU", "ZhaorenTestSupport"]),
        .testTarget(name: "ZhaorenCoverageTests",
                    dependencies: ["ZhaorenCoverage", "Zhaoren", "ZhaorenSupport", "ZhaorenTestSupport"]),
        .testTarget(name: "ZhaorenSynthTests",
                    dependencies: ["ZhaorenSynth", "Zhaoren", "ZhaorenSupport", "ZhaorenICU", "ZhaorenTestSupport"]),
        .testTarget(name: "ZhaorenBenchTests",
                    dependencies: ["ZhaorenBench", "ZhaorenDemo", "ZhaorenSynth", "ZhaorenCoverage", "ZhaorenEvaluation",
                                   "Zhaoren", "ZhaorenSupport", "ZhaorenTestSupport"]),
        .testTarget(name: "ZhaorenKeyedTests",
                    dependencies: ["ZhaorenKeyed", "Zhaoren", "ZhaorenSupport", "ZhaorenEvaluation", "ZhaorenSynth", "ZhaorenTestSupport"]),
        .testTarget(name: "ZhaorenBaseTests",
                    dependencies: ["ZhaorenBase", "ZhaorenCoverage", "Zhaoren", "ZhaorenSupport", "ZhaorenSynth", "ZhaorenBench",
                                   "ZhaorenTestSupport", .product(name: "GRDB", package: "GRDB.swift")]),
        .testTarget(name: "ZhaorenCLITests",
                    dependencies: ["zhaoren", "Zhaoren", "ZhaorenSupport", "ZhaorenEvaluation", "ZhaorenCoverage", "ZhaorenSynth",
                                   "ZhaorenBench", "ZhaorenICU", "ZhaorenBase", "ZhaorenTestSupport"]),
    ]
)

// The API reference (DocC, Sources/Zhaoren/Zhaoren.docc) needs the documentation plugin; switch it on with
//   ZHAOREN_DOCS=1 swift package --allow-writing-to-directory docs generate-documentation --target Zhaoren --output-path docs
if ProcessInfo.processInfo.environment["ZHAOREN_DOCS"] != nil {
    package.dependencies.append(.package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.4.0"))
}

// The fuzz harness (libFuzzer) is built only for Scripts/fuzz.sh, with -sanitize=fuzzer:
//   ZHAOREN_FUZZ=1 swift build --scratch-path .build-fuzz --product ZhaorenFuzz -Xswiftc -sanitize=fuzzer -Xswiftc -parse-as-library
if ProcessInfo.processInfo.environment["ZHAOREN_FUZZ"] != nil {
    package.targets.append(.executableTarget(name: "ZhaorenFuzz",
                                             dependencies: ["Zhaoren", .product(name: "ZIPFoundation", package: "ZIPFoundation")],
                                             path: "Tests/Fuzz/ZhaorenFuzz"))
}

// Micro-benchmarks (ordo-one/benchmark) stay out of the normal build and tests; switch them on with
//   ZHAOREN_BENCHMARKS=1 swift package --scratch-path .build-bench benchmark
if ProcessInfo.processInfo.environment["ZHAOREN_BENCHMARKS"] != nil {
    package.dependencies.append(
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.0", traits: ["MallocInterposer"]))
    package.targets.append(
        .executableTarget(
            name: "ZhaorenBenchmarks",
            dependencies: [
                "Zhaoren", "ZhaorenSupport", "ZhaorenICU", "ZhaorenEvaluation", "ZhaorenSynth",
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/ZhaorenBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ))
}
