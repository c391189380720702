import Foundation

/// Deduplication and linking, end to end: read → normalize → block → compare → train →
/// score → cluster. The batch API returns a ``LinkResult``; ``scoredPairs(_:linking:batchSize:)``
/// streams scored candidate pairs in batches.
///
/// ```swift
/// let pipeline = LinkPipeline(settings: LinkSettings(threshold: 0.9))
/// let survey = try RecordSource(path: "survey.csv", columns: "name=姓名,id=身份证号,birth=出生日期")
/// let result = try pipeline.dedupe(survey)
/// try LinkOutputs.write(result, to: URL(fileURLWithPath: "out"))
/// ```
public final class LinkPipeline: @unchecked Sendable {
    /// The settings as given (defaults are filled in per run).
    public let settings: LinkSettings
    /// Called with a line of progress per stage (the CLI prints it on stderr).
    public var progress: ((String) -> Void)?
    private let names: NameNormalizer?

    /// Creates a pipeline; `names` is opened on first use when nil.
    public init(settings: LinkSettings = LinkSettings(), names: NameNormalizer? = nil) {
        self.settings = settings
        self.names = names
    }

    /// Deduplicates one source.
    public func dedupe(_ source: RecordSource) throws(ZhaorenError) -> LinkResult {
        try run([source], linking: false)
    }

    /// Links two sources: pairs only between `left` and `right`.
    public func link(_ left: RecordSource, _ right: RecordSource) throws(ZhaorenError) -> LinkResult {
        try run([left, right], linking: true)
    }

    /// Everything up to scoring, shared by the batch and streaming APIs.
    struct Prepared {
        var loaded: RecordLoader.Loaded
        var settings: LinkSettings
        var side: [UInt8]?
        var candidates: CandidatePairs
        var report: BlockingReport
        var patterns: [UInt64]
        var model: FellegiSunterModel
        var trained: Bool
        var scorer: PairScorer
        var timings: [(stage: String, seconds: Double)]
    }

