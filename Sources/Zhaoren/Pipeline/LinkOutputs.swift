import Foundation
import ZhaorenSupport

/// Writes a run's outputs into a folder, as a unit (``OutputFolder``): the files chosen with
/// ``Files`` — by default `pairs.csv`, `clusters.csv` and `unmatched.csv` (link mode) — then
/// `rejects.csv` and, last, `summary.json`, which are always written.
///
/// - `pairs.csv`: `source_a,row_a,source_b,row_b,probability,match_weight`, then one column per
///   comparison with the weight it contributed; accepted pairs only.
/// - `clusters.csv`: `source,row,cluster_id` for every record read, singletons included; the id
///   is `source:row` of the cluster's first record (stable across runs).
/// - `unmatched.csv`: `source,row` of records in no accepted pair.
/// - `candidates.csv` (only when asked for): every candidate pair blocking made, scored:
///   `source_a,row_a,source_b,row_b,probability,match_weight,accepted` — what
///   `zhaoren evaluate` needs to show calibration below the threshold, or to try thresholds.
///
/// Large files are formatted in parallel chunks and written while the next chunks are
/// formatted, so memory stays at a few chunks however many pairs there are.
///
/// ```swift
/// let summary = try LinkOutputs.write(result, to: URL(fileURLWithPath: "out"))
/// try LinkOutputs.write(result, to: URL(fileURLWithPath: "batch"), files: [.clusters])
/// ```
public enum LinkOutputs {
    /// Which files a run writes (`rejects.csv` and `summary.json` always are).
    ///
    /// ```swift
    /// let files = try LinkOutputs.Files(parsing: "clusters")   // a batch job's usual choice
    /// ```
    public struct Files: OptionSet, Sendable, Hashable {
        public let rawValue: Int
        /// Creates a selection from its bits.
        public init(rawValue: Int) { self.rawValue = rawValue }
        /// `pairs.csv`: accepted pairs with their weights.
        public static let pairs = Files(rawValue: 1)
        /// `clusters.csv`: every record with its cluster id.
        public static let clusters = Files(rawValue: 2)
        /// `unmatched.csv` (link mode): records in no accepted pair.
        public static let unmatched = Files(rawValue: 4)
        /// `candidates.csv`: every scored candidate pair.
        public static let candidates = Files(rawValue: 8)
        /// What a run writes unless told otherwise: pairs, clusters and (link mode) unmatched.
        public static let standard: Files = [.pairs, .clusters, .unmatched]
        /// Every file, `candidates.csv` included.
        public static let all: Files = [.pairs, .clusters, .unmatched, .candidates]
        /// The names accepted by ``init(parsing:)``, in order.
        public static let names: [(String, Files)] = [("pairs", .pairs), ("clusters", .clusters),
                                                      ("unmatched", .unmatched), ("candidates", .candidates)]

