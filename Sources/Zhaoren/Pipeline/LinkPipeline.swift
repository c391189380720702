import Foundation
import ZhaorenSupport

/// Deduplication and linking, end to end: read → normalize → block → compare → train →
/// score → cluster. The batch API returns a ``LinkResult``; ``stream(_:mode:model:batchSize:)``
/// and ``scoredPairs(_:mode:batchSize:)`` hand out scored pairs in batches.
///
/// A pipeline is a `Sendable` value: configure it, then run it from any thread, as often as
/// needed.
///
/// ```swift
/// var pipeline = LinkPipeline(settings: LinkSettings(threshold: 0.9))
/// pipeline.progress = { print($0) }                 // typed events; printed as lines
/// let survey = try RecordSource(path: "survey.csv", columns: "name=姓名,id=身份证号,birth=出生日期")
/// let result = try pipeline.dedupe(survey)
/// try LinkOutputs.write(result, to: URL(fileURLWithPath: "out"))
/// ```
public struct LinkPipeline: Sendable {
    /// What a run does with its sources.
    public enum Mode: String, Sendable, Hashable, Codable, CaseIterable {
        /// Finds the records of one source that are the same person.
        case dedupe
        /// Finds the records of two sources that are the same person (pairs only across them).
        case link
    }

    /// The settings as given (defaults are filled in per run, for the roles and script found).
    public var settings: LinkSettings
    /// The name normalizer; opened on first use when `nil` (its ICU setup takes about a tenth
    /// of a second, which a caller running many pipelines can share).
    public var names: NameNormalizer?
    /// Called with what the run is doing (stages, counts, seconds), from the running thread.
    public var progress: (@Sendable (LinkEvent) -> Void)?

    /// Creates a pipeline.
    public init(settings: LinkSettings = LinkSettings(), names: NameNormalizer? = nil,
                progress: (@Sendable (LinkEvent) -> Void)? = nil) {
        self.settings = settings
        self.names = names
        self.progress = progress
    }

    /// Deduplicates one source.
    public func dedupe(_ source: RecordSource) throws(ZhaorenError) -> LinkResult {
        try run([source], mode: .dedupe)
    }

    /// Links two sources: pairs only between `left` and `right`.
    public func link(_ left: RecordSource, _ right: RecordSource) throws(ZhaorenError) -> LinkResult {
        try run([left, right], mode: .link)
    }

    /// Runs the whole pipeline on `sources` (one to deduplicate, two to link).
    /// - Throws: `ZhaorenError` for unreadable files, missing columns, bad settings.
    public func run(_ sources: [RecordSource], mode: Mode) throws(ZhaorenError) -> LinkResult {
        let prepared = try prepare(sources, mode: mode)
        return try finish(prepared, sources: sources)
    }

    /// Runs the pipeline on records already in memory (for workflows that read their own
    /// inputs): one source in `loaded.table` to deduplicate, or two to link.
    package func run(_ loaded: RecordLoader.Loaded, mode: Mode) throws(ZhaorenError) -> LinkResult {
        try finish(try prepare(loaded, mode: mode, timings: []), sources: [])
    }

    // MARK: Stages

    /// Everything up to scoring, shared by the batch and streaming APIs.
    struct Prepared {
        var loaded: RecordLoader.Loaded
        var mode: Mode
        var settings: LinkSettings
        var side: [UInt8]?
        var candidates: CandidatePairs
        var report: BlockingReport
        var patterns: [UInt64]
        /// Per candidate, ``PairScorer/details(pattern:_:_:)``, made while comparing.
        var details: [UInt32]
        /// How many different patterns the candidates have (counted for training; `nil`: not counted).
        var distinctPatterns: Int?
        var model: FellegiSunterModel
        var trained: Bool
        var scorer: PairScorer
        var timings: [StageTiming]
    }

    func prepare(_ sources: [RecordSource], mode: Mode) throws(ZhaorenError) -> Prepared {
        guard mode == .dedupe ? sources.count == 1 : sources.count == 2 else {
            throw ZhaorenError(.invalidArgument, mode == .link ? "linking takes exactly two sources" : "deduplication takes one source")
        }
        try settings.model?.checkLevels()   // before any file is read
        var watch = Stopwatch()
        let loaded = try RecordLoader(names: names).load(sources, progress: progress)
        let seconds = watch.lap()
        progress?(.stageFinished(.readNormalize, seconds: seconds))
        return try prepare(loaded, mode: mode, timings: [StageTiming(.readNormalize, seconds: seconds)])
    }

