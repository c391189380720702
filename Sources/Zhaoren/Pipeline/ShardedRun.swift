import Foundation
import ZhaorenSupport

/// Deduplication and linking cut into steps that a cluster job runs on parts of the input
/// (`Scripts/spark/zhaoren_spark.py` drives them through `zhaoren shard …`). The engine does
/// the domain work in every step; the job only moves rows between them:
///
/// 1. ``plan(samples:mode:records:leftRecords:settings:names:)`` — on the driver, from a
///    sample: the settings resolved for the roles and script found, the u probabilities (from
///    random pairs of the sample) and the key width, in one ``Plan`` every step reads.
/// 2. ``keys(_:side:plan:names:)`` — per input part: every record's blocking keys (and sub-keys
///    for rules that split oversized blocks) and folded name. The job counts blocks
///    by key, finds the oversized ones and routes each record to the parts owning its keys.
/// 3. ``pairs(_:mode:plan:shard:scoring:names:)`` — per key part: the candidate pairs of the
///    blocks it owns (``BlockingShard``; a pair is made once, in one part), compared. Without a
///    model it counts their comparison patterns; with one it scores them.
/// 4. ``train(plan:counts:)`` — on the driver: EM on the summed pattern counts (no pass over
///    the pairs).
/// 5. ``cluster(edges:rejects:facts:plan:model:to:)`` — on the driver: clusters with the
///    cannot-link rule and writes `pairs.csv`, `clusters.csv`, `unmatched.csv`, `rejects.csv`
///    and `summary.json` in the single-machine formats. When the accepted pairs are too many for
///    one machine, the job finds the connected components itself, sends each component with a
///    cannot-link pair inside through ``roots(edges:plan:)``, writes the files' lines in parts
///    and ``finish(bodies:rejects:counts:facts:plan:model:to:)`` puts the folder together.
///
/// Every step writes tab-separated lines whose first field names the kind of line; keys are
/// written as signed 64-bit integers (the bits of the engine's `UInt64` keys).
///
/// ```swift
/// let plan = try ShardedRun.plan(samples: [sample], mode: .dedupe, records: 3_000_000,
///                                leftRecords: nil, settings: LinkSettings(), names: nil)
/// let lines = try ShardedRun.keys(partSource, side: 0, plan: plan, names: nil)
/// ```
package enum ShardedRun {
    /// What every step of one sharded run shares, made once by the driver.
    package struct Plan: Codable, Sendable {
        /// Deduplication or linking.
        package var mode: LinkPipeline.Mode
        /// The settings with every default filled in (rules, comparisons, threshold …).
        package var settings: LinkSettings
        /// The low key bits cleared for record indices: what a single run over `records`
        /// records uses, so the keys are the single run's.
        package var recordBits: Int
        /// Records in the whole input (both sides when linking).
        package var records: Int
        /// Linking: records on the left side.
        package var leftRecords: Int?
        /// u probabilities per comparison and level, from random pairs of the sample.
        package var u: [[Double]]
        /// The random pairs' patterns behind `u`: training re-weighs them by the first
        /// model's non-match chance (``FellegiSunterTrainer/train(_:comparisons:random:rules:possiblePairs:)``).
        /// `nil` in plans written before it existed: `u` is used as it is.
        package var random: PatternCounts?

        /// The pairs EM's prior is measured against: all pairs (dedupe) or left × right (link).
        package var possiblePairs: Int {
            if mode == .link, let l = leftRecords { return l * max(0, records - l) }
            return records * max(0, records - 1) / 2
        }

        enum CodingKeys: String, CodingKey {
            case mode, settings, recordBits = "record_bits", records, leftRecords = "left_records", u
            case random = "random_patterns"
        }
    }

    /// What the driver knows about the run that the steps' outputs do not carry: the inputs,
    /// the blocking report summed over the parts, the number of distinct patterns and the
    /// time per stage (read by ``cluster(edges:rejects:facts:plan:model:to:)`` for
    /// `summary.json`).
    package struct Facts: Codable, Sendable {
        /// One input, as in ``LinkSummary/Source``.
        package struct Input: Codable, Sendable {
            package var name: String
            package var path: String
            package var columns: String
            package var encoding: String
            package var rows: Int
        }
        package var inputs: [Input]
        package var blocking: [BlockingReport.Rule]
        package var patterns: Int
        package var secondsPerStage: [String: Double]

        enum CodingKeys: String, CodingKey {
            case inputs, blocking, patterns, secondsPerStage = "seconds_per_stage"
        }
    }

    /// What scoring needs beyond the plan: the model and the whole input's name frequencies.
    package struct Scoring: Sendable {
        package var model: FellegiSunterModel
        /// Records per folded name (by ``NameTable/foldedHash``) over the whole input.
        package var nameCounts: [UInt64: Int]
        /// Records with a name in the whole input.
        package var namedRecords: Int

        package init(model: FellegiSunterModel, nameCounts: [UInt64: Int], namedRecords: Int) {
            self.model = model
            self.nameCounts = nameCounts
            self.namedRecords = namedRecords
        }
    }

    // MARK: 1. Plan

    /// The plan of a run over `records` records (`leftRecords` of them on the left when
    /// linking), from `samples` (one source to deduplicate, two to link) read as the parts
    /// will be.
    package static func plan(samples: [RecordSource], mode: LinkPipeline.Mode, records: Int, leftRecords: Int?,
                             settings: LinkSettings, names: NameNormalizer?) throws(ZhaorenError) -> Plan {
        guard mode == .dedupe ? samples.count == 1 : samples.count == 2 else {
            throw ZhaorenError(.invalidArgument, mode == .link ? "linking takes exactly two samples" : "deduplication takes one sample")
        }
        try settings.model?.checkLevels()
        let loaded = try RecordLoader(names: names).load(samples)
        var resolved = settings.resolved(roles: loaded.roles, latinNames: loaded.latinShare > 0.5)
        if let model = settings.model { resolved.comparisons = model.comparisons }
        guard resolved.blocking!.count < 255 else {
            throw ZhaorenError(.settings, "at most 254 blocking rules, the settings have \(resolved.blocking!.count)")
        }
        let comparator = try Comparator(specs: resolved.comparisons!, table: loaded.table)
        let side: [UInt8]? = mode == .link ? loaded.table.source.map { UInt8($0) } : nil
        let trainer = FellegiSunterTrainer(randomPairs: resolved.randomPairs, seed: resolved.seed, maxIterations: resolved.maxIterations)
        let random = trainer.randomPatterns(comparator, side: side)
        return Plan(mode: mode, settings: resolved, recordBits: BlockingKeys.recordBits(for: records), records: records,
                    leftRecords: leftRecords, u: trainer.u(from: random, comparisons: resolved.comparisons!), random: random)
    }

    // MARK: 2. Keys

    /// The key lines of one input part, eight fields each:
    /// - `K side row rule key sub "" ""` per rule and distinct key of each record (`sub`: the
    ///   key's sub-key for rules that split oversized blocks, else 0; `row`: the record's data
    ///   row in the part);
    /// - `N side row 0 hash 0 "" ""` per record with a name: its folded name's
    ///   ``NameTable/foldedHash`` (the job counts them, for term frequencies);
    /// - `X side row column 0 0 reason raw` per row the reader rejected (text escaped).
    package static func keys(_ source: RecordSource, side: Int, plan: Plan, names: NameNormalizer?) throws(ZhaorenError) -> [UInt8] {
        let loaded = try RecordLoader(names: names).load([source])
        let table = loaded.table
        let rules = plan.settings.blocking!
        let keys = BlockingKeys(table: table, rules: rules, recordBits: plan.recordBits)
        var out = Lines()
        var ks: [UInt64] = [], tmp: [UInt64] = []
        for i in 0..<table.count {
            let row = Int(table.row[i])
            for r in rules.indices {
                keys.rawKeys(rule: r, i, into: &ks, tmp: &tmp)
                let splits = !rules[r].splitBy.isEmpty
                for k in ks {
                    let sub = splits ? keys.subKey(rule: r, k, i, tmp: &tmp) ?? 0 : 0
                    out.kind("K"); out.int(side); out.int(row); out.int(r); out.key(k); out.key(sub); out.text(""); out.text(""); out.end()
                }
            }
        }
        for i in 0..<table.count where table.name[i] != RecordTable.missingID {
            let hash = table.names.foldedHash[Int(table.names.foldedID[Int(table.name[i])])]
            out.kind("N"); out.int(side); out.int(Int(table.row[i])); out.int(0); out.key(hash); out.int(0); out.text(""); out.text(""); out.end()
        }
        for reject in loaded.rejects {
            out.kind("X"); out.int(side); out.int(reject.row); out.int(reject.column ?? 0); out.int(0); out.int(0)
            out.text(reject.reasonText); out.text(reject.raw); out.end()
        }
        return out.bytes
    }

    // MARK: 3. Pairs

    /// The pair lines of one key part (`sources`: the part's records, one source to
    /// deduplicate or the left and right records to link), seven fields each:
    /// - `R 0 0 0 0 0 rule,keys,blocks,pairs,duplicates,oversized,dropped` per rule: the
    ///   part's blocking report;
    /// - without `scoring`: `P 0 pattern 0 count 0 ""` per distinct comparison pattern;
    /// - with it: `A sideA rowA sideB rowB weight contributions` per pair at or above the
    ///   threshold (contributions: the pair's `pairs.csv` cells from `probability` on,
    ///   comma-separated)
    ///   and `L sideA rowA sideB rowB weight ""` per pair below the cannot-link probability.
    package static func pairs(_ sources: [RecordSource], mode: LinkPipeline.Mode, plan: Plan, shard: BlockingShard,
                              scoring: Scoring?, names: NameNormalizer?) throws(ZhaorenError) -> [UInt8] {
        let loaded = try RecordLoader(names: names).load(sources)
        let table = loaded.table
        let settings = plan.settings
        let side: [UInt8]? = mode == .link ? table.source.map { UInt8($0) } : nil
        let blocker = Blocker(rules: settings.blocking!, side: side, shard: shard)
        let (candidates, report) = blocker.candidates(table)
        let comparator = try Comparator(specs: scoring?.model.comparisons ?? settings.comparisons!, table: table)
        let patterns = LinkPipeline.patterns(candidates, comparator)
        var out = Lines()
        for (r, rule) in report.rules.enumerated() {
            out.kind("R"); for _ in 0..<5 { out.int(0) }
            out.text([r, rule.keys, rule.blocks, rule.pairs, rule.duplicatePairs, rule.oversizedBlocks, rule.droppedRecords]
                .map(String.init).joined(separator: ","))
            out.end()
        }
        guard let scoring else {
            let counts = PatternCounts(counting: patterns)
            for (p, c) in zip(counts.patterns, counts.counts) {
                out.kind("P"); out.int(0); out.key(p); out.int(0); out.int(c); out.int(0); out.text(""); out.end()
            }
            return out.bytes
        }
        let tf = TermFrequencies(table: table, counts: scoring.nameCounts, total: scoring.namedRecords)
        let scorer = PairScorer(model: scoring.model, comparator: comparator, termFrequencies: tf)
        let threshold = FellegiSunterModel.weight(probability: settings.acceptance)
        let floor = settings.cannotLink > 0 ? FellegiSunterModel.weight(probability: settings.cannotLink) : -Double.infinity
        let specs = scoring.model.comparisons
        for k in 0..<candidates.count {
            let a = candidates.first(k), b = candidates.second(k)
            let d = scorer.details(pattern: patterns[k], a, b)
            let w = scorer.weight(pattern: patterns[k], details: d)
            guard w >= threshold || w < floor else { continue }
            out.kind(w >= threshold ? "A" : "L")
            out.int(Int(table.source[a])); out.int(Int(table.row[a]))
            out.int(Int(table.source[b])); out.int(Int(table.row[b]))
            out.double(w)
            out.sep()
            if w >= threshold {   // the pairs.csv cells, formatted straight into the line
                CSVRow.appendFixed(scoring.model.probability(weight: w), decimals: 6, to: &out.bytes)
                out.bytes.append(0x2C)
                CSVRow.appendFixed(w, decimals: 3, to: &out.bytes)
                for s in specs.indices {
                    out.bytes.append(0x2C)
                    CSVRow.appendFixed(scorer.contribution(s, pattern: patterns[k], details: d), decimals: 3, to: &out.bytes)
                }
            }
            out.end()
        }
        return out.bytes
    }

    // MARK: 4. Train

    /// The model trained by EM on the pattern counts of every part (with the plan's u).
    package static func train(plan: Plan, counts: PatternCounts) -> FellegiSunterModel {
        let s = plan.settings
        let trainer = FellegiSunterTrainer(randomPairs: s.randomPairs, seed: s.seed, maxIterations: s.maxIterations)
        let specs = s.comparisons!
        let rules = s.training ?? TrainingRule.defaults(for: specs)
        if let random = plan.random {
            return trainer.train(counts, comparisons: specs, random: random, rules: rules, possiblePairs: plan.possiblePairs)
        }
        return trainer.train(counts, comparisons: specs, u: plan.u, rules: rules, possiblePairs: plan.possiblePairs)
    }

    // MARK: 5. Cluster and write

    /// One `A` (accepted) or `L` (cannot-link) line of ``pairs(_:mode:plan:shard:scoring:names:)``:
    /// records by side and row, the pair's weight and, accepted, its `pairs.csv` cells.
    package struct EdgeLine: Sendable {
        package var accepted: Bool
        package var sideA: Int, rowA: Int, sideB: Int, rowB: Int
        package var weight: Double
        package var cells: Substring

        /// The edge lines of `text`.
        /// - Throws: `ZhaorenError(.malformedInput)` naming the first line that is not one.
        package static func parse(_ text: String) throws(ZhaorenError) -> [EdgeLine] {
            var out: [EdgeLine] = []
            for (line, f) in TSV.numberedRows(text) {
                guard f.count >= 6, f[0] == "A" || f[0] == "L", let sa = Int(f[1]), let ra = Int(f[2]), let sb = Int(f[3]),
                      let rb = Int(f[4]), let w = Double(f[5]) else {
                    throw ZhaorenError(.malformedInput, "edges line \(line): expected A or L, sides, rows and a weight")
                }
                out.append(EdgeLine(accepted: f[0] == "A", sideA: sa, rowA: ra, sideB: sb, rowB: rb, weight: w,
                                    cells: f.count > 6 ? f[6] : ""))
            }
            return out
        }
    }

    /// One accepted pair, by global record index.
    struct Edge {
        var a: UInt32
        var b: UInt32
        var weight: Double
        var cells: Substring
    }

    /// Clusters the pairs that every part scored (`edges`: the `A` and `L` lines of
    /// ``pairs(_:mode:plan:shard:scoring:names:)``, with each side's rows) and writes the
    /// single-machine output files into `folder`, as a unit. `rejects` holds the `X` lines of
    /// ``keys(_:side:plan:names:)`` with each part's rows turned into the input's.
    /// - Returns: the summary written.
    @discardableResult
    package static func cluster(edges text: String, rejects rejectText: String, facts: Facts, plan: Plan,
                                model: FellegiSunterModel, to folder: URL) throws(ZhaorenError) -> LinkSummary {
        var watch = Stopwatch()
        let inputs = facts.inputs
        var offset = [0]
        for input in inputs { offset.append(offset.last! + input.rows) }
        let count = offset.last!
        func index(_ side: Int, _ row: Int) throws(ZhaorenError) -> UInt32 {
            guard side >= 0, side < inputs.count, row >= 1, row <= inputs[side].rows else {
                throw ZhaorenError(.malformedInput, "edges: no record \(side):\(row)")
            }
            return UInt32(offset[side] + row - 1)
        }
        var accepted: [Edge] = [], low: [(UInt32, UInt32)] = []
        for e in try EdgeLine.parse(text) {
            let a = try index(e.sideA, e.rowA), b = try index(e.sideB, e.rowB)
            if e.accepted {
                accepted.append(Edge(a: min(a, b), b: max(a, b), weight: e.weight, cells: e.cells))
            } else {
                low.append((min(a, b), max(a, b)))
            }
        }
        accepted.sort { ($0.a, $0.b) < ($1.a, $1.b) }
        if plan.mode == .link && plan.settings.oneToOne {
            let kept = Clustering.oneToOne(first: accepted.map(\.a), second: accepted.map(\.b), weight: accepted.map(\.weight), count: count)
            accepted = kept.sorted().map { accepted[$0] }
        }
        let pairs = accepted.map { ($0.a, $0.b) }
        let plain = Clustering.components(count: count, pairs: pairs)
        let cannot = low.filter { plain[Int($0.0)] == plain[Int($0.1)] }
        let (roots, refused) = cannot.isEmpty ? (plain, 0)
            : Clustering.components(count: count, pairs: pairs, weights: accepted.map(\.weight), cannotLink: cannot, plain: plain)
        let rejects = try parseRejects(rejectText, inputs: inputs)
        var rejected = [Bool](repeating: false, count: count)
        for r in rejects {
            let s = inputs.firstIndex { $0.name == r.source }!
            guard r.row >= 1, r.row <= inputs[s].rows else { throw ZhaorenError(.malformedInput, "rejects: no record \(s):\(r.row)") }
            rejected[offset[s] + r.row - 1] = true
        }
        let clusterSeconds = watch.lap()

        let out = try OutputFolder(folder, expectedBytes: accepted.count * (48 + 8 * model.comparisons.count) + count * 40)
        let staging = out.staging
        let cells = inputs.map { Array(CSVRow.quoted($0.name).utf8) }
        let sideOf = { (i: Int) -> Int in var s = 0; while offset[s + 1] <= i { s += 1 }; return s }
        // pairs.csv
        let pairsFile = try CSVWriter(staging.appendingPathComponent("pairs.csv"))
        for name in ["source_a", "row_a", "source_b", "row_b", "probability", "match_weight"] { pairsFile.row.plain(name) }
        for s in model.comparisons { pairsFile.row.field(s.name) }
        pairsFile.endRow()
        var row = CSVRow(capacity: 1 << 20)
        for e in accepted {
            let sa = sideOf(Int(e.a)), sb = sideOf(Int(e.b))
            row.plain(bytes: cells[sa]); row.int(Int(e.a) - offset[sa] + 1)
            row.plain(bytes: cells[sb]); row.int(Int(e.b) - offset[sb] + 1)
            row.beginField(); row.appendRaw(e.cells.utf8)
            row.endRecord()
            if row.count > 1 << 20 { pairsFile.appendRows(row.bytes, count: 0); row.removeAll() }
        }
        pairsFile.appendRows(row.bytes, count: 0); row.removeAll()
        pairsFile.countRows(accepted.count)
        try pairsFile.commit()
        // clusters.csv, every record read and not rejected
        let clusters = try CSVWriter(staging.appendingPathComponent("clusters.csv"))
        clusters.writeRow(["source", "row", "cluster_id"])
        var size = [Int](repeating: 0, count: count)
        for i in 0..<count where !rejected[i] { size[Int(roots[i])] += 1 }
        var written = 0
        for i in 0..<count where !rejected[i] {
            let s = sideOf(i), root = Int(roots[i]), rs = sideOf(root)
            row.plain(bytes: cells[s]); row.int(i - offset[s] + 1)
            row.field("\(inputs[rs].name):\(root - offset[rs] + 1)")
            row.endRecord()
            written += 1
            if row.count > 1 << 20 { clusters.appendRows(row.bytes, count: 0); row.removeAll() }
        }
        clusters.appendRows(row.bytes, count: 0); row.removeAll()
        clusters.countRows(written)
        try clusters.commit()
        // unmatched.csv (link)
        var unmatched: [String: Int]? = nil
        var files = ["pairs.csv", "clusters.csv"]
        if plan.mode == .link {
            var matched = [Bool](repeating: false, count: count)
            for e in accepted { matched[Int(e.a)] = true; matched[Int(e.b)] = true }
            let file = try CSVWriter(staging.appendingPathComponent("unmatched.csv"))
            file.writeRow(["source", "row"])
            var u: [String: Int] = [:]
            for i in 0..<count where !rejected[i] && !matched[i] {
                let s = sideOf(i)
                file.row.plain(bytes: cells[s]); file.row.int(i - offset[s] + 1); file.endRow()
            }
            for i in 0..<count where !rejected[i] && size[Int(roots[i])] == 1 { u[inputs[sideOf(i)].name, default: 0] += 1 }
            try file.commit()
            unmatched = u
            files.append("unmatched.csv")
        }
        let rejectFile = try RejectWriter(staging.appendingPathComponent("rejects.csv"))
        rejectFile.write(contentsOf: rejects)
        try rejectFile.commit()
        files += ["rejects.csv", "summary.json"]

        var stages = facts.secondsPerStage
        stages["cluster"] = clusterSeconds
        stages["write"] = watch.lap()
        var multi = 0, largest = 0, clusterCount = 0
        for i in 0..<count where size[i] > 0 {
            clusterCount += 1
            if size[i] > 1 { multi += 1 }
            largest = max(largest, size[i])
        }
        let summary = LinkSummary(
            mode: plan.mode,
            sources: sourceSummaries(inputs, rejects),
            records: count - rejects.count, distinctValues: [:], settings: plan.settings,
            blocking: BlockingReport(rules: facts.blocking, largestBlocks: [], candidatePairs: facts.blocking.reduce(0) { $0 + $1.pairs }),
            patterns: facts.patterns, model: model, modelTrained: plan.settings.model == nil,
            levels: Dictionary(model.comparisons.map { ($0.name, $0.kind.levelNames) }, uniquingKeysWith: { a, _ in a }),
            threshold: plan.settings.acceptance, pairsAboveThreshold: accepted.count, mergesRefused: refused,
            clusters: clusterCount, multiRecordClusters: multi, largestCluster: largest, unmatched: unmatched,
            secondsPerStage: stages, totalSeconds: stages.values.reduce(0, +), peakMemoryBytes: ProcessMemory.peakBytes(),
            files: files)
        try AtomicFile.write(try summary.json(), to: staging.appendingPathComponent("summary.json"))
        try out.commit()
        return summary
    }

    // MARK: 5b. Cluster in parts (edges too many for one machine)

    /// The clusters of whole connected components, for a job that found the components itself
    /// and sends each one's pairs here (several components per call; `edges`: `A` and `L` lines
    /// as for ``cluster(edges:rejects:facts:plan:model:to:)``). Returns lines
    /// - `C side row rootSide rootRow` for every record of an accepted pair: its cluster's
    ///   first record (the cannot-link rule applied, as the single run does);
    /// - `D sideA rowA sideB rowB` for each accepted pair one-to-one linking leaves out;
    /// - `M refused 0 0 0` once: the merges the cannot-link rule refused.
    package static func roots(edges text: String, plan: Plan) throws(ZhaorenError) -> [UInt8] {
        struct Ref: Hashable, Comparable {
            var side: Int, row: Int
            static func < (a: Ref, b: Ref) -> Bool { (a.side, a.row) < (b.side, b.row) }
        }
        let lines = try EdgeLine.parse(text).map { e -> (accepted: Bool, a: Ref, b: Ref, weight: Double) in
            let a = Ref(side: e.sideA, row: e.rowA), b = Ref(side: e.sideB, row: e.rowB)
            return (e.accepted, min(a, b), max(a, b), e.weight)
        }
        // Records numbered in input order, so a cluster's smallest number is its first record.
        var refs = Set<Ref>()
        for l in lines where l.accepted { refs.insert(l.a); refs.insert(l.b) }
        let ordered = refs.sorted()
        var number: [Ref: UInt32] = [:]
        for (k, r) in ordered.enumerated() { number[r] = UInt32(k) }
        var accepted = lines.filter(\.accepted).sorted { ($0.a, $0.b) < ($1.a, $1.b) }
        var out = Lines()
        if plan.mode == .link && plan.settings.oneToOne {
            let kept = Clustering.oneToOne(first: accepted.map { number[$0.a]! }, second: accepted.map { number[$0.b]! },
                                           weight: accepted.map(\.weight), count: ordered.count)
            let keep = Set(kept)
            for (k, e) in accepted.enumerated() where !keep.contains(k) {
                out.kind("D"); out.int(e.a.side); out.int(e.a.row); out.int(e.b.side); out.int(e.b.row); out.end()
            }
            accepted = kept.sorted().map { accepted[$0] }
        }
        let pairs = accepted.map { (number[$0.a]!, number[$0.b]!) }
        let low = lines.filter { !$0.accepted }.compactMap { l -> (UInt32, UInt32)? in
            guard let a = number[l.a], let b = number[l.b] else { return nil }
            return (a, b)
        }
        let (roots, refused) = Clustering.components(count: ordered.count, pairs: pairs, weights: accepted.map(\.weight), cannotLink: low)
        for (k, r) in ordered.enumerated() {
            let root = ordered[Int(roots[k])]
            out.kind("C"); out.int(r.side); out.int(r.row); out.int(root.side); out.int(root.row); out.end()
        }
        out.kind("M"); out.int(refused); out.int(0); out.int(0); out.int(0); out.end()
        return out.bytes
    }

    /// What a job that clustered in parts counted, for `summary.json`.
    package struct Counts: Codable, Sendable {
        package var pairs: Int
        package var clusters: Int
        package var multiRecordClusters: Int
        package var largestCluster: Int
        package var mergesRefused: Int
        /// Link mode: records in no accepted pair, per input name.
        package var unmatched: [String: Int]?

        enum CodingKeys: String, CodingKey {
            case pairs, clusters, multiRecordClusters = "multi_record_clusters", largestCluster = "largest_cluster"
            case mergesRefused = "merges_refused", unmatched
        }
    }

    /// Writes the output folder of a run clustered in parts, as a unit: each file's header, then
    /// the lines a job wrote in order into the files of `bodies` (`pairs`, `clusters` and, when
    /// linking, `unmatched`: each a list of files to concatenate), `rejects.csv` from the `X`
    /// lines of ``keys(_:side:plan:names:)`` and `summary.json` from `facts` and `counts`.
    @discardableResult
    package static func finish(bodies: [String: [URL]], rejects rejectText: String, counts: Counts, facts: Facts, plan: Plan,
                               model: FellegiSunterModel, to folder: URL) throws(ZhaorenError) -> LinkSummary {
        var watch = Stopwatch()
        let inputs = facts.inputs
        let bytes = bodies.values.joined().reduce(0) { $0 + ((try? FileManager.default.attributesOfItem(atPath: $1.path))?[.size] as? Int ?? 0) }
        let out = try OutputFolder(folder, expectedBytes: bytes)
        var names = ["pairs", "clusters"]
        if plan.mode == .link { names.append("unmatched") }
        for name in names {
            let file = try CSVWriter(out.staging.appendingPathComponent(name + ".csv"))
            switch name {
            case "pairs":
                for h in ["source_a", "row_a", "source_b", "row_b", "probability", "match_weight"] { file.row.plain(h) }
                for s in model.comparisons { file.row.field(s.name) }
                file.endRow()
            case "clusters": file.writeRow(["source", "row", "cluster_id"])
            default: file.writeRow(["source", "row"])
            }
            var lines = 0
            for part in bodies[name] ?? [] {
                guard let handle = try? FileHandle(forReadingFrom: part) else { throw ZhaorenError(.io, "cannot read \(part.path)") }
                defer { try? handle.close() }
                while true {
                    let chunk: Data
                    do { chunk = try handle.read(upToCount: 1 << 22) ?? Data() } catch {
                        throw ZhaorenError(.io, "cannot read \(part.path): \(error.localizedDescription)")
                    }
                    if chunk.isEmpty { break }
                    lines += chunk.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
                    file.appendRows([UInt8](chunk), count: 0)
                }
            }
            file.countRows(lines)
            try file.commit()
        }
        let rejects = try parseRejects(rejectText, inputs: inputs)
        let rejectFile = try RejectWriter(out.staging.appendingPathComponent("rejects.csv"))
        rejectFile.write(contentsOf: rejects)
        try rejectFile.commit()
        var stages = facts.secondsPerStage
        stages["write"] = watch.lap()
        let summary = LinkSummary(
            mode: plan.mode, sources: sourceSummaries(inputs, rejects), records: inputs.reduce(0) { $0 + $1.rows } - rejects.count,
            distinctValues: [:], settings: plan.settings,
            blocking: BlockingReport(rules: facts.blocking, largestBlocks: [], candidatePairs: facts.blocking.reduce(0) { $0 + $1.pairs }),
            patterns: facts.patterns, model: model, modelTrained: plan.settings.model == nil,
            levels: Dictionary(model.comparisons.map { ($0.name, $0.kind.levelNames) }, uniquingKeysWith: { a, _ in a }),
            threshold: plan.settings.acceptance, pairsAboveThreshold: counts.pairs, mergesRefused: counts.mergesRefused,
            clusters: counts.clusters, multiRecordClusters: counts.multiRecordClusters, largestCluster: counts.largestCluster,
            unmatched: plan.mode == .link ? counts.unmatched ?? [:] : nil,
            secondsPerStage: stages, totalSeconds: stages.values.reduce(0, +), peakMemoryBytes: ProcessMemory.peakBytes(),
            files: names.map { $0 + ".csv" } + ["rejects.csv", "summary.json"])
        try AtomicFile.write(try summary.json(), to: out.staging.appendingPathComponent("summary.json"))
        try out.commit()
        return summary
    }

    /// The rejected rows of the `X` lines in `text`.
    static func parseRejects(_ text: String, inputs: [Facts.Input]) throws(ZhaorenError) -> [RejectedRow] {
        var rejects: [RejectedRow] = []
        for (line, f) in TSV.numberedRows(text) {
            guard f.count >= 9, f[0] == "X", let s = Int(f[1]), s >= 0, s < inputs.count, let row = Int(f[2]) else {
                throw ZhaorenError(.malformedInput, "rejects line \(line): expected an X line")
            }
            let reasonText = unescape(f[7])
            let colon = reasonText.firstIndex(of: ":")
            let reason = RejectReason(rawValue: String(reasonText[..<(colon ?? reasonText.endIndex)])) ?? .raggedRow
            let detail = colon.map { reasonText[reasonText.index($0, offsetBy: 1)...].trimmingCharacters(in: .whitespaces) } ?? ""
            rejects.append(RejectedRow(source: inputs[s].name, row: row, line: row + 1, column: Int(f[3]).flatMap { $0 > 0 ? $0 : nil },
                                       reason: reason, detail: detail, raw: unescape(f[8])))
        }
        return rejects
    }

    /// The inputs as `summary.json` lists them, with their rejected rows per reason.
    static func sourceSummaries(_ inputs: [Facts.Input], _ rejects: [RejectedRow]) -> [LinkSummary.Source] {
        inputs.map { input in
            var reasons: [String: Int] = [:]
            for r in rejects where r.source == input.name { reasons[r.reason.rawValue, default: 0] += 1 }
            return LinkSummary.Source(name: input.name, path: input.path, columns: input.columns, encoding: input.encoding,
                                      rowsRead: input.rows, rowsRejected: reasons.values.reduce(0, +), rejectedByReason: reasons)
        }
    }

    /// `text` with the escapes of ``Lines/text(_:)`` undone.
    static func unescape(_ text: Substring) -> String {
        guard text.contains("\\") else { return String(text) }
        var out = "", escaped = false
        for c in text {
            if escaped {
                out.append(c == "t" ? "\t" : c == "n" ? "\n" : c == "r" ? "\r" : c)
                escaped = false
            } else if c == "\\" {
                escaped = true
            } else {
                out.append(c)
            }
        }
        return out
    }

    /// Tab-separated output lines, built as bytes.
    struct Lines {
        var bytes: [UInt8] = []
        var first = true

        mutating func sep() { if first { first = false } else { bytes.append(0x09) } }
        mutating func kind(_ k: StaticString) { sep(); bytes.append(k.utf8Start.pointee) }
        mutating func int(_ v: Int) { sep(); CSVRow.appendDigits(v, to: &bytes) }
        /// A 64-bit key as the signed integer of its bits (what a JVM `long` holds).
        mutating func key(_ k: UInt64) { sep(); CSVRow.appendDigits(Int(Int64(bitPattern: k)), to: &bytes) }
        mutating func double(_ v: Double) { sep(); bytes.append(contentsOf: "\(v)".utf8) }
        /// Text with tabs, line breaks and backslashes escaped (`\t`, `\n`, `\r`, `\\`).
        mutating func text(_ s: String) {
            sep()
            for b in s.utf8 {
                switch b {
                case 0x09: bytes.append(0x5C); bytes.append(0x74)
                case 0x0A: bytes.append(0x5C); bytes.append(0x6E)
                case 0x0D: bytes.append(0x5C); bytes.append(0x72)
                case 0x5C: bytes.append(0x5C); bytes.append(0x5C)
                default: bytes.append(b)
                }
            }
        }
        mutating func end() { bytes.append(0x0A); first = true }
    }
}

