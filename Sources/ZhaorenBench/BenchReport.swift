import Foundation
import Zhaoren
import ZhaorenSupport
import ZhaorenEvaluation
import ZhaorenSynth

/// The results of a benchmark run at one or more city sizes, with where and when they were
/// measured; printed as a fixed-width table and written as JSON and Markdown so that runs can
/// be compared over time.
///
/// ```swift
/// let report = BenchReport(results: [try BenchRun(persons: 10_000).run()])
/// print(report.table)
/// try report.write(to: URL(fileURLWithPath: "bench-results"))   // bench.json, bench.md, history.jsonl
/// ```
public struct BenchReport: Codable, Sendable, Hashable {
    /// The machine the run was measured on.
    public struct Host: Codable, Sendable, Hashable {
        /// Active processor cores.
        public var cores: Int
        /// Physical memory, in bytes.
        public var memoryBytes: UInt64
        /// The operating system, as Foundation describes it.
        public var system: String

        /// This machine.
        public static var current: Host {
            let info = ProcessInfo.processInfo
            return Host(cores: info.activeProcessorCount, memoryBytes: info.physicalMemory,
                        system: info.operatingSystemVersionString)
        }
    }

    /// When the run finished, ISO 8601 in UTC (e.g. `2026-11-23T18:30:00Z`).
    public var date: String
    /// The version of `zhaoren` that ran.
    public var version: String
    /// `release` or `debug` (figures from a debug build are not comparable).
    public var build: String
    /// The machine.
    public var host: Host
    /// One result per city size, in the order run.
    public var results: [BenchResult]

    /// A report finished now on this machine.
    public init(results: [BenchResult], version: String = "", build: String = BenchReport.currentBuild,
                date: Date = Date(), host: Host = .current) {
        let format = ISO8601DateFormatter()
        format.timeZone = TimeZone(identifier: "UTC")
        self.date = format.string(from: date)
        self.version = version
        self.build = build
        self.host = host
        self.results = results
    }

    /// `debug` when this code was compiled in the debug configuration, else `release`.
    #if DEBUG
    public static let currentBuild = "debug"
    #else
    public static let currentBuild = "release"
    #endif

    /// The report as pretty JSON with sorted keys.
    public func json(pretty: Bool = true) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = pretty ? [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(self)) ?? Data(), as: UTF8.self) + "\n"
    }

    /// Writes `bench.json` and `bench.md` into `folder` (created if needed, both replaced
    /// atomically) and appends the run as one line to `history.jsonl`. Returns the files written.
    @discardableResult
    public func write(to folder: URL) throws(ZhaorenError) -> [URL] {
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw ZhaorenError(.io, "cannot create the output folder: \(error.localizedDescription)", file: folder.path)
        }
        let json = folder.appendingPathComponent("bench.json"), md = folder.appendingPathComponent("bench.md")
        let history = folder.appendingPathComponent("history.jsonl")
        try AtomicFile.write(self.json(), to: json)
        try AtomicFile.write(markdown, to: md)
        var previous = Data()
        if FileManager.default.fileExists(atPath: history.path) {
            do { previous = try Data(contentsOf: history) } catch {
                throw ZhaorenError(.io, "cannot read: \(error.localizedDescription)", file: history.path)
            }
        }
        try AtomicFile.write(previous + Data(self.json(pretty: false).utf8), to: history)
        return [json, md, history]
    }
}
