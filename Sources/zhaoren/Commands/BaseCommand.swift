import ArgumentParser
import Foundation
import Zhaoren
import ZhaorenBase
import ZhaorenCoverage
import ZhaorenSupport

/// `zhaoren base`: the living population base.
struct BaseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "base",
        abstract: "The population base in one SQLite file: build it from a coverage run, update it monthly, read its ledger.",
        subcommands: [BaseBuildCommand.self, BaseUpdateCommand.self, BaseChangesCommand.self]
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

    @OptionGroup var options: BaseRunOptions

    func run() throws {
        try options.finish {
            let (result, text) = try options.coverage()
            let summary = try PopulationBase.build(from: result, settings: text, to: URL(fileURLWithPath: options.db))
            return "zhaoren: base of \(summary.persons) persons and \(summary.records) linked rows (as of \(result.asOf)) → \(options.db)\n"
        }
    }
}

/// `zhaoren base update`: this month's files into an existing base.
struct BaseUpdateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "update",
        abstract: "Apply a coverage run on this month's files to a base: ids kept, changes recorded, one transaction.",
        discussion: """
            Persons keep their ids (matched by ID number, then by shared source rows, then by name,
            birth date and village); new persons get new ids; persons no longer in any file are
            marked gone (their notes stay). Merges and splits are recorded. The month's ledger —
            per label and village, cases new, resolved and persisting — is stored and printed by
            zhaoren base changes. Killed at any moment, the base is the old one or the new one.

            Exit status: 0 done, 1 bad input or base (file:line:column: message on stderr), 64 bad usage.
            """
    )

    @OptionGroup var options: BaseRunOptions

    func run() throws {
        try options.finish {
            let base = try PopulationBase(opening: URL(fileURLWithPath: options.db))
            let (result, text) = try options.coverage()
            let s = try base.update(from: result, settings: text)
            return "zhaoren: update \(s.update): \(s.persons) persons; \(s.new) new, \(s.gone) gone, \(s.changed) with other labels or action, \(s.unchanged) untouched, \(s.merged) merged, \(s.split) split → \(options.db)\n"
        }
    }
}

/// `zhaoren base changes`: an update's ledger as CSV.
struct BaseChangesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "changes",
        abstract: "Print an update's ledger (台账) as CSV: per label and village, cases new, resolved and persisting.",
        discussion: "Columns: update,label,county,township,village,new,resolved,persisting. Exit status: 0 done, 1 bad base, 64 bad usage."
    )

    @Option(help: ArgumentHelp("The base file.", valueName: "file"))
    var db: String

    @Option(help: "The update's number (default: the latest).")
    var update: Int?

    func run() throws {
        do {
            let lines = try PopulationBase(opening: URL(fileURLWithPath: db)).ledger(update: update)
            var out = "update,label,county,township,village,new,resolved,persisting\n"
            for l in lines {
                let cells: [String] = [String(l.update), l.label, l.county, l.township, l.village,
                                       String(l.new), String(l.resolved), String(l.persisting)]
                out += cells.map { CSVRow.quoted($0) }.joined(separator: ",")
                out += "\n"
            }
            Console.out(out)
        } catch {
            Console.error("zhaoren: \(error.description)\n")
            throw ExitCode(1)
        }
    }
}

/// What `base build` and `base update` share: the month's settings, the base file, the date,
/// and running the coverage workflow on them.
struct BaseRunOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The coverage settings naming this month's files (as for zhaoren coverage).", valueName: "file"))
    var settings: String

    @Option(help: ArgumentHelp("The base file.", valueName: "file"))
    var db: String

    @Option(help: "The reference date for ages and lapses (default: today in China).")
    var asOf: String?

    func validate() throws {
        if let asOf, DateParser.parse(asOf).date == nil { throw ValidationError("--as-of must be a date such as 2026-11-01, not \"\(asOf)\"") }
    }

    /// Runs the coverage workflow (rejects to `DB.rejects.csv`); returns the result and the settings text.
    func coverage() throws(ZhaorenError) -> (CoverageResult, String?) {
        let url = URL(fileURLWithPath: settings)
        let loaded = try CoverageSettings.load(url)
        let run = try CoverageRun(settings: loaded, asOf: asOf.flatMap { DateParser.parse($0).date })
        let rejects = URL(fileURLWithPath: db).deletingPathExtension().appendingPathExtension("rejects.csv")
        let result = try run.run(rejects: rejects) { line in Console.error("base: \(line)\n") }
        return (result, try? String(contentsOf: url, encoding: .utf8))
    }

    /// Runs `body`, printing an error as `zhaoren: …` with exit status 1; leaves at once when done.
    func finish(_ body: () throws -> String) throws {
        do {
            Console.error(try body())
            fflush(nil)
            // Leave without taking a city's worth of persons apart object by object.
            Foundation.exit(0)
        } catch {
            Console.error("zhaoren: \((error as? ZhaorenError)?.description ?? "\(error)")\n")
            throw ExitCode(1)
        }
    }
}
