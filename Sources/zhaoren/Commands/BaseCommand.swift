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
        subcommands: [BaseBuildCommand.self, BaseUpdateCommand.self, BaseRetrainCommand.self, BaseChangesCommand.self]
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
            let (result, text) = try options.coverage(keepRows: true)
            let summary = try PopulationBase.build(from: result, settings: text, to: URL(fileURLWithPath: options.db))
            return "zhaoren: base of \(summary.persons) persons and \(summary.records) linked rows (as of \(result.asOf)) → \(options.db)\n"
        }
    }
}

/// `zhaoren base update`: this month's files into an existing base, linking only what changed.
struct BaseUpdateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "update",
        abstract: "Apply this month's files to a base, linking only the rows that changed: ids kept, changes recorded, one transaction.",
        discussion: """
            Each person-list file the settings name is compared with the rows the base holds, by
            content. A source with "update": "replace" (the default) is the register's whole
            snapshot: its rows no longer in the file leave the base. A source with "update":
            "append" holds new rows only. Added rows are linked with the stored blocking keys and
            model (a valid ID number to its person); only the persons whose rows changed are
            relabelled and written. Sources the settings do not name stay as they are.

            Persons no longer holding any row are marked gone (their notes stay). The update's
            ledger (per label and village: cases new, resolved and persisting) is printed by
            zhaoren base changes. Killed at any moment, the base is the old one or the new one.
            Changed label or action rules, or a new model, need zhaoren base retrain.

            Exit status: 0 done, 1 bad input or base (file:line:column: message on stderr), 64 bad usage.
            """
    )

    @OptionGroup var options: BaseRunOptions

    func run() throws {
        try options.finish {
            let base = try PopulationBase(opening: URL(fileURLWithPath: options.db))
            let (run, text) = try options.prepare()
            let s = try base.update(run: run, settings: text, rejects: options.rejects) { line in Console.error("base: \(line)\n") }
            let files = s.sources.map { "\($0.source) +\($0.added) -\($0.removed)" }.joined(separator: ", ")
            return "zhaoren: update \(s.update) (\(files)): \(s.persons) persons; \(s.new) new, \(s.gone) gone, \(s.changed) with other labels or action, \(s.unchanged) untouched → \(options.db)\n"
        }
    }
}

/// `zhaoren base retrain`: a full coverage run (every row re-linked, the model trained again) into an existing base.
struct BaseRetrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retrain",
        abstract: "Re-run the whole coverage workflow (every row re-linked with a newly trained model) and apply it to a base, keeping ids.",
        discussion: """
            For changed label or action rules, a better model, or a yearly clean start. The run is
            the whole truth: persons keep their ids (matched by ID number, then by shared source
            rows, then by name, birth date and village), new persons get new ids, persons no
            longer in any file are marked gone (their notes stay); merges and splits are recorded.
            The stored rows, blocking keys, places and model are replaced by the run's. One
            transaction: killed at any moment, the base is the old one or the new one.

            Exit status: 0 done, 1 bad input or base (file:line:column: message on stderr), 64 bad usage.
            """
    )

    @OptionGroup var options: BaseRunOptions

    func run() throws {
        try options.finish {
            let base = try PopulationBase(opening: URL(fileURLWithPath: options.db))
            let (result, text) = try options.coverage(keepRows: true)
            let s = try base.retrain(from: result, settings: text)
            return "zhaoren: update \(s.update) (retrained): \(s.persons) persons; \(s.new) new, \(s.gone) gone, \(s.changed) with other labels or action, \(s.unchanged) untouched, \(s.merged) merged, \(s.split) split → \(options.db)\n"
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

    /// Where rows the readers reject go: `DB.rejects.csv` beside the base.
    var rejects: URL { URL(fileURLWithPath: db).deletingPathExtension().appendingPathExtension("rejects.csv") }

    /// The run the settings describe, and the settings text.
    func prepare() throws(ZhaorenError) -> (CoverageRun, String?) {
        let url = URL(fileURLWithPath: settings)
        let loaded = try CoverageSettings.load(url)
        let run = try CoverageRun(settings: loaded, asOf: asOf.flatMap { DateParser.parse($0).date })
        return (run, try? String(contentsOf: url, encoding: .utf8))
    }

    /// Runs the coverage workflow (rejects to `DB.rejects.csv`); returns the result and the settings text.
    func coverage(keepRows: Bool) throws(ZhaorenError) -> (CoverageResult, String?) {
        let (run, text) = try prepare()
        let result = try run.run(rejects: rejects, keepRows: keepRows) { line in Console.error("base: \(line)\n") }
        return (result, text)
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