        /// Parses a comma-separated list such as `pairs,clusters` (or `all`).
        /// - Throws: `ZhaorenError(.invalidArgument)` naming an unknown file and the known ones.
        public init(parsing list: String) throws(ZhaorenError) {
            var files: Files = []
            for part in list.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces).lowercased() }) where !part.isEmpty {
                if part == "all" { files.formUnion(.all); continue }
                guard let named = Self.names.first(where: { $0.0 == part || $0.0 + ".csv" == part }) else {
                    throw ZhaorenError(.invalidArgument,
                                       "unknown output file '\(part)': expected \(Self.names.map(\.0).joined(separator: ", ")) or all")
                }
                files.insert(named.1)
            }
            guard !files.isEmpty else {
                throw ZhaorenError(.invalidArgument, "no output file named: expected \(Self.names.map(\.0).joined(separator: ", ")) or all")
            }
            self = files
        }
    }

    /// Writes the chosen files into `folder` as a unit (``OutputFolder``: the previous outputs there
    /// stay whole until the new ones replace them in one step) and returns the summary written.
    /// - Throws: `ZhaorenError(.io)` naming the file or folder that could not be written and
    ///   why (before any work when the folder is not writable or the disk is nearly full).
    @discardableResult
    public static func write(_ r: LinkResult, to folder: URL, files: Files = .standard) throws(ZhaorenError) -> LinkSummary {
        let out = try OutputFolder(folder, expectedBytes: expectedBytes(r, files))
        let summary = try write(r, into: out, files: files)
        try out.commit()
        return summary
    }

    /// About how many bytes the chosen files of `r` take (for the free-space check).
    static func expectedBytes(_ r: LinkResult, _ files: Files = .standard) -> Int {
        (files.contains(.pairs) ? r.accepted.count * (48 + 8 * r.model.comparisons.count) : 0)
            + (files.contains(.candidates) ? r.candidates.count * 56 : 0)
            + (files.contains(.clusters) ? r.table.count * 40 : 0) + r.rejects.count * 256
    }

    /// Rows formatted per parallel chunk (fewer when a row may be long: see ``chunkBytes``), and
    /// chunks per wave (see ``Parallel/stream(_:wave:_:consume:)``).
    static let rowsPerChunk = 32_768
    static let chunksPerWave = 8
    /// The most memory one chunk reserves for its rows (at their longest possible), so long
    /// source names make smaller chunks, not larger reservations.
    static let chunkBytes = 16 << 20

    /// Writes `count` rows of at most `rowBytes` bytes each to `file`, formatted by `format` in
    /// parallel chunks while earlier chunks are written.
    static func stream(_ count: Int, rowBytes: Int, to file: CSVWriter, _ format: @Sendable (Range<Int>) -> [UInt8]) {
        let rows = max(256, min(rowsPerChunk, chunkBytes / max(rowBytes, 1)))
        let chunks = (count + rows - 1) / rows
        Parallel.stream(chunks, wave: chunksPerWave, { k in format((k * rows)..<min(count, (k + 1) * rows)) }) { bytes in
            file.appendRows(bytes, count: 0)
        }
        file.countRows(count)
    }

    /// `source_a,row_a,source_b,row_b,probability,match_weight` of records `a`, `b` scored `weight`.
    @inline(__always)
    static func pairFields(_ c: inout CSVRow.Cursor, _ a: Int, _ b: Int, weight w: Double, _ r: LinkResult, _ sources: FlatCells.Reader) {
        c.plain(sources[Int(r.table.source[a])])
        c.comma()
        c.digits(Int(r.table.row[a]))
        c.comma()
        c.plain(sources[Int(r.table.source[b])])
        c.comma()
        c.digits(Int(r.table.row[b]))
        c.comma()
        c.fixed(r.model.probability(weight: w), decimals: 6)
        c.comma()
        c.fixed(w, decimals: 3)
    }

    /// The most bytes ``pairFields(_:_:_:weight:_:_:)`` writes: two sources, two row numbers,
    /// a probability and a weight (a number takes at most ``numberBytes``) and their commas.
    static func pairFieldBytes(_ sources: FlatCells) -> Int { 2 * sources.longest + 4 * numberBytes + 5 }

    /// The most bytes one formatted number takes (an `Int`'s 19 digits and sign, or a weight
    /// or probability with its point and up to 6 decimals, or `-inf`), with room to spare.
    static let numberBytes = 32

    /// Preformatted cells in one byte pool (cell `k` is `bytes[start[k]..<start[k + 1]]`), read
    /// in the writers' loops without retaining an array per cell.
    struct FlatCells: Sendable {
        let bytes: [UInt8], start: [Int]

        init(_ cells: [[UInt8]]) {
            bytes = cells.flatMap { $0 }
            start = cells.reduce(into: [0]) { $0.append($0.last! + $1.count) }
        }

        /// The length of the longest cell (0 when there are none).
        var longest: Int { zip(start.dropFirst(), start).map { $0 - $1 }.max() ?? 0 }

        /// The cells, readable while `body` runs.
        func read<R>(_ body: (Reader) -> R) -> R {
            bytes.withUnsafeBufferPointer { body(Reader(pool: $0, start: start)) }
        }

        struct Reader {
            let pool: UnsafeBufferPointer<UInt8>, start: [Int]
            @inline(__always)
            subscript(k: Int) -> UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(rebasing: pool[start[k]..<start[k + 1]]) }
        }
    }

    /// Writes the chosen files into the staging folder of `out` (committing it is the caller's) and
    /// returns the summary written. `pairs.csv` and `candidates.csv` are formatted from this
    /// thread (on all cores) while `clusters.csv` and `unmatched.csv` are made on another, so
    /// one file's formatting goes on while another waits for its disk sync; with no pairs to
    /// write, the clusters are formatted from this thread (a parallel loop started from another
    /// task of the pool gets no more threads).
    @discardableResult
    public static func write(_ r: LinkResult, into out: OutputFolder, files: Files = .standard) throws(ZhaorenError) -> LinkSummary {
        let folder = out.staging
        var watch = Stopwatch()
        let sourceCells: [[UInt8]] = r.table.sources.map { Array(CSVRow.quoted($0).utf8) }
        let sources = FlatCells(sourceCells)
        let clustersAndUnmatched = { @Sendable () throws(ZhaorenError) in
            if files.contains(.clusters) { try writeClusters(r, folder, sources) }
            if r.mode == .link && files.contains(.unmatched) { try writeUnmatched(r, folder, sourceCells) }
        }
        if files.contains(.pairs) || files.contains(.candidates) {
            _ = try Parallel.overlap(clustersAndUnmatched, while: { () throws(ZhaorenError) in
                if files.contains(.pairs) { try writePairs(r, folder, sources) }
                if files.contains(.candidates) { try writeCandidates(r, folder, sources) }
            })
        } else {
            try clustersAndUnmatched()
        }

        // rejects.csv
        let rejects = try RejectWriter(folder.appendingPathComponent("rejects.csv"))
        rejects.write(contentsOf: r.rejects)
        try rejects.commit()

        // summary.json, last.
        var summary = LinkSummary(r, writeSeconds: watch.lap())
        summary.files = Files.names.filter { files.contains($0.1) && ($0.1 != .unmatched || r.mode == .link) }.map { $0.0 + ".csv" }
            + ["rejects.csv", "summary.json"]
        try AtomicFile.write(try summary.json(), to: folder.appendingPathComponent("summary.json"))
        return summary
    }

    /// `pairs.csv`: the accepted pairs with each comparison's weight.
    static func writePairs(_ r: LinkResult, _ folder: URL, _ sources: FlatCells) throws(ZhaorenError) {
        let specs = r.model.comparisons
        let pairs = try CSVWriter(folder.appendingPathComponent("pairs.csv"))
        for name in ["source_a", "row_a", "source_b", "row_b", "probability", "match_weight"] { pairs.row.plain(name) }
        for s in specs { pairs.row.field(s.name) }
        pairs.endRow()
        let scorer = r.scorer
        // Most contributions are a level's weight: formatted once here.
        let formatted: [[[UInt8]]] = scorer.levelWeights.map { levels in
            levels.map { w in var b: [UInt8] = []; CSVRow.appendFixed(w, decimals: 3, to: &b); return b }
        }
        // Level `l` of comparison `s` is cell `cellStart[s] + l`.
        let cellStart = formatted.reduce(into: [0]) { $0.append($0.last! + $1.count) }
        let levels = FlatCells(formatted.flatMap { $0 }), weights = scorer.levelWeights.flatMap { $0 }
        // Cells whose contribution is the level's weight whatever the pair: no term-frequency
        // adjustment, not a birth date two IDs may supply, no cap an agreeing ID lifts. Most
        // cells of most rows: copied without asking the scorer.
        let fixed: [Bool] = scorer.levelWeights.indices.flatMap { s in
            scorer.levelWeights[s].indices.map { l in
                !(scorer.isBirth[s] && l != 0) && !(scorer.tfLevels[s]?.contains(l) ?? false)
                    && scorer.levelWeights[s][l] == scorer.uncappedWeights[s][l]
            }
        }
        let accepted = r.accepted, acceptedWeight = r.acceptedWeight, acceptedDetails = r.acceptedDetails
        let patterns = r.patterns, candidates = r.candidates, comparisons = specs.count
        let rowBytes = pairFieldBytes(sources) + comparisons * (max(levels.longest, numberBytes) + 1) + 1
        stream(accepted.count, rowBytes: rowBytes, to: pairs) { range -> [UInt8] in
            sources.read { sources in
                levels.read { levels in
                    CSVRow.formatted(capacity: range.count * rowBytes) { row in
                        for k in range {
                            let c = accepted[k]
                            let a = candidates.first(c), b = candidates.second(c)
                            pairFields(&row, a, b, weight: acceptedWeight[k], r, sources)
                            let pattern = patterns[c], details = acceptedDetails[k]
                            for s in 0..<comparisons {
                                row.comma()
                                let cell = cellStart[s] + Comparator.level(pattern, s)
                                if fixed[cell] { row.plain(levels[cell]); continue }
                                let w = scorer.contribution(s, pattern: pattern, details: details)
                                if w == weights[cell] { row.plain(levels[cell]) } else { row.fixed(w, decimals: 3) }
                            }
                            row.newline()
                        }
                    }
                }
            }
        }
        try pairs.commit()
    }

    /// `candidates.csv`: every candidate pair, scored.
    static func writeCandidates(_ r: LinkResult, _ folder: URL, _ sources: FlatCells) throws(ZhaorenError) {
        let candidates = try CSVWriter(folder.appendingPathComponent("candidates.csv"))
        candidates.writeRow(["source_a", "row_a", "source_b", "row_b", "probability", "match_weight", "accepted"])
        let acceptedSet = r.acceptedMask
        let scorer = r.scorer
        let rowBytes = pairFieldBytes(sources) + 3
        stream(r.candidates.count, rowBytes: rowBytes, to: candidates) { range -> [UInt8] in
            sources.read { sources in
                CSVRow.formatted(capacity: range.count * rowBytes) { row in
                    for c in range {
                        let a = r.candidates.first(c), b = r.candidates.second(c)
                        pairFields(&row, a, b, weight: scorer.weight(pattern: r.patterns[c], a, b), r, sources)
                        row.comma()
                        row.byte(acceptedSet[c] ? 0x31 : 0x30)
                        row.newline()
                    }
                }
            }
        }
        try candidates.commit()
    }

    /// `clusters.csv`: every record with its cluster id.
    static func writeClusters(_ r: LinkResult, _ folder: URL, _ sources: FlatCells) throws(ZhaorenError) {
        let table = r.table
        let clusters = try CSVWriter(folder.appendingPathComponent("clusters.csv"))
        clusters.writeRow(["source", "row", "cluster_id"])
        // source,row,cluster id (`source:row` of the root, quoted if the source name needed quoting)
        let rowBytes = 2 * sources.longest + 2 * numberBytes + 4
        stream(table.count, rowBytes: rowBytes, to: clusters) { range -> [UInt8] in
            let roots = r.clusterRoot, source = table.source, rows = table.row
            return sources.read { sources in
                CSVRow.formatted(capacity: range.count * rowBytes) { row in
                    for i in range {
                        let root = Int(roots[i])
                        row.plain(sources[Int(source[i])])
                        row.comma()
                        row.digits(Int(rows[i]))
                        row.comma()
                        let cell = sources[Int(source[root])]
                        if cell.first == 0x22 {
                            row.plain(UnsafeBufferPointer(rebasing: cell.dropLast()))
                            row.byte(0x3A)
                            row.digits(Int(rows[root]))
                            row.byte(0x22)
                        } else {
                            row.plain(cell)
                            row.byte(0x3A)
                            row.digits(Int(rows[root]))
                        }
                        row.newline()
                    }
                }
            }
        }
        try clusters.commit()
    }

    /// `unmatched.csv` (link mode): the records in no accepted pair.
    static func writeUnmatched(_ r: LinkResult, _ folder: URL, _ sourceCells: [[UInt8]]) throws(ZhaorenError) {
        let table = r.table
        var matched = [Bool](repeating: false, count: table.count)
        for c in r.accepted { matched[r.candidates.first(c)] = true; matched[r.candidates.second(c)] = true }
        let unmatched = try CSVWriter(folder.appendingPathComponent("unmatched.csv"))
        unmatched.writeRow(["source", "row"])
        for i in 0..<table.count where !matched[i] {
            unmatched.row.plain(bytes: sourceCells[Int(table.source[i])])
            unmatched.row.int(Int(table.row[i]))
            unmatched.endRow()
        }
        try unmatched.commit()
    }
}
