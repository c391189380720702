/// An `AsyncSequence` of ``ScoredPairBatch``es over the candidate pairs of a run.
public struct ScoredPairStream: AsyncSequence, Sendable {
    public typealias Element = ScoredPairBatch
    let table: RecordTable
    let scorer: PairScorer
    let candidates: CandidatePairs
    let patterns: [UInt64]
    let batchSize: Int

    /// Total candidate pairs the stream will yield.
    public var pairCount: Int { candidates.count }

    /// The iterator: scores one batch per call.
    public struct AsyncIterator: AsyncIteratorProtocol {
        let stream: ScoredPairStream
        var position = 0

        public mutating func next() async throws -> ScoredPairBatch? {
            let s = stream
            guard position < s.candidates.count else { return nil }
            let end = Swift.min(s.candidates.count, position + s.batchSize)
            var batch = ScoredPairBatch(table: s.table, scorer: s.scorer)
            batch.first.reserveCapacity(end - position)
            for k in position..<end {
                let a = s.candidates.first(k), b = s.candidates.second(k)
                let w = s.scorer.weight(pattern: s.patterns[k], a, b)
                batch.first.append(a)
                batch.second.append(b)
                batch.pattern.append(s.patterns[k])
                batch.rule.append(s.candidates.rule[k])
                batch.weight.append(w)
                batch.probability.append(s.scorer.model.probability(weight: w))
            }
            position = end
            return batch
        }
    }

    public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(stream: self) }
}
