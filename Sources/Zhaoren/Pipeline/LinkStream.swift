import Foundation
import ZhaorenSupport

extension LinkPipeline {
    /// Scores records as they arrive: each ``RecordBatch`` of `records` is normalized, blocked
    /// against the records seen so far and among itself (an ``IncrementalIndex``), compared and
    /// scored, and its candidate pairs come out as one ``ScoredPairBatch`` before the next
    /// batch is read. Memory is the records seen and their keys, plus one batch.
    ///
    /// With a `model` (say, `summary.json`'s `model` from an earlier run, or
    /// ``LinkResult/model``) nothing is trained: scoring starts with the first batch. Without
    /// one, the first batches are held until `trainingRecords` records (both sources when
    /// linking) or the end of the input, a model is trained on them as ``run(_:mode:)`` would,
    /// and streaming continues with it.
    ///
    /// Every candidate pair is handed out, with its probability; keep those you accept. In
    /// `.link` mode the records come from two sources (the first source name seen is one side)
    /// and only pairs across them are made.
    ///
    /// ```swift
    /// let model = try JSONDecoder().decode(LinkSummary.self, from: Data(contentsOf: summaryURL)).model
    /// for try await batch in LinkPipeline().stream(survey.batches(rows: 10_000), model: model) {
    ///     for k in 0..<batch.count where batch.probability[k] >= 0.9 { print(batch.first(k), batch.second(k)) }
    /// }
    /// ```
    public func stream<Records: AsyncSequence & Sendable>(
        _ records: Records, mode: Mode = .dedupe, model: FellegiSunterModel? = nil, trainingRecords: Int = 50_000
    ) -> ScoredPairStream<Records> where Records.Element == RecordBatch {
        ScoredPairStream(records: records, pipeline: self, mode: mode, model: model, trainingRecords: max(2, trainingRecords))
    }

    /// Scores the records of files as they are read, `batchRows` at a time; see
    /// ``stream(_:mode:model:trainingRecords:)``. One source to deduplicate, two to link.
    ///
    /// ```swift
    /// for try await batch in pipeline.stream([survey], model: model) { … }
    /// ```
    public func stream(_ sources: [RecordSource], mode: Mode = .dedupe, model: FellegiSunterModel? = nil,
                       batchRows: Int = 65_536) -> ScoredPairStream<RecordBatches> {
        stream(RecordBatches(sources, rows: batchRows), mode: mode, model: model)
    }
}

/// The scored pairs of records arriving in batches: an `AsyncSequence` of
/// ``ScoredPairBatch``es, one per batch of records that produced pairs; see
/// ``LinkPipeline/stream(_:mode:model:trainingRecords:)``. Work happens in `next()`, one
/// batch at a time, so a slow consumer holds the producer back (no unbounded buffer).
public struct ScoredPairStream<Records: AsyncSequence & Sendable>: AsyncSequence, Sendable where Records.Element == RecordBatch {
    public typealias Element = ScoredPairBatch
    let records: Records
    let pipeline: LinkPipeline
    let mode: LinkPipeline.Mode
    let model: FellegiSunterModel?
    let trainingRecords: Int

    /// Reads a batch of records, scores it, and returns its pairs.
    public struct AsyncIterator: AsyncIteratorProtocol {
        var upstream: Records.AsyncIterator
        let linker: IncrementalLinker
        var ended = false

        public mutating func next() async throws -> ScoredPairBatch? {
            while !ended {
                guard let batch = try await upstream.next() else {
                    ended = true
                    if let pairs = try linker.finish(), pairs.count > 0 { return pairs }
                    return nil
                }
                if let pairs = try linker.add(batch), pairs.count > 0 { return pairs }
            }
            return nil
        }
    }

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(upstream: records.makeAsyncIterator(),
                      linker: IncrementalLinker(pipeline: pipeline, mode: mode, model: model, trainingRecords: trainingRecords))
    }
}

