import ArgumentParser
import Foundation
import Zhaoren
import ZhaorenDemo
import ZhaorenSynth

/// `zhaoren demo`: generates a city and runs the most complete workflow on it. All logic is in
/// `DemoRun` and `DemoReport` (library ZhaorenSynth).
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Generate a synthetic city, run the whole workflow on it, and show the results and their accuracy.",
        discussion: """
            Writes the city (department files and truth/) into --out, the coverage workflow's \
            outputs into OUT/coverage/ (report.html, worklists/, labels …), the grid survey's \
            deduplication into OUT/dedupe/ and its link to the police register into OUT/link/, \
            and prints what was done, the accuracy against the truth and where every output \
            lies. Progress on stderr.
            """
    )

    @Option(help: ArgumentHelp("Where the city and the outputs go (files of an earlier demo are replaced).", valueName: "dir"))
    var out: String = "demo-city"

    @Option(help: "Persons in the city.")
    var persons: Int = 100_000

    @Option(help: "The generator's seed.")
    var seed: UInt64 = 1

    @Option(help: "The generated files' layout: real (addresses, grid codes, employer names with blank codes) or friendly.")
    var shape: String = "real"

    func validate() throws {
        guard persons >= 1 else { throw ValidationError("--persons must be at least 1") }
        guard CityShape(rawValue: shape) != nil else { throw ValidationError("--shape must be real or friendly, not \(shape)") }
    }

    func run() throws {
        do {
            var demo = DemoRun(folder: URL(fileURLWithPath: out), persons: persons, seed: seed)
            demo.shape = CityShape(rawValue: shape) ?? .real
            let report = try demo.run { line in
                Console.error("demo: \(line)\n")
            }
            print(report.text, terminator: "")
        } catch {
            Console.error("zhaoren: \(error.description)\n")
            throw ExitCode(1)
        }
    }
}
