import ArgumentParser
import Foundation
import Zhaoren
import ZhaorenBase
import ZhaorenCoverage

/// `zhaoren base`: the living population base.
struct BaseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "base",
        abstract: "The population base in one SQLite file: build it from a coverage run.",
        subcommands: [BaseBuildCommand.self]
    )
}

/// `zhaoren base build`: a coverage run into a new base file.
struct BaseBuildCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "build",
        abstract: "Run the coverage workflow and store its persons, records, areas, labels and actions in a base file.",
        discussion: """
            The file is the whole state: copy it and you have the base. It is written beside
            --db and renamed into place, so a service reading it sees the old base or the new one.
            Each person gets an opaque id (16 hexadecimal digits) unrelated to their values.
            Rows the readers reject go to DB.rejects.csv beside it.

            Exit status: 0 done, 1 bad input (file:line:column: message on stderr), 64 bad usage.
            """
    )

    @Option(help: ArgumentHelp("The coverage settings file (as for zhaoren coverage).", valueName: "file"))
    var settings: String

    @Option(help: ArgumentHelp("The base file to write.", valueName: "file"))
    var db: String

    @Option(help: "The reference date for ages and lapses (default: today in China).")
    var asOf: String?

    func validate() throws {
        if let asOf, DateParser.parse(asOf).date == nil { throw ValidationError("--as-of must be a date such as 2026-11-01, not \"\(asOf)\"") }
    }

    func run() throws {
        do {
            let url = URL(fileURLWithPath: settings)
            let loaded = try CoverageSettings.load(url)
            let run = try CoverageRun(settings: loaded, asOf: asOf.flatMap { DateParser.parse($0).date })
            let dbURL = URL(fileURLWithPath: db)
            let rejects = dbURL.deletingPathExtension().appendingPathExtension("rejects.csv")
            let result = try run.run(rejects: rejects) { line in Console.error("base: \(line)\n") }
            let text = try? String(contentsOf: url, encoding: .utf8)
            let summary = try PopulationBase.build(from: result, settings: text, to: dbURL)
            Console.error("zhaoren: base of \(summary.persons) persons and \(summary.records) linked rows (as of \(result.asOf)) → \(db)\n")
            fflush(nil)
            Foundation.exit(0)
        } catch {
            Console.error("zhaoren: \(error.description)\n")
            throw ExitCode(1)
        }
    }
}