    func prepare(_ loaded: RecordLoader.Loaded, mode: Mode, timings: [StageTiming]) throws(ZhaorenError) -> Prepared {
        guard mode == .dedupe || loaded.table.sources.count == 2 else {
            throw ZhaorenError(.invalidArgument, "linking takes exactly two sources")
        }
        var timings = timings
        var watch = Stopwatch()
        func lap(_ stage: LinkStage) {
            let seconds = watch.lap()
            timings.append(StageTiming(stage, seconds: seconds))
            progress?(.stageFinished(stage, seconds: seconds))
        }
        try settings.model?.checkLevels()
        let table = loaded.table
        let resolved = settings.resolved(roles: loaded.roles, latinNames: loaded.latinShare > 0.5)
        let specs = settings.model?.comparisons ?? resolved.comparisons!
        let comparator = try Comparator(specs: specs, table: table)
        let side: [UInt8]? = mode == .link ? table.source.map { UInt8($0) } : nil
        guard resolved.blocking!.count < 255 else {
            throw ZhaorenError(.settings, "at most 254 blocking rules, the settings have \(resolved.blocking!.count)")
        }
        let blocker = Blocker(rules: resolved.blocking!, side: side, unmask: resolved.unmask)
        let trainer = FellegiSunterTrainer(randomPairs: resolved.randomPairs, seed: resolved.seed,
                                           maxIterations: resolved.maxIterations)
        // The random pairs u is learned from need only the records: they are compared on
        // another thread while blocking runs (whose rules leave a core idle between steps).
        let needsTraining = settings.model == nil
        let progress = self.progress
        let (random, (candidates, report)) = Parallel.overlap({ () -> PatternCounts? in
            needsTraining ? trainer.randomPatterns(comparator, side: side) : nil
        }, while: { blocker.candidates(table, progress: progress) })
        progress?(.candidatePairs(candidates.count))
        lap(.blocking)
        let (patterns, details) = Self.patterns(candidates, comparator, details: PairDetails(comparisons: specs, comparator: comparator))
        lap(.compare)
        let model: FellegiSunterModel
        let trained: Bool
        var distinctPatterns: Int?
        if let given = settings.model {
            model = given
            trained = false
        } else {
            let random = random!   // compared during blocking whenever no model is given
            let counts = PatternCounts(counting: patterns)
            let n = table.count
            let left = side.map { s in s.reduce(0) { $0 + ($1 == 0 ? 1 : 0) } } ?? 0
            let possible = mode == .link ? left * (n - left) : n * (n - 1) / 2
            model = trainer.train(counts, comparisons: specs, random: random,
                                  rules: resolved.training ?? TrainingRule.defaults(for: specs), possiblePairs: possible)
            trained = true
            distinctPatterns = counts.patterns.count
            progress?(.trained(patterns: counts.patterns.count, iterations: model.iterations, lambda: model.lambda))
        }
        lap(.train)
        let scorer = PairScorer(model: model, comparator: comparator)
        return Prepared(loaded: loaded, mode: mode, settings: resolved, side: side, candidates: candidates, report: report,
                        patterns: patterns, details: details, distinctPatterns: distinctPatterns, model: model, trained: trained, scorer: scorer, timings: timings)
    }

    /// How many pairs ahead the pattern and scoring loops ask for their records' columns.
    static let prefetchPairs = 8

    /// Asks for the columns of candidate `k`'s two records when `k < end`: pairs come in block
    /// order, their records in no order the hardware foresees, so a loop asks a few pairs ahead.
    @inline(__always)
    static func prefetchPair(_ k: Int, before end: Int, _ candidates: CandidatePairs, _ table: RecordTable) {
        guard k < end else { return }
        table.prefetch(candidates.first(k))
        table.prefetch(candidates.second(k))
    }

    /// The comparison pattern of every candidate, in parallel chunks with their own scratch.
    static func patterns(_ candidates: CandidatePairs, _ comparator: Comparator) -> [UInt64] {
        patterns(candidates, comparator, details: nil).patterns
    }

    /// The comparison pattern of every candidate and, with `details`, each pair's details for
    /// scoring (made while the pair's records are in cache; empty without).
    static func patterns(_ candidates: CandidatePairs, _ comparator: Comparator,
                         details: PairDetails?) -> (patterns: [UInt64], details: [UInt32]) {
        let n = candidates.count
        var out = [UInt64](repeating: 0, count: n)
        var made = [UInt32](repeating: 0, count: details == nil ? 0 : n)
        out.withUnsafeMutableBufferPointer { buffer in
            made.withUnsafeMutableBufferPointer { detailBuffer in
                // Each chunk writes only its own index range.
                nonisolated(unsafe) let base = buffer.baseAddress!
                nonisolated(unsafe) let detailBase = detailBuffer.baseAddress
                let ranges = Parallel.chunks(count: n, minimumChunk: 16_384, maximumChunks: 256)
                let table = comparator.table
                Parallel.run(ranges.count) { c in
                    var scratch = KernelScratch()
                    let end = ranges[c].upperBound
                    // The details unwrapped once a chunk, not once a pair (a copy of the
                    // comparator and its table each time).
                    guard let details, let detailBase else {
                        for k in ranges[c] {
                            Self.prefetchPair(k + Self.prefetchPairs, before: end, candidates, table)
                            base[k] = comparator.pattern(candidates.first(k), candidates.second(k), scratch: &scratch)
                        }
                        return
                    }
                    for k in ranges[c] {
                        Self.prefetchPair(k + Self.prefetchPairs, before: end, candidates, table)
                        let a = candidates.first(k), b = candidates.second(k)
                        let pattern = comparator.pattern(a, b, scratch: &scratch)
                        base[k] = pattern
                        detailBase[k] = details.details(pattern: pattern, a, b)
                    }
                }
            }
        }
        return (out, made)
    }

