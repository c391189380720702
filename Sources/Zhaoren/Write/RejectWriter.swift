import Foundation

/// Writes rejected rows to a CSV file (`rejects.csv`), atomically:
/// `source,row,line,column,reason,raw`.
///
/// The file is written even when nothing was rejected (a header only), so a stale file from an
/// earlier run never lingers.
///
/// ```swift
/// let rejects = try RejectWriter(URL(fileURLWithPath: "out/people.rejects.csv"))
/// while let batch = try reader.nextBatch() { rejects.write(contentsOf: batch.rejects) }
/// try rejects.commit()
/// ```
public final class RejectWriter {
    /// The header row of every reject file.
    public static let header = ["source", "row", "line", "column", "reason", "raw"]
    private let writer: CSVWriter
    /// Rejected rows written so far.
    public private(set) var count = 0

    /// Opens a staged reject file at `url` and writes its header.
    public init(_ url: URL) throws(ZhaorenError) {
        writer = try CSVWriter(url)
        writer.writeRow(Self.header)
    }

    /// The destination.
    public var url: URL { writer.url }

    /// Appends one rejected row.
    public func write(_ reject: RejectedRow) {
        writer.writeRow([reject.source, String(reject.row), String(reject.line),
                         reject.column.map { String($0) } ?? "", reject.reasonText, reject.raw])
        count += 1
    }

    /// Appends rejected rows.
    public func write(contentsOf rejects: some Sequence<RejectedRow>) {
        for reject in rejects { write(reject) }
    }

    /// Writes out the file and moves it to its destination.
    public func commit() throws(ZhaorenError) {
        try writer.commit()
    }
}
