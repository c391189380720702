import ArgumentParser
import Dispatch
import Foundation
import Zhaoren
import ZhaorenBench
import ZhaorenSynth
import ZhaorenSupport

/// `zhaoren generate`: writes a deterministic synthetic city with its ground truth.
struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Write a deterministic synthetic city (modelled on 宁夏固原市): department files and their truth.",
        discussion: """
        Same --persons and --seed give byte-identical files. Writes police.csv, grid_survey.csv, \
        insurance.csv, students.csv, dibao.csv, tekun.csv, disabled.csv, deaths.csv, enterprises.csv, \
        tax.csv, truth/, manifest.json and README.txt into --out.

        With --next-month CITY: next month's files for the city in folder CITY (a share of persons \
        moved, changed phones and payments, new persons at the end of the registers, deaths.csv \
        holding only the month's deaths and marked "update": "append" in coverage.json), for \
        zhaoren base update.

        With --english: English-language person records instead (people.csv with noisy \
        duplicates, register.csv, truth/entities.csv), and the dedupe/link/evaluate commands to run.
        """
    )

    @Option(help: "Hidden persons to generate (living and dead).")
    var persons: Int = 10_000

    @Option(help: "Random seed.")
    var seed: UInt64 = 1

    @Option(name: .customLong("next-month"), help: ArgumentHelp("Write next month's files of the city in this folder into --out.", valueName: "folder"))
    var nextMonth: String?

    @Option(name: .customLong("new-share"), help: "With --next-month: the share of new persons (of the police register's rows).")
    var newShare: Double = 0.01

    @Option(name: .customLong("changed-share"), help: "With --next-month: the share of rows changed in each register.")
    var changedShare: Double = 0.02

    @Option(help: "Output folder (created if missing).")
    var out: String

    @Option(help: "Encoding of every department file: utf8 or gb18030 (default: grid_survey in GB18030, the rest UTF-8).")
    var encoding: String?

    @Option(name: .customLong("gb18030-files"),
            help: "Comma-separated files to write in GB18030 (e.g. police,grid_survey; 'none' for none). Overrides --encoding.")
    var gb18030Files: String?

    @Option(name: .customLong("as-of"), help: "Reference date YYYY-MM-DD (default 2026-11-01).")
    var asOf: String?

    @Flag(help: "Inject no errors (clean files, no survey gaps or duplicates).")
    var clean = false

    @Option(help: "File layout: real (police register with addresses only, survey with 15-digit grid codes, insurance accounts with employer names and blank or wrong codes) or friendly (split area columns, codes always present).")
    var shape: String = "real"

    @Option(help: "Writer threads (1 = sequential). The files do not depend on it.")
    var threads: Int?

    @Flag(help: "Also write population.csv: the police register, grid survey and insurance accounts stacked in shared columns (one file of about 2.5 rows per person, as a data center deduplicates), with truth/population.csv.")
    var stacked = false

    @Flag(help: "Write English-language person records (people.csv, register.csv, truth/entities.csv) instead of the city.")
    var english = false

    func validate() throws {
        guard persons >= 1 else { throw ValidationError("--persons must be at least 1") }
        if stacked && english { throw ValidationError("--stacked is for the city, not --english") }
        if let encoding, encoding != "utf8" && encoding != "gb18030" {
            throw ValidationError("--encoding must be utf8 or gb18030, not \(encoding)")
        }
        _ = try gbFiles()
        _ = try referenceDate()
        guard CityShape(rawValue: shape) != nil else {
            throw ValidationError("--shape must be real or friendly, not \(shape)")
        }
    }

    func gbFiles() throws -> Set<CityFile> {
        if let list = gb18030Files {
            if list == "none" || list.isEmpty { return [] }
            var files = Set<CityFile>()
            for name in list.split(separator: ",") {
                let trimmed = name.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: ".csv", with: "")
                guard let file = CityFile(rawValue: trimmed) else {
                    throw ValidationError("--gb18030-files: unknown file \(trimmed); known: \(CityFile.allCases.map(\.rawValue).joined(separator: ","))")
                }
                files.insert(file)
            }
            return files
        }
        switch encoding {
        case "gb18030": return Set(CityFile.allCases)
        case "utf8": return []
        default: return [.gridSurvey]
        }
    }

    func referenceDate() throws -> CivilDate {
        guard let asOf else { return CityConfig.defaultAsOf }
        let parts = asOf.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3, let date = CivilDate(year: parts[0], month: parts[1], day: parts[2]) else {
            throw ValidationError("--as-of must be a date YYYY-MM-DD, not \(asOf)")
        }
        return date
    }

    func run() throws {
        if english { return try runEnglish() }
        if let nextMonth { return try runNextMonth(from: nextMonth) }
        let start = MonotonicClock.seconds()
        let config = CityConfig(persons: persons, seed: seed, asOf: try referenceDate(),
                                errors: clean ? ErrorRates.none : ErrorRates(), shape: CityShape(rawValue: shape) ?? .real)
        Console.error("generating \(persons) persons (seed \(seed), \(shape) shape)…\n")
        let city = try SyntheticCity(config)
        let generated = MonotonicClock.seconds()
        Console.error("writing files into \(out)…\n")
        let (summary, population) = try CityFolder.write(city, to: URL(fileURLWithPath: out), gb18030: try gbFiles(),
                                                         threads: threads, stacked: stacked)
        let end = MonotonicClock.seconds()
        print("file                 rows  encoding")
        for file in CityFile.allCases {
            let rows = String(summary.rows[file] ?? 0)
            let name = file.fileName(in: summary.shape).padding(toLength: 18, withPad: " ", startingAt: 0)
            print(name + String(repeating: " ", count: max(1, 9 - rows.count)) + rows + "  " + (name.contains(".xlsx") ? "xlsx" : summary.gb18030.contains(file) ? "gb18030" : "utf8"))
        }
        if let population {
            print(StackedPopulation.fileName.padding(toLength: 18, withPad: " ", startingAt: 0)
                  + String(repeating: " ", count: max(1, 9 - String(population.rows).count)) + String(population.rows) + "  utf8 (stacked)")
        }
        print("total department rows: \(summary.totalRows); enterprises: \(city.enterpriseCount); injected errors: \(summary.injectedErrors)")
        print("truth: " + summary.truthRows.keys.sorted().map { "\($0) \(summary.truthRows[$0]!)" }.joined(separator: ", "))
        print(String(format: "time: %.2f s generating, %.2f s writing", generated - start, end - generated))
        print("wrote \(out)/ (manifest.json describes every file)")
        if population != nil {
            print("dedupe the stacked file: zhaoren dedupe \(out)/\(StackedPopulation.fileName) --columns \(StackedPopulation.columns) --out \(out)/stacked")
            print("evaluate: zhaoren evaluate --clusters \(out)/stacked/clusters.csv --truth \(out)/\(StackedPopulation.truthPath)")
        }
    }

    /// `--next-month`: next month's files of a generated city.
    func runNextMonth(from folder: String) throws {
        guard (0...1).contains(newShare), (0...1).contains(changedShare) else {
            throw ValidationError("--new-share and --changed-share must be between 0 and 1")
        }
        let start = MonotonicClock.seconds()
        let month = NextMonth(newShare: newShare, changedShare: changedShare, seed: seed)
        let summary: NextMonth.Summary
        do { summary = try month.write(from: URL(fileURLWithPath: folder), to: URL(fileURLWithPath: out)) } catch {
            Console.error("zhaoren: \(error.description)\n")
            throw ExitCode(1)
        }
        print("file                 rows  changed  added")
        for name in summary.rows.keys.sorted() {
            let cells = [String(summary.rows[name]!), String(summary.changed[name] ?? 0), String(summary.added[name] ?? 0)]
            print(name.padding(toLength: 16, withPad: " ", startingAt: 0) + zip(cells, [9, 9, 7]).map { String(repeating: " ", count: max(1, $0.1 - $0.0.count)) + $0.0 }.joined())
        }
        print(String(format: "time: %.2f s; wrote %@/ (the other files copied; coverage.json appends deaths.csv)", MonotonicClock.seconds() - start, out))
        print("apply it: zhaoren base update --settings \(out)/coverage.json --db BASE.sqlite")
    }

    /// `--english`: writes the English records and prints the commands that check them.
    func runEnglish() throws {
        let start = MonotonicClock.seconds()
        Console.error("generating \(persons) English-speaking persons (seed \(seed))…\n")
        let records = EnglishRecords(EnglishConfig(persons: persons, seed: seed, clean: clean))
        let summary = try records.write(to: URL(fileURLWithPath: out))
        let end = MonotonicClock.seconds()
        print("people.csv    \(summary.peopleRows) rows (\(summary.duplicatedPersons) persons with 2+ rows, \(summary.modifications) modifications)")
        print("register.csv  \(summary.registerRows) rows")
        print("truth/entities.csv  \(summary.truthRows) rows")
        print(String(format: "time: %.2f s", end - start))
        let columns = EnglishRecords.columns
        print("dedupe:   zhaoren dedupe \(out)/people.csv --columns \(columns) --out \(out)/dedupe")
        print("evaluate: zhaoren evaluate --pairs \(out)/dedupe/pairs.csv --clusters \(out)/dedupe/clusters.csv --truth \(out)/truth/entities.csv")
        print("link:     zhaoren link \(out)/register.csv \(out)/people.csv --left-columns \(columns) --right-columns \(columns) --out \(out)/link")
        print("evaluate: zhaoren evaluate --pairs \(out)/link/pairs.csv --clusters \(out)/link/clusters.csv --truth \(out)/truth/entities.csv --scope cross")
    }
}