/// The state behind a stream: the records so far, their blocking keys and the model.
/// Not thread-safe: one per stream (or per population base being updated).
package final class IncrementalLinker {
    let pipeline: LinkPipeline
    let mode: LinkPipeline.Mode
    let trainingRecords: Int
    /// The records so far.
    package private(set) var table = RecordTable()
    private var sourceIndex: [String: UInt16] = [:]
    private var side: [UInt8] = []
    private var roles = Set<FieldRole>()
    private var appender: RecordAppender?
    private var index: IncrementalIndex?
    /// The settings in force (defaults filled in when the first records came).
    package private(set) var settings: LinkSettings?
    /// The model scoring the pairs (given, or trained on the first records).
    package private(set) var model: FellegiSunterModel?
    /// Records appended but not yet blocked (held for training).
    private var pending = 0

    package init(pipeline: LinkPipeline, mode: LinkPipeline.Mode, model: FellegiSunterModel?, trainingRecords: Int = 50_000) {
        self.pipeline = pipeline
        self.mode = mode
        self.model = model
        self.trainingRecords = trainingRecords
    }

    /// Adds a batch of records; the scored candidate pairs it makes, or `nil` while records
    /// are held for training.
    package func add(_ batch: RecordBatch) throws(ZhaorenError) -> ScoredPairBatch? {
        if appender == nil { appender = try RecordAppender(names: pipeline.names) }
        let s: UInt16
        if let known = sourceIndex[batch.source] {
            s = known
        } else {
            guard mode == .link ? sourceIndex.count < 2 : sourceIndex.isEmpty else {
                throw ZhaorenError(.invalidArgument, mode == .link
                    ? "linking takes records of two sources; \"\(batch.source)\" is a third"
                    : "deduplication takes records of one source; \"\(batch.source)\" is a second (use mode .link for two)")
            }
            s = table.addSource(batch.source)
            sourceIndex[batch.source] = s
        }
        roles.formUnion(batch.roles)
        appender!.append(batch, source: s, to: &table)
        side.append(contentsOf: repeatElement(UInt8(s), count: batch.count))
        pending += batch.count
        if model == nil {
            let bothSides = mode == .dedupe || sourceIndex.count == 2
            guard bothSides && table.count >= trainingRecords else { return nil }
            try train()
        }
        return try score()
    }

    /// The input has ended: scores what is still held for training (training on it first).
    package func finish() throws(ZhaorenError) -> ScoredPairBatch? {
        guard pending > 0 else { return nil }
        if model == nil {
            guard table.count >= 2 else { return nil }
            try train()
        }
        return try score()
    }

    private func resolve() -> LinkSettings {
        if let settings { return settings }
        let names = table.names
        let latin = names.count == 0 ? 0 : Double(names.isLatin.count(where: { $0 })) / Double(names.count)
        let resolved = pipeline.settings.resolved(roles: roles, latinNames: latin > 0.5)
        settings = resolved
        return resolved
    }

    private func train() throws(ZhaorenError) {
        _ = resolve()
        let loaded = RecordLoader.Loaded(table: table, roles: roles,
                                         latinShare: table.names.count == 0 ? 0
                                             : Double(table.names.isLatin.count(where: { $0 })) / Double(table.names.count))
        var quiet = pipeline
        quiet.progress = nil
        let prepared = try quiet.prepare(loaded, mode: mode, timings: [])
        model = prepared.model
        pipeline.progress?(.trained(patterns: prepared.distinctPatterns ?? PatternCounts(counting: prepared.patterns).patterns.count,
                                    iterations: prepared.model.iterations,
                                    lambda: prepared.model.lambda))
    }

    /// Blocks the pending records against everything before them, then compares and scores.
    private func score() throws(ZhaorenError) -> ScoredPairBatch {
        let settings = resolve()
        guard let model else { throw ZhaorenError(.internalInvariant, "scoring without a model") }
        if index == nil {
            guard settings.blocking!.count < 255 else {
                throw ZhaorenError(.settings, "at most 254 blocking rules, the settings have \(settings.blocking!.count)")
            }
            index = IncrementalIndex(rules: settings.blocking!)
        }
        let range = (table.count - pending)..<table.count
        pending = 0
        let candidates = index!.add(range, of: table, side: mode == .link ? side : nil)
        let comparator = try Comparator(specs: model.comparisons, table: table)
        let scorer = PairScorer(model: model, comparator: comparator)
        var out = ScoredPairBatch(sources: table.sources, scorer: scorer, rules: settings.blocking!.map(\.name))
        out.reserve(candidates.count)
        var scratch = KernelScratch()
        for k in 0..<candidates.count {
            let a = candidates.first(k), b = candidates.second(k)
            let (x, y) = a < b ? (a, b) : (b, a)
            let p = comparator.pattern(x, y, scratch: &scratch)
            out.append(x, y, pattern: p, rule: candidates.rule[k], scorer: scorer, table: table)
        }
        return out
    }
}
