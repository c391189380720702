import ArgumentParser
import Foundation
import Zhaoren
import ZhaorenSupport

/// Options shared by `dedupe` and `link`.
struct LinkOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The output folder (pairs.csv, clusters.csv, rejects.csv, summary.json).", valueName: "dir"))
    var out: String?

    @Option(help: "Match probability at or above which a pair is accepted (default 0.9, 0.5 for Latin-script names, or the settings file's).")
    var threshold: Double?

    @Option(help: ArgumentHelp("Clustering: pairs scored below this probability keep their clusters apart unless accepted pairs across them outnumber such pairs (default 0.01; 0: plain connected components).", valueName: "p"))
    var cannotLink: Double?

    @Option(help: ArgumentHelp("A settings JSON file (comparisons, blocking rules, threshold, a trained model).", valueName: "file"))
    var settings: String?

    @Flag(help: "Print the settings actually used (defaults filled in) on stdout.")
    var printSettings = false

    @OptionGroup var input: InputOptions

    @Option(help: ArgumentHelp("The files to write, comma-separated: pairs, clusters, unmatched (link), candidates (every scored candidate pair, for calibration), or all; rejects.csv and summary.json are always written. Default: pairs,clusters,unmatched.", valueName: "files"))
    var write: String?

    @Flag(help: "The inputs are keyed-encoded files (zhaoren encode): no --columns; outputs name records by source and row only.")
    var encoded = false

    @Flag(help: "No progress on stderr.")
    var quiet = false

    @Flag(help: "Show ID numbers, phones, names and birth dates in full in summary.json (the largest blocks); masked by default.")
    var unmask = false

    func validate() throws {
        if let threshold, !(threshold > 0 && threshold < 1) { throw ValidationError("--threshold must be between 0 and 1") }
        if let cannotLink, !(cannotLink >= 0 && cannotLink < 1) { throw ValidationError("--cannot-link must be at least 0 and below 1") }
        if out == nil && !printSettings { throw ValidationError("--out is required (or --print-settings alone)") }
        if let write { do { _ = try LinkOutputs.Files(parsing: write) } catch { throw ValidationError("--write: \(error.message)") } }
    }

    /// The files to write (`--write`), the standard ones by default.
    var files: LinkOutputs.Files { write.flatMap { try? LinkOutputs.Files(parsing: $0) } ?? .standard }

    var readerOptions: CSVReader.Options { input.readerOptions }

    func loadSettings() throws(ZhaorenError) -> LinkSettings {
        var s = try settings.map { (path: String) throws(ZhaorenError) in try LinkSettings.load(URL(fileURLWithPath: path)) } ?? LinkSettings()
        if let threshold { s.threshold = threshold }
        if let cannotLink { s.cannotLink = cannotLink }
        if unmask { s.unmask = true }
        return s
    }

    static func source(_ path: String, _ columns: String, _ options: CSVReader.Options) throws -> RecordSource {
        do { return try RecordSource(path: path, columns: columns, options: options) } catch { throw ValidationError(error.message) }
    }

    /// The source of `path`: with `--encoded` the file alone, else read with `columns`.
    func source(_ path: String, _ columns: String?) throws -> RecordSource {
        if encoded { return RecordSource(url: URL(fileURLWithPath: path), columns: ColumnSpec([])) }
        return try Self.source(path, columns ?? "", readerOptions)
    }

    /// `--columns` (or `--left-columns`/`--right-columns`) are required for plaintext files and
    /// refused with `--encoded`, whose files carry their own columns.
    func checkColumns(_ given: [String?]) throws {
        if encoded {
            if given.contains(where: { $0 != nil }) { throw ValidationError("--encoded files carry their own columns: leave out --columns") }
        } else if given.contains(where: { $0 == nil }) {
            throw ValidationError(given.count == 1 ? "--columns is required (ROLE=HEADER,…), or --encoded for a keyed-encoded file"
                                                   : "--left-columns and --right-columns are required (ROLE=HEADER,…), or --encoded for keyed-encoded files")
        }
    }

    /// Runs `body` and prints errors as `zhaoren: file:line:column: message`, exit status 1.
    func run(sources: [RecordSource], linking: Bool, oneToOne: Bool = false) throws {
        do {
            var settings = try loadSettings()
            if oneToOne { settings.oneToOne = true }
            if printSettings {
                let pipeline = LinkPipeline(settings: settings)
                print(try (encoded ? pipeline.resolvedSettings(encoded: sources.map(\.url)) : pipeline.resolvedSettings(for: sources)).json())
            }
            guard let out else { return }
            // The output folder first: one that cannot be written, or a full disk, fails before the work.
            let inputBytes = sources.reduce(0) { $0 + ((try? FileManager.default.attributesOfItem(atPath: $1.url.path))?[.size] as? Int ?? 0) }
            let folder = try OutputFolder(URL(fileURLWithPath: out), expectedBytes: inputBytes)
            var pipeline = LinkPipeline(settings: settings)
            if !quiet { pipeline.progress = { Console.error("zhaoren: \($0)\n") } }
            let mode: LinkPipeline.Mode = linking ? .link : .dedupe
            let result = try encoded ? pipeline.run(encoded: sources.map(\.url), mode: mode) : pipeline.run(sources, mode: mode)
            if !quiet {
                for (source, statistics) in zip(sources, result.statistics) {
                    for note in statistics.notes { Console.error("zhaoren: \(source.name): \(note)\n") }
                }
            }
            let summary = try LinkOutputs.write(result, into: folder, files: files)
            try folder.commit()
            if !quiet {
                let rows = summary.sources.map { "\($0.name) \($0.rowsRead) rows (\($0.rowsRejected) rejected)" }.joined(separator: ", ")
                let line = String(format: "%@; %d candidate pairs, %d above %.3g, %d clusters of 2+; %.2f s, peak %.0f MiB → %@\n",
                                  rows, summary.blocking.candidatePairs, summary.pairsAboveThreshold, summary.threshold,
                                  summary.multiRecordClusters, summary.totalSeconds, Double(summary.peakMemoryBytes) / 1_048_576, out)
                Console.error(("zhaoren: " + line))
            }
        } catch {
            Console.error("zhaoren: \(error.description)\n")
            throw ExitCode(1)
        }
    }
}

/// `zhaoren dedupe`: find the records of one file that are the same person.
struct DedupeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dedupe",
        abstract: "Find duplicate people in one CSV/TSV file.",
        discussion: """
            Writes into --out: pairs.csv (accepted pairs with probability, match weight and the
            weight of each comparison), clusters.csv (every record with its cluster id),
            rejects.csv and summary.json (counts, largest blocks, trained model, timings, memory).
            --write clusters writes only the clusters (with rejects.csv and summary.json);
            --write candidates adds candidates.csv, every scored candidate pair.

            Exit status: 0 done, 1 bad input (file:line:column: message on stderr), 64 bad usage.
            """
    )

    @Argument(help: "The input CSV or TSV file (UTF-8 or GB18030).")
    var file: String

    @Option(help: ArgumentHelp("Column roles: ROLE=HEADER[,ROLE=HEADER…] (e.g. name=姓名,id=身份证号,birth=出生日期); not with --encoded.", valueName: "roles"))
    var columns: String?

    @OptionGroup var options: LinkOptions

    func validate() throws {
        try options.checkColumns([columns])
    }

    func run() throws {
        let source = try options.source(file, columns)
        try options.run(sources: [source], linking: false)
    }
}
