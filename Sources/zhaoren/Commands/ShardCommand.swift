import ArgumentParser
import Foundation
import Zhaoren
import ZhaorenSupport

/// `zhaoren shard`: the steps of a run cut into parts, for a cluster job
/// (`Scripts/spark/zhaoren_spark.py`) that moves the rows between them.
struct ShardCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "shard",
        abstract: "The steps of a dedupe or link run over parts of the input, for a cluster job (Spark).",
        discussion: """
            A cluster job (Scripts/spark/zhaoren_spark.py) runs these on its executors and its
            driver; the engine does the domain work in each, the job moves the rows:

              plan     on the driver, from a sample: settings, u probabilities, key width
              keys     per input part: every record's blocking keys and folded name
              pairs    per key part: the pairs of the blocks the part owns, counted or scored
              train    on the driver: EM on the summed pattern counts
              cluster  on the driver: clusters and the usual output files
              roots    per component group, when the pairs are too many for the driver:
                       clusters with the cannot-link rule
              finish   on the driver, after roots: the output folder from the job's parts

            Outputs are tab-separated lines whose first field names the kind of line (see
            ShardedRun in the library). The clusters of a sharded run are the single run's.
            """,
        subcommands: [Plan.self, Keys.self, Pairs.self, Train.self, Cluster.self, Roots.self, Finish.self]
    )

    /// Runs `body`, printing errors as `zhaoren: message` with exit status 1.
    static func guarded(_ body: () throws(ZhaorenError) -> Void) throws {
        do { try body() } catch {
            Console.error("zhaoren: \(error.description)\n")
            throw ExitCode(1)
        }
    }

    static func read(_ path: String) throws(ZhaorenError) -> Data {
        do { return try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw ZhaorenError(.io, "cannot read \(path): \(error.localizedDescription)")
        }
    }

    static func readText(_ path: String) throws(ZhaorenError) -> String {
        guard let text = String(data: try read(path), encoding: .utf8) else { throw ZhaorenError(.decoding, "\(path) is not UTF-8") }
        return text
    }

    static func decode<T: Decodable>(_ type: T.Type, _ path: String) throws(ZhaorenError) -> T {
        do { return try JSONDecoder().decode(type, from: try read(path)) } catch let error as ZhaorenError { throw error } catch {
            throw ZhaorenError(.malformedInput, "\(path): \(error)")
        }
    }

    static func write<T: Encodable>(_ value: T, _ path: String) throws(ZhaorenError) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data: Data
        do { data = try encoder.encode(value) } catch { throw ZhaorenError(.internalInvariant, "cannot encode \(path): \(error)") }
        try AtomicFile.write(data, to: URL(fileURLWithPath: path))
    }

    static func source(_ path: String, _ columns: String) throws(ZhaorenError) -> RecordSource {
        try RecordSource(path: path, columns: columns)
    }

    /// The `number count` lines of `path` (signed 64-bit numbers, tab-separated).
    static func numberPairs(_ path: String) throws(ZhaorenError) -> [(Int64, Int)] {
        var out: [(Int64, Int)] = []
        for (line, f) in TSV.numberedRows(try readText(path)) {
            guard f.count == 2, let a = Int64(f[0]), let b = Int(f[1]) else {
                throw ZhaorenError(.malformedInput, "\(path):\(line): expected two numbers separated by a tab")
            }
            out.append((a, b))
        }
        return out
    }

    /// `--plan`, which every step but the first reads.
    struct PlanFile: ParsableArguments {
        @Option(help: ArgumentHelp("The plan (zhaoren shard plan).", valueName: "file"))
        var plan: String

        func load() throws(ZhaorenError) -> ShardedRun.Plan { try ShardCommand.decode(ShardedRun.Plan.self, plan) }
    }

    // MARK: plan

    struct Plan: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Resolve the settings and estimate u from a sample (on the driver).",
            discussion: """
                Example: zhaoren shard plan --records 3000000 --columns name=姓名,id=身份证号 sample.csv --out plan.json
                """)

        @Argument(help: "The sample: one file to deduplicate, or a left and a right sample to link.")
        var samples: [String]
        @Option(help: "Records in the whole input (both sides when linking).")
        var records: Int
        @Option(help: "Linking: records on the left side.")
        var leftRecords: Int?
        @Option(help: ArgumentHelp("Column roles of the (left) sample.", valueName: "roles"))
        var columns: String
        @Option(help: ArgumentHelp("Linking: column roles of the right sample.", valueName: "roles"))
        var rightColumns: String?
        @Option(help: ArgumentHelp("A settings JSON file.", valueName: "file"))
        var settings: String?
        @Option(help: "Acceptance threshold (a match probability).")
        var threshold: Double?
        @Option(help: "Cannot-link probability (0: plain connected components).")
        var cannotLink: Double?
        @Flag(help: "Linking: each record in at most one accepted pair.")
        var oneToOne = false
        @Option(help: ArgumentHelp("The plan file to write.", valueName: "file"))
        var out: String

        func validate() throws {
            guard samples.count == (rightColumns == nil ? 1 : 2) else {
                throw ValidationError("give one sample to deduplicate, or two with --right-columns to link")
            }
            if rightColumns != nil && leftRecords == nil { throw ValidationError("linking needs --left-records") }
            guard records >= 0 else { throw ValidationError("--records must be at least 0") }
        }

        func run() throws {
            try ShardCommand.guarded { () throws(ZhaorenError) in
                var s = try settings.map { (path: String) throws(ZhaorenError) in try LinkSettings.load(URL(fileURLWithPath: path)) } ?? LinkSettings()
                if let threshold { s.threshold = threshold }
                if let cannotLink { s.cannotLink = cannotLink }
                if oneToOne { s.oneToOne = true }
                var sources = [try ShardCommand.source(samples[0], columns)]
                if let rightColumns { sources.append(try ShardCommand.source(samples[1], rightColumns)) }
                let plan = try ShardedRun.plan(samples: sources, mode: rightColumns == nil ? .dedupe : .link, records: records,
                                               leftRecords: leftRecords, settings: s, names: nil)
                try ShardCommand.write(plan, out)
            }
        }
    }

    // MARK: keys

    struct Keys: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The blocking keys and folded name of every record of an input part.",
            discussion: """
                Example: zhaoren shard keys --plan plan.json --columns name=姓名,id=身份证号 part-00003.csv --out keys.tsv
                """)

        @Argument(help: "The part: a CSV file with the input's header.")
        var file: String
        @OptionGroup var plan: PlanFile
        @Option(help: ArgumentHelp("Column roles.", valueName: "roles"))
        var columns: String
        @Option(help: "The side: 0 (deduplicating, or the left input), 1 (the right input).")
        var side = 0
        @Option(help: ArgumentHelp("The key lines to write.", valueName: "file"))
        var out: String

        func run() throws {
            try ShardCommand.guarded { () throws(ZhaorenError) in
                let plan = try self.plan.load()
                let bytes = try ShardedRun.keys(try ShardCommand.source(file, columns), side: side, plan: plan, names: nil)
                try AtomicFile.write(Data(bytes), to: URL(fileURLWithPath: out))
            }
        }
    }

    // MARK: pairs

    struct Pairs: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The candidate pairs of the blocks a key part owns: their pattern counts, or scored.",
            discussion: """
                Without --model: pattern counts, for training. With --model and --names: the
                pairs at or above the threshold and those below the cannot-link probability.

                Example: zhaoren shard pairs --plan plan.json --part 3 --parts 16 --oversized oversized.tsv \\
                           --columns name=姓名,id=身份证号 part-00003.csv --out counts.tsv
                """)

        @Argument(help: "The part's records: one file to deduplicate, or its left and right records to link.")
        var files: [String]
        @OptionGroup var plan: PlanFile
        @Option(help: "This part's number.")
        var part: Int
        @Option(help: "How many key parts there are.")
        var parts: Int
        @Option(help: ArgumentHelp("The oversized keys of the whole input: lines `O rule key` and `D rule subkey` (dropped sub-keys).", valueName: "file"))
        var oversized: String?
        @Option(help: ArgumentHelp("Column roles (of the left records when linking).", valueName: "roles"))
        var columns: String
        @Option(help: ArgumentHelp("Linking: column roles of the right records.", valueName: "roles"))
        var rightColumns: String?
        @Option(help: ArgumentHelp("The trained model (zhaoren shard train): score instead of counting.", valueName: "file"))
        var model: String?
        @Option(help: ArgumentHelp("With --model: the whole input's count of each folded name the part holds, lines `hash count`, and `0 total` (records with a name).", valueName: "file"))
        var names: String?
        @Option(help: ArgumentHelp("The pair lines to write.", valueName: "file"))
        var out: String

        func validate() throws {
            guard parts >= 1, part >= 0, part < parts else { throw ValidationError("--part must be in 0..<--parts") }
            guard files.count == (rightColumns == nil ? 1 : 2) else { throw ValidationError("give one file, or two with --right-columns") }
            if (model == nil) != (names == nil) { throw ValidationError("--model and --names go together") }
        }

        func run() throws {
            try ShardCommand.guarded { () throws(ZhaorenError) in
                let plan = try self.plan.load()
                let rules = plan.settings.blocking?.count ?? 0
                var over = [Set<UInt64>](repeating: [], count: rules), dropped = over
                if let oversized {
                    for (line, f) in TSV.numberedRows(try ShardCommand.readText(oversized)) {
                        guard f.count == 3, f[0] == "O" || f[0] == "D", let r = Int(f[1]), r >= 0, r < rules, let key = Int64(f[2]) else {
                            throw ZhaorenError(.malformedInput, "\(oversized):\(line): expected O or D, a rule number and a key")
                        }
                        if f[0] == "O" { over[r].insert(UInt64(bitPattern: key)) } else { dropped[r].insert(UInt64(bitPattern: key)) }
                    }
                }
                let shard = BlockingShard(index: part, count: parts, recordBits: plan.recordBits, oversized: over, droppedSub: dropped)
                var scoring: ShardedRun.Scoring?
                if let model, let names {
                    let m = try ShardCommand.decode(FellegiSunterModel.self, model)
                    var counts: [UInt64: Int] = [:], total = 0
                    for (hash, count) in try ShardCommand.numberPairs(names) {
                        if hash == 0 { total = count } else { counts[UInt64(bitPattern: hash)] = count }
                    }
                    scoring = ShardedRun.Scoring(model: m, nameCounts: counts, namedRecords: total)
                }
                var sources = [try ShardCommand.source(files[0], columns)]
                if let rightColumns { sources.append(try ShardCommand.source(files[1], rightColumns)) }
                let bytes = try ShardedRun.pairs(sources, mode: plan.mode, plan: plan, shard: shard, scoring: scoring, names: nil)
                try AtomicFile.write(Data(bytes), to: URL(fileURLWithPath: out))
            }
        }
    }

    // MARK: train

    struct Train: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Train the model by EM on the pattern counts of every part (on the driver).",
            discussion: """
                Example: zhaoren shard train --plan plan.json --patterns patterns.tsv --out model.json
                """)

        @OptionGroup var plan: PlanFile
        @Option(help: ArgumentHelp("Pattern counts summed over the parts: lines `pattern count`.", valueName: "file"))
        var patterns: String
        @Option(help: ArgumentHelp("The model file to write.", valueName: "file"))
        var out: String

        func run() throws {
            try ShardCommand.guarded { () throws(ZhaorenError) in
                let plan = try self.plan.load()
                var merged: [UInt64: Int] = [:]
                for (p, c) in try ShardCommand.numberPairs(patterns) { merged[UInt64(bitPattern: p), default: 0] += c }
                let sorted = merged.keys.sorted()
                let model = plan.settings.model
                    ?? ShardedRun.train(plan: plan, counts: PatternCounts(patterns: sorted, counts: sorted.map { merged[$0]! }))
                try ShardCommand.write(model, out)
            }
        }
    }

    // MARK: cluster

    struct Cluster: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Cluster the scored pairs of every part and write the usual output files (on the driver).",
            discussion: """
                Writes pairs.csv, clusters.csv, unmatched.csv (link), rejects.csv and summary.json
                into --out, as a unit, in the formats of zhaoren dedupe and link.

                Example: zhaoren shard cluster --plan plan.json --model model.json --facts facts.json \\
                           --edges edges.tsv --rejects rejects.tsv --out out
                """)

        @OptionGroup var plan: PlanFile
        @Option(help: ArgumentHelp("The model (zhaoren shard train).", valueName: "file"))
        var model: String
        @Option(help: ArgumentHelp("The run's inputs, blocking report, pattern count and stage times (JSON).", valueName: "file"))
        var facts: String
        @Option(help: ArgumentHelp("The A and L lines of every part, rows numbered in each input.", valueName: "file"))
        var edges: String
        @Option(help: ArgumentHelp("The X lines of every part, rows numbered in each input.", valueName: "file"))
        var rejects: String?
        @Option(help: ArgumentHelp("The output folder.", valueName: "dir"))
        var out: String

        func run() throws {
            try ShardCommand.guarded { () throws(ZhaorenError) in
                let plan = try self.plan.load()
                let model = try ShardCommand.decode(FellegiSunterModel.self, self.model)
                let facts = try ShardCommand.decode(ShardedRun.Facts.self, self.facts)
                let summary = try ShardedRun.cluster(edges: try ShardCommand.readText(edges),
                                                     rejects: try rejects.map { (p: String) throws(ZhaorenError) in try ShardCommand.readText(p) } ?? "",
                                                     facts: facts, plan: plan, model: model, to: URL(fileURLWithPath: out))
                Console.error("zhaoren: \(summary.records) records, \(summary.pairsAboveThreshold) pairs above \(summary.threshold), \(summary.multiRecordClusters) clusters of 2+ → \(out)\n")
            }
        }
    }

    // MARK: roots

    struct Roots: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Cluster whole connected components with the cannot-link rule (per component group).",
            discussion: """
                Example: zhaoren shard roots --plan plan.json --edges component-edges.tsv --out roots.tsv
                """)

        @OptionGroup var plan: PlanFile
        @Option(help: ArgumentHelp("The A and L lines of whole components, rows numbered in each input.", valueName: "file"))
        var edges: String
        @Option(help: ArgumentHelp("The root lines to write.", valueName: "file"))
        var out: String

        func run() throws {
            try ShardCommand.guarded { () throws(ZhaorenError) in
                let plan = try self.plan.load()
                let bytes = try ShardedRun.roots(edges: try ShardCommand.readText(edges), plan: plan)
                try AtomicFile.write(Data(bytes), to: URL(fileURLWithPath: out))
            }
        }
    }

    // MARK: finish

    struct Finish: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Put the output folder together from a job's parts (after roots, on the driver).",
            discussion: """
                Each --pairs, --clusters and --unmatched file holds lines of that file without its
                header, in order; they are concatenated under the header.

                Example: zhaoren shard finish --plan plan.json --model model.json --facts facts.json \\
                           --counts counts.json --clusters part-00000 --clusters part-00001 --pairs … --out out
                """)

        @OptionGroup var plan: PlanFile
        @Option(help: ArgumentHelp("The model (zhaoren shard train).", valueName: "file"))
        var model: String
        @Option(help: ArgumentHelp("The run's inputs, blocking report, pattern count and stage times (JSON).", valueName: "file"))
        var facts: String
        @Option(help: ArgumentHelp("Pairs, clusters, refused merges and unmatched records counted by the job (JSON).", valueName: "file"))
        var counts: String
        @Option(help: ArgumentHelp("A part of pairs.csv's lines (repeat, in order).", valueName: "file"))
        var pairs: [String] = []
        @Option(help: ArgumentHelp("A part of clusters.csv's lines (repeat, in order).", valueName: "file"))
        var clusters: [String] = []
        @Option(help: ArgumentHelp("A part of unmatched.csv's lines (repeat, in order; link).", valueName: "file"))
        var unmatched: [String] = []
        @Option(help: ArgumentHelp("The X lines of every part, rows numbered in each input.", valueName: "file"))
        var rejects: String?
        @Option(help: ArgumentHelp("The output folder.", valueName: "dir"))
        var out: String

        func run() throws {
            try ShardCommand.guarded { () throws(ZhaorenError) in
                let plan = try self.plan.load()
                let urls = { (paths: [String]) in paths.map { URL(fileURLWithPath: $0) } }
                let summary = try ShardedRun.finish(
                    bodies: ["pairs": urls(pairs), "clusters": urls(clusters), "unmatched": urls(unmatched)],
                    rejects: try rejects.map { (p: String) throws(ZhaorenError) in try ShardCommand.readText(p) } ?? "",
                    counts: try ShardCommand.decode(ShardedRun.Counts.self, counts),
                    facts: try ShardCommand.decode(ShardedRun.Facts.self, facts), plan: plan,
                    model: try ShardCommand.decode(FellegiSunterModel.self, model), to: URL(fileURLWithPath: out))
                Console.error("zhaoren: \(summary.records) records, \(summary.pairsAboveThreshold) pairs above \(summary.threshold), \(summary.multiRecordClusters) clusters of 2+ → \(out)\n")
            }
        }
    }
}
