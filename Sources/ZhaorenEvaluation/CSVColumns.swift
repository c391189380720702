import Foundation
import Zhaoren

/// Reads the named columns of a small CSV file (a truth file, a run's `pairs.csv`,
/// `clusters.csv` or `labels.csv`) through the engine's ``CSVReader``: RFC 4180 quoting,
/// CRLF or LF, a BOM, UTF-8 or GB18030 all work as for department files. A row the reader
/// rejects (a ragged row, bad bytes) is an error naming its line.
///
/// ```swift
/// let rows = try CSVColumns.read(url, ["source", "row", "entity_id"])
/// rows[0].fields   // ["grid_survey", "1", "P0000001"]
/// ```
enum CSVColumns {
    /// The column names of the file's header.
    static func header(_ url: URL) throws(ZhaorenError) -> [String] { try CSVReader(url: url).header }

    /// The values of `columns` (by header name, exact after trimming) in every data row, with
    /// each row's starting line.
    /// - Throws: `ZhaorenError` `.missingColumn` naming the missing column and the header's
    ///   column names; `.malformedInput` for a rejected row.
    static func read(_ url: URL, _ columns: [String]) throws(ZhaorenError) -> [(line: Int, fields: [String])] {
        let reader = try CSVReader(url: url)
        var index: [Int] = []
        for c in columns {
            guard let k = reader.header.firstIndex(of: c) else {
                let found = reader.header.isEmpty ? "the file is empty"
                    : "the header has " + reader.header.prefix(12).map { "\"\($0.prefix(40))\"" }.joined(separator: ", ")
                        + (reader.header.count > 12 ? " …" : "")
                throw ZhaorenError(.missingColumn, "no column \"\(c)\"; \(found)", file: url.path, line: 1)
            }
            index.append(k)
        }
        var out: [(line: Int, fields: [String])] = []
        try reader.forEachBatch { batch throws(ZhaorenError) in
            if let bad = batch.rejects.first {
                throw ZhaorenError(.malformedInput, bad.reason.rawValue + (bad.detail.isEmpty ? "" : ": " + bad.detail),
                                   file: url.path, line: bad.line, column: bad.column)
            }
            for row in batch { out.append((row.line, index.map { row.string($0) })) }
        }
        return out
    }
}