    static func now() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_MONOTONIC, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
    }

    func prepare(_ sources: [RecordSource], linking: Bool) throws(ZhaorenError) -> Prepared {
        guard !linking || sources.count == 2 else { throw ZhaorenError(.invalidArgument, "linking takes exactly two sources") }
        try settings.model?.checkLevels()   // before any file is read
        let t0 = Self.now()
        let loaded = try RecordLoader(names: names).load(sources, progress: progress)
        let seconds = Self.now() - t0
        progress?(String(format: "%@: %.2f s", "read_normalize", seconds))
        return try prepare(loaded, linking: linking, timings: [("read_normalize", seconds)])
    }

    func prepare(_ loaded: RecordLoader.Loaded, linking: Bool,
                 timings: [(stage: String, seconds: Double)]) throws(ZhaorenError) -> Prepared {
        guard !linking || loaded.table.sources.count == 2 else {
            throw ZhaorenError(.invalidArgument, "linking takes exactly two sources")
        }
        var timings = timings
        var t0 = Self.now()
        func lap(_ stage: String) {
            let t = Self.now()
            timings.append((stage, t - t0))
            progress?(String(format: "%@: %.2f s", stage, t - t0))
            t0 = t
        }
        try settings.model?.checkLevels()
        let table = loaded.table
        let resolved = settings.resolved(roles: loaded.roles, latinNames: loaded.latinShare > 0.5)
        let specs = settings.model?.comparisons ?? resolved.comparisons!
        let comparator = try Comparator(specs: specs, table: table)
        let side: [UInt8]? = linking ? table.source.map { UInt8($0) } : nil
        var blocker = Blocker(rules: resolved.blocking!, side: side)
        blocker.side = side
        let (candidates, report) = blocker.candidates(table, progress: progress)
        progress?("\(candidates.count) candidate pairs")
        lap("blocking")
        let patterns = Self.patterns(candidates, comparator)
        lap("compare")
        let model: FellegiSunterModel
        let trained: Bool
        if let given = settings.model {
            model = given
            trained = false
        } else {
            let trainer = FellegiSunterTrainer(randomPairs: resolved.randomPairs, seed: resolved.seed,
                                               maxIterations: resolved.maxIterations)
            let u = trainer.estimateU(comparator, side: side)
            let counts = PatternCounts(counting: patterns)
            let n = table.count
            let left = linking ? table.source.reduce(0) { $0 + ($1 == 0 ? 1 : 0) } : 0
            let possible = linking ? left * (n - left) : n * (n - 1) / 2
            model = trainer.train(counts, comparisons: specs, u: u, rules: resolved.training ?? TrainingRule.defaults(for: specs),
                                  possiblePairs: possible)
            trained = true
            progress?("EM: \(counts.patterns.count) patterns, \(model.iterations) iterations, λ = \(model.lambda)")
        }
        lap("train")
        let scorer = PairScorer(model: model, comparator: comparator)
        return Prepared(loaded: loaded, settings: resolved, side: side, candidates: candidates, report: report,
                        patterns: patterns, model: model, trained: trained, scorer: scorer, timings: timings)
    }

    /// The comparison pattern of every candidate, in parallel chunks with their own scratch.
    static func patterns(_ candidates: CandidatePairs, _ comparator: Comparator) -> [UInt64] {
        let n = candidates.count
        var out = [UInt64](repeating: 0, count: n)
        out.withUnsafeMutableBufferPointer { buffer in
            // Each chunk writes only its own index range.
            nonisolated(unsafe) let base = buffer.baseAddress!
            let ranges = Parallel.chunks(count: n, minimumChunk: 16_384, maximumChunks: 256)
            Parallel.run(ranges.count) { c in
                var scratch = KernelScratch()
                for k in ranges[c] {
                    base[k] = comparator.pattern(candidates.first(k), candidates.second(k), scratch: &scratch)
                }
            }
        }
        return out
    }

    /// Runs the whole pipeline on `sources` (one to deduplicate, or two to link).
    public func run(_ sources: [RecordSource], linking: Bool) throws(ZhaorenError) -> LinkResult {
        try finish(try prepare(sources, linking: linking), sources: sources, linking: linking)
    }

    /// Runs the pipeline on records already in memory (for tools that read their own inputs):
    /// one source in `loaded.table` to deduplicate, or two to link.
    ///
    /// ```swift
    /// var table = RecordTable()
    /// let base = table.addSource("base"), list = table.addSource("list")
    /// … table.append(source: base, row: 1, fields) …
    /// let result = try pipeline.run(RecordLoader.Loaded(table: table, roles: [.name, .id, .birth]), linking: true)
    /// ```
    public func run(_ loaded: RecordLoader.Loaded, linking: Bool) throws(ZhaorenError) -> LinkResult {
        try finish(try prepare(loaded, linking: linking, timings: []), sources: [], linking: linking)
    }

    private func finish(_ prepared: Prepared, sources: [RecordSource], linking: Bool) throws(ZhaorenError) -> LinkResult {
        var p = prepared
        var t0 = Self.now()
        // Score: keep pairs at or above the threshold.
        let threshold = FellegiSunterModel.weight(probability: p.settings.acceptance)
        let scorer = p.scorer, candidates = p.candidates, patterns = p.patterns
        let chunks = Parallel.mapChunks(count: candidates.count, minimumChunk: 16_384, maximumChunks: 256) { range -> ([Int], [Double]) in
            var idx: [Int] = [], w: [Double] = []
            for k in range {
                let weight = scorer.weight(pattern: patterns[k], candidates.first(k), candidates.second(k))
                if weight >= threshold { idx.append(k); w.append(weight) }
            }
            return (idx, w)
        }
        var accepted = chunks.flatMap(\.0)
        var weights = chunks.flatMap(\.1)
        p.timings.append(("score", Self.now() - t0))
        progress?("\(accepted.count) pairs at or above \(p.settings.acceptance)")
        t0 = Self.now()
        // Cluster.
        let table = p.loaded.table
        if linking && p.settings.oneToOne {
            let kept = Clustering.oneToOne(first: accepted.map { UInt32(candidates.first($0)) },
                                           second: accepted.map { UInt32(candidates.second($0)) },
                                           weight: weights, count: table.count)
            accepted = kept.map { accepted[$0] }
            weights = kept.map { weights[$0] }
        }
        let (roots, refused) = Self.cluster(accepted: accepted, weights: weights, p)
        if refused > 0 { progress?("\(refused) cluster merges refused (cannot-link)") }
        p.timings.append(("cluster", Self.now() - t0))
        return LinkResult(linking: linking, sources: sources, settings: p.settings, table: table,
                          rejects: p.loaded.rejects, statistics: p.loaded.statistics, candidates: candidates,
                          patterns: patterns, blocking: p.report, model: p.model, trained: p.trained, scorer: scorer,
                          accepted: accepted, acceptedWeight: weights, clusterRoot: roots, mergesRefused: refused,
                          timings: p.timings, distinctValues: p.loaded.distinctValues)
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
        let scorer = p.scorer, patterns = p.patterns, skip = isAccepted
        let low = Parallel.mapChunks(count: candidates.count, minimumChunk: 16_384, maximumChunks: 256) { range -> [(UInt32, UInt32)] in
            var out: [(UInt32, UInt32)] = []
            for k in range where !skip[k] {
                let a = candidates.first(k), b = candidates.second(k)
                guard plain[a] == plain[b] else { continue }
                if scorer.weight(pattern: patterns[k], a, b) < floor { out.append((UInt32(a), UInt32(b))) }
            }
            return out
        }.flatMap { $0 }
        return Clustering.components(count: n, pairs: pairs, weights: weights, cannotLink: low, plain: plain)
    }

    /// Streams every scored candidate pair of `sources`, `batchSize` pairs per element (the last
    /// may be shorter), after reading, blocking and training have run. Scoring happens as the
    /// sequence is iterated.
    ///
    /// ```swift
    /// for try await batch in try pipeline.scoredPairs([survey], linking: false) {
    ///     for k in 0..<batch.count where batch.probability[k] > 0.99 { … }
    /// }
    /// ```
    public func scoredPairs(_ sources: [RecordSource], linking: Bool, batchSize: Int = 65_536) throws(ZhaorenError) -> ScoredPairStream {
        let p = try prepare(sources, linking: linking)
        return ScoredPairStream(table: p.loaded.table, scorer: p.scorer, candidates: p.candidates,
                                patterns: p.patterns, batchSize: max(1, batchSize))
    }
}
