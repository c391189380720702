extension LinkPipeline {
    /// The settings a run over `sources` would use, without running it: the pipeline's own,
    /// with defaults for the roles the sources' columns give and for the script of their names,
    /// judged on the distinct names of the first `sampleRows` rows of each source (the run
    /// itself judges all of them; over half in Latin script gives the Latin-name defaults).
    ///
    /// ```swift
    /// let used = try LinkPipeline().resolvedSettings(for: [people])
    /// print(used.json())            // what `zhaoren dedupe --print-settings` prints
    /// ```
    /// - Throws: `ZhaorenError` if a file cannot be opened or lacks a column.
    public func resolvedSettings(for sources: [RecordSource], sampleRows: Int = 5_000) throws(ZhaorenError) -> LinkSettings {
        var roles = Set<FieldRole>()
        var names = Set<String>()
        for source in sources {
            for e in source.columns.entries { if let r = e.fieldRole { roles.insert(r) } }
            var options = source.options
            options.sourceName = source.name
            let reader = try CSVReader(url: source.url, options: options)
            let selection = try reader.select(source.columns)
            let parts = selection.entryIndex(.name).map { [$0] }
                ?? [selection.entryIndex(.surname), selection.entryIndex(.givenName)].compactMap { $0 }
            guard !parts.isEmpty else { continue }
            var read = 0
            while read < sampleRows, let batch = try reader.nextBatch() {
                for row in batch {
                    let name = parts.map { selection.string($0, in: row) }.filter { !$0.isEmpty }.joined(separator: " ")
                    if !name.isEmpty { names.insert(name) }
                }
                read += batch.count
            }
        }
        let latin = names.filter { NormalizedName.basic($0).isLatin }.count
        return settings.resolved(roles: roles, latinNames: !names.isEmpty && Double(latin) / Double(names.count) > 0.5)
    }
}
