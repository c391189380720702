import Foundation

/// Chunked parallel loops with deterministic results: the work is cut into chunks whose
/// boundaries depend only on the size of the input (never on the thread count), each chunk
/// writes its own result slot, and results are combined in chunk order.
///
/// ```swift
/// let sums = Parallel.mapChunks(count: 1_000_000) { range in range.reduce(0, +) }
/// ```
public enum Parallel {
    /// Forces a thread count (tests use it to show results do not depend on it).
    nonisolated(unsafe) package static var threadOverride: Int?

    /// Threads to use: ``threadOverride``, else `ZHAOREN_THREADS` if set, else the active processor count.
    package static var threadCount: Int {
        if let t = threadOverride { return t }
        if let s = ProcessInfo.processInfo.environment["ZHAOREN_THREADS"], let n = Int(s), n > 0 { return n }
        return max(1, ProcessInfo.processInfo.activeProcessorCount)
    }

    /// Chunk ranges covering `0..<count`, each at least `minimumChunk` long (except the last),
    /// at most `maximumChunks` of them. Depends only on the arguments.
    @usableFromInline
    package static func chunks(count: Int, minimumChunk: Int = 4096, maximumChunks: Int = 64) -> [Range<Int>] {
        guard count > 0 else { return [] }
        let n = max(1, min(maximumChunks, count / max(1, minimumChunk)))
        let size = (count + n - 1) / n
        return stride(from: 0, to: count, by: size).map { $0..<min(count, $0 + size) }
    }

    /// Runs `body` on every chunk of `0..<count`, in parallel, and returns the results in chunk order.
    @inlinable
    package static func mapChunks<T>(count: Int, minimumChunk: Int = 4096, maximumChunks: Int = 64,
                                    _ body: @Sendable (Range<Int>) -> T) -> [T] {
        let ranges = chunks(count: count, minimumChunk: minimumChunk, maximumChunks: maximumChunks)
        return map(ranges.count) { body(ranges[$0]) }
    }

    /// Runs `body(k)` for `k` in `0..<n` in parallel, returning results in order of `k`.
    @inlinable
    package static func map<T>(_ n: Int, _ body: @Sendable (Int) -> T) -> [T] {
        guard n > 0 else { return [] }
        let results = UnsafeMutablePointer<T?>.allocate(capacity: n)
        results.initialize(repeating: nil, count: n)
        defer { results.deinitialize(count: n); results.deallocate() }
        // Each iteration writes only its own slot `k`.
        nonisolated(unsafe) let out = results
        run(n) { k in out[k] = body(k) }
        return (0..<n).map { results[$0]! }
    }

    /// Runs `body(k)` for `k` in `0..<n`, on at most ``threadCount`` threads.
    @usableFromInline
    package static func run(_ n: Int, _ body: @Sendable (Int) -> Void) {
        guard n > 0 else { return }
        let threads = min(threadCount, n)
        if threads == 1 {
            for k in 0..<n { body(k) }
            return
        }
        // Workers take iterations from a shared counter, so a slow chunk does not idle the others.
        let next = UnsafeMutablePointer<Int>.allocate(capacity: 1)
        next.initialize(to: 0)
        defer { next.deallocate() }
        let lock = NSLock()
        nonisolated(unsafe) let counter = next
        DispatchQueue.concurrentPerform(iterations: threads) { _ in
            while true {
                lock.lock()
                let k = counter.pointee
                counter.pointee += 1
                lock.unlock()
                if k >= n { return }
                body(k)
            }
        }
    }
}

extension Parallel {
    /// Runs `body(k)` for `k` in `0..<n` in parallel waves of `wave` iterations and hands each
    /// result to `consume`, in order of `k`, on one other thread, while the next wave is
    /// computed on the calling thread and the pool. At most two waves of results exist at once,
    /// so memory stays bounded whatever `n`; the consumer (writing a file) overlaps the
    /// producers (formatting rows). Calls of `consume` never overlap one another, and all are
    /// done when `stream` returns.
    ///
    /// The producers run here rather than in a background task because a parallel loop started
    /// from a task of the global pool gets no more threads (libdispatch runs it nearly serially).
    ///
    /// ```swift
    /// Parallel.stream(chunks.count, wave: 8, { k in format(chunks[k]) }) { bytes in file.append(bytes) }
    /// ```
    package static func stream<T: Sendable>(_ n: Int, wave: Int, _ body: @Sendable (Int) -> T,
                                            consume: (T) -> Void) {
        guard n > 0 else { return }
        let wave = max(1, wave)
        withoutActuallyEscaping(consume) { consume in
            // Used by one writer call at a time; each wave's `wait` orders it with this thread.
            nonisolated(unsafe) let consumer = consume
            let writer = DispatchQueue(label: "zhaoren.parallel.stream")
            var previous: DispatchGroup?
            var start = 0
            while start < n {
                let first = start, count = min(wave, n - start)
                let values = map(count) { body(first + $0) }
                previous?.wait()
                let group = DispatchGroup()
                writer.async(group: group) { for value in values { consumer(value) } }
                previous = group
                start += count
            }
            previous?.wait()
        }
    }
}

extension Parallel {
    /// Runs `background` on another thread while `foreground` runs on the calling thread (work
    /// bound to it, such as a database connection's), and returns both results once both are
    /// done. An error of either is thrown after both finished, the foreground's first.
    ///
    /// ```swift
    /// let (labels, stored) = try Parallel.overlap({ try evaluate(rows) }, while: { try readStored(db) })
    /// ```
    package static func overlap<T: Sendable, U, E: Error>(_ background: @escaping @Sendable () throws(E) -> T,
                                                          while foreground: () throws(E) -> U) throws(E) -> (T, U) {
        let box = OverlapBox<T, E>()
        let group = DispatchGroup()
        DispatchQueue.global().async(group: group) {
            box.result = Result { () throws(E) in try background() }
        }
        let mine = Result { () throws(E) in try foreground() }
        group.wait()
        let foregroundValue = try mine.get()
        return (try box.result!.get(), foregroundValue)
    }
}

/// The background result of ``Parallel/overlap(_:while:)``, written before the group's `wait`
/// returns (which orders the accesses).
private final class OverlapBox<T, E: Error>: @unchecked Sendable {
    var result: Result<T, E>?
}

extension Array where Element: Sendable {
    /// `map` in parallel chunks (``Parallel/mapChunks(count:minimumChunk:maximumChunks:_:)``, so
    /// it honours the thread override); the result is in order and identical to `map`.
    ///
    /// ```swift
    /// let parsed = ids.parallelMap { ResidentID.parse($0, asOf: today) }
    /// ```
    /// - Complexity: O(n) work split over the cores; worth it above a few thousand elements.
    @inlinable
    package func parallelMap<T: Sendable>(minimumChunk: Int = 1024, _ transform: @Sendable (Element) -> T) -> [T] {
        guard count >= 2 * minimumChunk else { return map(transform) }
        let values = self
        return Parallel.mapChunks(count: count, minimumChunk: minimumChunk) { range in range.map { transform(values[$0]) } }
            .flatMap { $0 }
    }
}
