import Foundation
import ZhaorenSupport

/// Deduplication and linking on keyed-encoded files (`zhaoren encode`): the same stages as
/// on values, on tokens. The files must have been encoded with the same key and salt; the
/// results name records by source and row only.
///
/// ```swift
/// let pipeline = LinkPipeline()
/// let result = try pipeline.link(encoded: URL(fileURLWithPath: "police.enc.csv"), URL(fileURLWithPath: "survey.enc.csv"))
/// try LinkOutputs.write(result, to: URL(fileURLWithPath: "out"))
/// ```
extension LinkPipeline {
    /// Deduplicates one encoded file.
    public func dedupe(encoded file: URL) throws(ZhaorenError) -> LinkResult {
        try run(encoded: [file], mode: .dedupe)
    }

    /// Links two encoded files: pairs only between `left` and `right`.
    public func link(encoded left: URL, _ right: URL) throws(ZhaorenError) -> LinkResult {
        try run(encoded: [left, right], mode: .link)
    }

    /// Runs the pipeline on encoded files (one to deduplicate, two to link).
    /// - Throws: `ZhaorenError` for an unreadable or plaintext file, or files encoded with
    ///   different keys or salts.
    public func run(encoded files: [URL], mode: Mode) throws(ZhaorenError) -> LinkResult {
        guard mode == .dedupe ? files.count == 1 : files.count == 2 else {
            throw ZhaorenError(.invalidArgument, mode == .link ? "linking takes exactly two sources" : "deduplication takes one source")
        }
        try settings.model?.checkLevels()
        var watch = Stopwatch()
        let sources = files.map { RecordSource(url: $0, columns: ColumnSpec([])) }
        if mode == .link && sources[0].name == sources[1].name {
            throw ZhaorenError(.invalidArgument, "the two files have the same name \"\(sources[0].name)\"; rename one so sources can be told apart")
        }
        let loaded = try Self.loadEncoded(files, names: sources.map(\.name))
        let seconds = watch.lap()
        progress?(.stageFinished(.readNormalize, seconds: seconds))
        let prepared = try prepare(loaded, mode: mode, timings: [StageTiming(.readNormalize, seconds: seconds)])
        return try finish(prepared, sources: sources)
    }

    /// The settings a run on encoded `files` would use, defaults filled in from their roles.
    public func resolvedSettings(encoded files: [URL]) throws(ZhaorenError) -> LinkSettings {
        let loaded = try Self.loadEncoded(files, names: files.map { $0.deletingPathExtension().lastPathComponent })
        return settings.resolved(roles: loaded.roles, latinNames: loaded.latinShare > 0.5)
    }

    /// Reads encoded files into one table, checking that they share a key and a salt.
    package static func loadEncoded(_ files: [URL], names: [String]) throws(ZhaorenError) -> RecordLoader.Loaded {
        var contents: [EncodedFile.Contents] = []
        var builder = EncodedColumns.Builder()
        var source: [UInt16] = [], row: [UInt32] = []
        var roles = Set<FieldRole>()
        var rejects: [RejectedRow] = []
        for (k, (url, name)) in zip(files, names).enumerated() {
            let before = row.count
            // A second file of another key or salt is refused on its first line.
            let c = try EncodedFile.read(url, source: name, matching: contents.first.map { ($0.header, files[0].path) },
                                         into: &builder, rows: &row)
            source.append(contentsOf: repeatElement(UInt16(k), count: row.count - before))
            roles.formUnion(c.header.roles)
            rejects.append(contentsOf: c.rejects)
            contents.append(c)
        }
        let columns = builder.build(saltedNames: contents.first?.header.saltedNames ?? true)
        let table = RecordTable(sources: names, source: source, row: row, encoded: columns)
        var named = 0, latin = 0
        for i in 0..<columns.count where columns.has(.nameFolded, i) {
            named += 1
            if columns.flags(i).contains(.latinName) { latin += 1 }
        }
        return RecordLoader.Loaded(table: table, roles: roles, latinShare: named == 0 ? 0 : Double(latin) / Double(named),
                                   rejects: rejects, statistics: contents.map(\.statistics))
    }
}
