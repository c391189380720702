import ArgumentParser
import Foundation
import Zhaoren
import ZhaorenBase
import ZhaorenCoverage

/// `zhaoren coverage --settings S.json --out DIR`: the 数据找人 workflow. All logic is in
/// `CoverageRun` and `CoverageOutput` (library ZhaorenCoverage).
struct CoverageCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "coverage",
        abstract: "Build the population base, link every list, tag every person and enterprise, write worklists.",
        discussion: """
            Reads the sources named in a settings file (zhaoren coverage --example-settings prints one; \
            a city from zhaoren generate ships DIR/coverage.json), and writes labels.csv, \
            enterprise_labels.csv, persons.csv, worklists/, rejects.csv, summary.json and report.html \
            into --out. With --previous, also changes.csv and progress against --targets.
            """
    )

    @Option(help: "The settings file (JSON).")
    var settings: String?

    @Option(help: "The output folder.")
    var out: String?

    @Option(name: .customLong("as-of"), help: "The reference date, YYYY-MM-DD (default: the settings' asOf, else today).")
    var asOf: String?

    @Option(help: "The output folder of an earlier run, for changes.csv and progress.")
    var previous: String?

    @Option(help: "A CSV of area,target (the 任务分解表), for progress per area (with --previous).")
    var targets: String?

    @Flag(help: "Write full ID and phone numbers in the worklists (masked by default).")
    var unmask = false

    @Option(name: .customLong("notes-from"), help: ArgumentHelp("A population base (zhaoren base build) whose workers' notes fill the worklists' 核实情况 column.", valueName: "base.sqlite"))
    var notesFrom: String?

    @Option(help: ArgumentHelp("The worklists' format: xlsx (a workbook per village to print, the default) or csv.", valueName: "format"))
    var worklists: String = "xlsx"

    @Flag(name: .customLong("example-settings"), help: "Print a complete example settings file and exit.")
    var exampleSettings = false

    func validate() throws {
        if exampleSettings { return }
        guard settings != nil else { throw ValidationError("--settings is required (or --example-settings)") }
        guard out != nil else { throw ValidationError("--out is required") }
        if let asOf, DateParser.parse(asOf).date == nil { throw ValidationError("--as-of must be a date such as 2026-11-01, not \"\(asOf)\"") }
        if CoverageOutput.WorklistFormat(rawValue: worklists) == nil { throw ValidationError("--worklists must be xlsx or csv, not \"\(worklists)\"") }
        if targets != nil, previous == nil { throw ValidationError("--targets needs --previous (progress is measured against an earlier run)") }
    }

    func run() throws {
        if exampleSettings {
            print(CoverageSettings.example.json(), terminator: "")
            return
        }
        let folder = URL(fileURLWithPath: out!)
        do {
            let loaded = try CoverageSettings.load(URL(fileURLWithPath: settings!))
            let run = try CoverageRun(settings: loaded, asOf: asOf.flatMap { DateParser.parse($0).date })
            // The notes' base and the output folder first: either failing fails before the work.
            let notes = try notesFrom.map { (path: String) throws(ZhaorenError) in
                try PopulationBase(opening: URL(fileURLWithPath: path)).notesByPersonKey()
            }
            let out = try OutputFolder(folder, expectedBytes: loaded.inputBytes)
            let result = try run.run(rejects: out.file("rejects.csv")) { line in
                Console.error("coverage: \(line)\n")
            }
            var options = CoverageOutput.Options(unmask: unmask, previous: previous.map { URL(fileURLWithPath: $0) },
                                                 targets: targets.map { URL(fileURLWithPath: $0) },
                                                 worklistFormat: CoverageOutput.WorklistFormat(rawValue: worklists)!)
            options.notes = notes ?? [:]
            let written = try CoverageOutput(result).write(into: out, options: options)
            for timing in written.timings {
                Console.error("coverage: write \(timing.stage): \(String(format: "%.2f", timing.seconds)) s\n")
            }
            print(written.text, terminator: written.text.hasSuffix("\n") ? "" : "\n")
            // Every output is committed: leave without taking a city's worth of persons and
            // tables apart object by object (about a second at a million persons).
            fflush(nil)
            Foundation.exit(0)
        } catch {
            Console.error("zhaoren: \(error.description)\n")
            throw ExitCode(1)
        }
    }
}