extension LinkSummary {
    /// A summary from its parts (a sharded run's, which has no ``LinkResult``).
    init(mode: LinkPipeline.Mode, sources: [Source], records: Int, distinctValues: [String: Int], settings: LinkSettings,
         blocking: BlockingReport, patterns: Int, model: FellegiSunterModel, modelTrained: Bool, levels: [String: [String]],
         threshold: Double, pairsAboveThreshold: Int, mergesRefused: Int, clusters: Int, multiRecordClusters: Int,
         largestCluster: Int, unmatched: [String: Int]?, secondsPerStage: [String: Double], totalSeconds: Double,
         peakMemoryBytes: Int, files: [String]?) {
        self.mode = mode
        self.sources = sources
        self.records = records
        self.distinctValues = distinctValues
        self.settings = settings
        self.blocking = blocking
        self.patterns = patterns
        self.model = model
        self.modelTrained = modelTrained
        self.levels = levels
        self.threshold = threshold
        self.pairsAboveThreshold = pairsAboveThreshold
        self.mergesRefused = mergesRefused
        self.clusters = clusters
        self.multiRecordClusters = multiRecordClusters
        self.largestCluster = largestCluster
        self.unmatched = unmatched
        self.secondsPerStage = secondsPerStage
        self.totalSeconds = totalSeconds
        self.peakMemoryBytes = peakMemoryBytes
        self.files = files
    }
}
