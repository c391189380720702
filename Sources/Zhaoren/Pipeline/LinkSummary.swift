import Foundation
import ZhaorenSupport

/// What `summary.json` holds: rows read and rejected, candidate pairs per rule, largest blocks,
/// pairs above threshold, clusters, the model, time per stage and peak memory.
public struct LinkSummary: Codable, Sendable {
    /// One input.
    public struct Source: Codable, Sendable {
        /// The source's name (the file name without its extension).
        public var name: String
        /// The file read.
        public var path: String
        /// The `--columns` spec, re-parsable.
        public var columns: String
        /// The encoding the file was read in (`utf8` or `gb18030`).
        public var encoding: String
        /// Data rows read (accepted and rejected).
        public var rowsRead: Int
        /// Data rows rejected.
        public var rowsRejected: Int
        /// Rejected rows per reason (`ragged_row`, `invalid_encoding` …).
        public var rejectedByReason: [String: Int]
        /// The format read (`csv`, `tsv` or `xlsx`; `encoded` for a keyed-encoded file).
        public var format: String = "csv"
        /// The sheet read, for a workbook.
        public var sheet: String? = nil
        /// The row holding the column names.
        public var headerRow: Int = 1
        /// What the reader noticed (rows skipped above the header, cells read as empty …);
        /// see ``ReadStatistics/notes``.
        public var notes: [String] = []
    }

    /// `dedupe` or `link`.
    public var mode: LinkPipeline.Mode
    /// The inputs.
    public var sources: [Source]
    /// Records read from all inputs.
    public var records: Int
    /// Distinct values normalized, per role.
    public var distinctValues: [String: Int]
    /// The settings used (defaults filled in); feed back with `--settings`.
    public var settings: LinkSettings
    /// Candidate pairs per blocking rule and the largest blocks.
    public var blocking: BlockingReport
    /// Distinct comparison patterns among the candidates.
    public var patterns: Int
    /// The model and whether it was trained on this run.
    public var model: FellegiSunterModel
    /// Whether the model was trained on this run (else given in the settings).
    public var modelTrained: Bool
    /// Level names per comparison, for reading `model.m` and `model.u`.
    public var levels: [String: [String]]
    /// The acceptance threshold (a match probability).
    public var threshold: Double
    /// Accepted pairs.
    public var pairsAboveThreshold: Int
    /// Cluster merges refused by the cannot-link rule.
    public var mergesRefused: Int
    /// Clusters, singletons included.
    public var clusters: Int
    /// Clusters of two or more records.
    public var multiRecordClusters: Int
    /// Records in the largest cluster.
    public var largestCluster: Int
    /// Link mode: records with no accepted pair, per side.
    public var unmatched: [String: Int]?
    /// Seconds per stage.
    public var secondsPerStage: [String: Double]
    /// Seconds for the whole run.
    public var totalSeconds: Double
    /// Peak resident memory (VmHWM of /proc/self/status), bytes.
    public var peakMemoryBytes: Int
    /// The files written into the output folder (``LinkOutputs/Files``); `nil` in summaries of
    /// earlier versions.
    public var files: [String]?

    /// The summary of a run; `writeSeconds` is the time spent writing the other files.
    public init(_ r: LinkResult, writeSeconds: Double) {
        mode = r.mode
        sources = r.sources.indices.map { k in
            let s = r.statistics[k]
            return Source(name: r.sources[k].name, path: r.sources[k].url.path,
                          columns: r.sources[k].columns.entries.flatMap { e in e.headers.map { "\(e.role)=\($0)" } }.joined(separator: ","),
                          encoding: s.encoding.rawValue, rowsRead: s.rowsRead, rowsRejected: s.rowsRejected,
                          rejectedByReason: Dictionary(uniqueKeysWithValues: s.rejectedByReason.map { ($0.key.rawValue, $0.value) }),
                          format: r.table.encoded != nil ? "encoded" : s.format.rawValue, sheet: s.sheet, headerRow: s.headerRow, notes: s.notes)
        }
        records = r.table.count
        distinctValues = r.distinctValues
        settings = r.settings
        blocking = r.blocking
        patterns = r.distinctPatterns
        model = r.model
        modelTrained = r.trained
        levels = Dictionary(r.model.comparisons.map { ($0.name, $0.kind.levelNames) }, uniquingKeysWith: { a, _ in a })
        threshold = r.settings.acceptance
        pairsAboveThreshold = r.accepted.count
        mergesRefused = r.mergesRefused
        let sizes = r.clusterSizes
        (clusters, multiRecordClusters, largestCluster) = r.clusterCounts
        if r.mode == .link {
            var u: [String: Int] = [:]
            for i in 0..<r.table.count where sizes[Int(r.clusterRoot[i])] == 1 { u[r.table.sources[Int(r.table.source[i])], default: 0] += 1 }
            unmatched = u
        }
        var stages = Dictionary(r.timings.map { ($0.stage, $0.seconds) }, uniquingKeysWith: +)
        stages["write"] = writeSeconds
        secondsPerStage = stages
        totalSeconds = stages.values.reduce(0, +)
        peakMemoryBytes = ProcessMemory.peakBytes()
    }

    enum CodingKeys: String, CodingKey {
        case mode, sources, records, distinctValues = "distinct_values", settings, blocking, patterns, model
        case modelTrained = "model_trained", levels, threshold, pairsAboveThreshold = "pairs_above_threshold"
        case mergesRefused = "merges_refused"
        case clusters, multiRecordClusters = "multi_record_clusters", largestCluster = "largest_cluster", unmatched
        case secondsPerStage = "seconds_per_stage", totalSeconds = "total_seconds", peakMemoryBytes = "peak_memory_bytes"
        case files
    }

    /// The summary as pretty JSON with sorted keys (the same run gives the same bytes, but
    /// for the timings and memory).
    public func json() throws(ZhaorenError) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        do { return try encoder.encode(self) } catch {
            throw ZhaorenError(.internalInvariant, "cannot encode the summary: \(error)")
        }
    }
}
