import ArgumentParser
import Foundation
import Zhaoren
import ZhaorenBench
import ZhaorenSynth

/// `zhaoren bench`: end-to-end runs on generated cities at several sizes. All logic is in
/// `BenchRun`, `BenchChild` and `BenchReport` (library ZhaorenSynth).
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Time every workflow end to end on generated cities of several sizes (release builds only).",
        discussion: """
            For each size: generates a city, runs the coverage workflow, deduplicates the grid \
            survey, links it to the police register and deduplicates the three registers stacked in \
            one file (police + survey + insurance, about 2.5 rows per person), times every stage, \
            reports candidate pairs per second and core, reads the peak memory (each size runs in a \
            child process of its own) and scores every result against the city's truth. Prints a \
            table and writes bench.json, bench.md and history.jsonl (one line per run) into --out.

            Refuses to run in a debug build (exit status 1): build with swift build -c release.
            """
    )

    @Option(help: ArgumentHelp("City sizes in persons, comma-separated (10000, 100k, 1.2M).", valueName: "n,n,…"))
    var persons: String = "10000,100000,1200000"

    @Option(help: "The generator's seed.")
    var seed: UInt64 = 1

    @Option(help: "The generated files' layout: real (addresses, grid codes, employer names with blank codes) or friendly.")
    var shape: String = "real"

    @Option(help: ArgumentHelp("Where bench.json, bench.md and history.jsonl go.", valueName: "dir"))
    var out: String = "bench-results"

    @Option(help: ArgumentHelp("The files the engine jobs write, as for dedupe and link (e.g. clusters, what most batch jobs keep). Default: pairs,clusters,unmatched.", valueName: "files"))
    var write: String?

    @Flag(help: "Leave out the stacked-population dedupe (police register, grid survey and insurance accounts in one file).")
    var noStacked = false

    @Flag(help: "Keep the generated cities and the workflows' outputs (in OUT/city-SIZE/city and OUT/city-SIZE/out).")
    var keep = false

    @Flag(help: .hidden)
    var child = false

    func validate() throws {
        let sizes = try parsedSizes()
        if child && sizes.count != 1 { throw ValidationError("--child runs exactly one size") }
        guard CityShape(rawValue: shape) != nil else { throw ValidationError("--shape must be real or friendly, not \(shape)") }
        if let write { do { _ = try LinkOutputs.Files(parsing: write) } catch { throw ValidationError("--write: \(error.message)") } }
    }

    func parsedSizes() throws -> [Int] {
        var sizes: [Int] = []
        for part in persons.split(separator: ",") {
            let text = part.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "_", with: "")
            var scale = 1.0, digits = Substring(text)
            if text.hasSuffix("k") || text.hasSuffix("K") { scale = 1e3; digits = digits.dropLast() }
            if text.hasSuffix("m") || text.hasSuffix("M") { scale = 1e6; digits = digits.dropLast() }
            guard let value = Double(digits), value * scale >= 1, value * scale <= 1e9 else {
                throw ValidationError("--persons takes sizes such as 10000,100k,1.2M, not \"\(part)\"")
            }
            sizes.append(Int((value * scale).rounded()))
        }
        guard !sizes.isEmpty else { throw ValidationError("--persons needs at least one size") }
        return sizes
    }

    func run() throws {
        guard BenchReport.currentBuild == "release" else {
            Console.error("""
                zhaoren bench: refusing to run in a debug build: its timings would say nothing about Zhaoren.
                Build the release binary and run it:
                  swift build -c release && .build/release/zhaoren bench

                """)
            throw ExitCode(1)
        }
        let sizes = try parsedSizes()
        do {
            try bench(sizes)
        } catch {
            Console.error("zhaoren: \(error.description)\n")
            throw ExitCode(1)
        }
    }

    /// Runs one size here (`--child`) or every size in a child process each, then reports.
    func bench(_ sizes: [Int]) throws(ZhaorenError) {
        let outFolder = URL(fileURLWithPath: out)
        let progress: @Sendable (String) -> Void = { Console.error("bench: \($0)\n") }
        if child {
            let city = keep ? outFolder.appendingPathComponent("city-" + BenchRun.sizeLabel(sizes[0])) : nil
            var run = BenchRun(persons: sizes[0], seed: seed, folder: city, keep: keep)
            run.shape = CityShape(rawValue: shape) ?? .real
            run.stacked = !noStacked
            if let write { run.outputFiles = (try? LinkOutputs.Files(parsing: write)) ?? .standard }
            let result = try run.run(progress: progress)
            print(BenchChild.output(result))
            return
        }
        var results: [BenchResult] = []
        for n in sizes {
            progress("\(BenchRun.sizeLabel(n)): \(n) persons, seed \(seed), \(shape) shape")
            var arguments = ["bench", "--persons", String(n), "--seed", String(seed), "--shape", shape, "--out", out, "--child"]
            if keep { arguments.append("--keep") }
            if noStacked { arguments.append("--no-stacked") }
            if let write { arguments += ["--write", write] }
            results.append(try BenchChild.run(executable: BenchChild.currentExecutable, arguments: arguments))
        }
        let report = BenchReport(results: results, version: ZhaorenCommand.configuration.version)
        print(report.table, terminator: "")
        let files = try report.write(to: outFolder)
        print("\nwrote " + files.map(\.path).joined(separator: ", "))
    }
}