    func finish(_ prepared: Prepared, sources: [RecordSource]) throws(ZhaorenError) -> LinkResult {
        var p = prepared
        var watch = Stopwatch()
        // Score: keep pairs at or above the threshold.
        let threshold = FellegiSunterModel.weight(probability: p.settings.acceptance)
        let scorer = p.scorer, candidates = p.candidates, patterns = p.patterns, made = p.details
        let chunks = Parallel.mapChunks(count: candidates.count, minimumChunk: 16_384, maximumChunks: 256) { range -> ([Int], [Double], [UInt32]) in
            var idx: [Int] = [], w: [Double] = [], details: [UInt32] = []
            for k in range {
                let d = made[k]
                let weight = scorer.weight(pattern: patterns[k], details: d)
                if weight >= threshold { idx.append(k); w.append(weight); details.append(d) }
            }
            return (idx, w, details)
        }
        var accepted = chunks.flatMap(\.0)
        var weights = chunks.flatMap(\.1)
        var details = chunks.flatMap(\.2)
        p.timings.append(StageTiming(.score, seconds: watch.lap()))
        progress?(.acceptedPairs(accepted.count, threshold: p.settings.acceptance))
        // Cluster.
        let table = p.loaded.table
        if p.mode == .link && p.settings.oneToOne {
            let kept = Clustering.oneToOne(first: accepted.map { UInt32(candidates.first($0)) },
                                           second: accepted.map { UInt32(candidates.second($0)) },
                                           weight: weights, count: table.count)
            accepted = kept.map { accepted[$0] }
            weights = kept.map { weights[$0] }
            details = kept.map { details[$0] }
        }
        let (roots, refused) = Self.cluster(accepted: accepted, weights: weights, p)
        if refused > 0 { progress?(.mergesRefused(refused)) }
        p.timings.append(StageTiming(.cluster, seconds: watch.lap()))
        return LinkResult(mode: p.mode, sources: sources, settings: p.settings, table: table,
                          rejects: p.loaded.rejects, statistics: p.loaded.statistics, candidates: candidates,
                          patterns: patterns, blocking: p.report, model: p.model, trained: p.trained, scorer: scorer,
                          accepted: accepted, acceptedWeight: weights, acceptedDetails: details, clusterRoot: roots, mergesRefused: refused,
                          timings: p.timings, distinctValues: p.loaded.distinctValues, distinctPatterns: p.distinctPatterns)
    }

    /// Clusters the accepted pairs, strongest first, refusing merges across pairs scored below
    /// the cannot-link probability (only pairs inside one connected component are scored again).
    /// - Complexity: O(p α(n)) for the p accepted pairs, plus one pass over the candidates (in
    ///   parallel) that scores those within a component.
    static func cluster(accepted: [Int], weights: [Double], _ p: Prepared) -> (roots: [UInt32], refused: Int) {
        let candidates = p.candidates, n = p.loaded.table.count
        let pairs = accepted.map { (UInt32(candidates.first($0)), UInt32(candidates.second($0))) }
        guard p.settings.cannotLink > 0 else { return (Clustering.components(count: n, pairs: pairs), 0) }
        let floor = FellegiSunterModel.weight(probability: p.settings.cannotLink)
        let plain = Clustering.components(count: n, pairs: pairs)
        var isAccepted = [Bool](repeating: false, count: candidates.count)
        for k in accepted { isAccepted[k] = true }
        let scorer = p.scorer, patterns = p.patterns, details = p.details, skip = isAccepted
        let low = Parallel.mapChunks(count: candidates.count, minimumChunk: 16_384, maximumChunks: 256) { range -> [(UInt32, UInt32)] in
            var out: [(UInt32, UInt32)] = []
            for k in range where !skip[k] {
                let a = candidates.first(k), b = candidates.second(k)
                guard plain[a] == plain[b] else { continue }
                if scorer.weight(pattern: patterns[k], details: details[k]) < floor { out.append((UInt32(a), UInt32(b))) }
            }
            return out
        }.flatMap { $0 }
        return Clustering.components(count: n, pairs: pairs, weights: weights, cannotLink: low, plain: plain)
    }
}
