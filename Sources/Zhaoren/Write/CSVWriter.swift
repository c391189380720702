import Foundation
import ZhaorenICU
import ZhaorenSupport

/// Writes a CSV file row by row, with RFC 4180 quoting, atomically: the file appears at its
/// destination, complete, only on ``commit()``; until then it is a hidden file beside it.
///
/// A field is quoted when it holds a comma, a quote, a CR or an LF (quotes inside are doubled);
/// rows end with LF. Text that a spreadsheet would run as a formula (`=SUM(…)`, `@cmd`,
/// `-2+3`, not a plain number such as `-3.5`) is written with a leading `'`. Files are UTF-8,
/// with a byte-order mark on request (Excel needs one to open UTF-8 CSV on Chinese Windows),
/// or GB18030.
///
/// ```swift
/// let out = try CSVWriter(URL(fileURLWithPath: "out/people.csv"))
/// out.writeRow(["name", "note"])
/// out.writeRow(["张伟", "says \"hi\", twice"])      // 张伟,"says ""hi"", twice"
/// try out.commit()
/// ```
///
/// Not thread-safe; one writer per output. A write failure (a full disk) does not crash: it
/// is reported by ``commit()``, and the destination keeps its earlier content.
public final class CSVWriter {
    /// The encodings a ``CSVWriter`` can write.
    public enum Encoding: String, Sendable, CaseIterable {
        /// UTF-8.
        case utf8
        /// GB18030 (what Excel on Chinese Windows writes as "CSV").
        case gb18030
    }

    /// The record being built; the fast path for callers that format numbers themselves.
    package var row: CSVRow
    /// Rows written so far (the header included).
    public private(set) var rowCount = 0
    private let file: StagedFile
    private let converter: CharsetConverter?
    private static let flushSize = 1 << 20

    /// Opens `url` for writing. With `byteOrderMark`, a UTF-8 file starts with a BOM.
    /// `neutralizesFormulas: false` writes text exactly as given (for files that imitate
    /// another system's export, such as the synthetic city's department files).
    /// - Throws: `ZhaorenError(.io)` if the folder cannot be created or written.
    public init(_ url: URL, byteOrderMark: Bool = false, encoding: Encoding = .utf8,
                neutralizesFormulas: Bool = true) throws(ZhaorenError) {
        file = try StagedFile(url)
        if encoding == .gb18030 {
            do { converter = try CharsetConverter("GB18030") } catch { throw ZhaorenError(.icu, error.message) }
        } else {
            converter = nil
        }
        row = CSVRow(capacity: Self.flushSize + 4096, neutralizesFormulas: neutralizesFormulas)
        if byteOrderMark && encoding == .utf8 { row.bytes.append(contentsOf: [0xEF, 0xBB, 0xBF]) }
    }

    /// Opens `url` and writes `header` as its first row; ``dataRowCount`` then counts the rows
    /// after it.
    public convenience init(_ url: URL, header: [String], byteOrderMark: Bool = false, encoding: Encoding = .utf8,
                            neutralizesFormulas: Bool = true) throws(ZhaorenError) {
        try self.init(url, byteOrderMark: byteOrderMark, encoding: encoding, neutralizesFormulas: neutralizesFormulas)
        writeRow(header)
        headerRows = 1
    }

    /// The destination.
    public var url: URL { file.url }

    /// Rows written after the header (all rows when none was given to the initializer).
    public var dataRowCount: Int { rowCount - headerRows }
    private var headerRows = 0

    /// Appends a whole row.
    public func writeRow(_ fields: [String]) {
        for field in fields { row.field(field) }
        endRow()
    }

    /// Appends one field of the current row.
    public func appendField(_ text: String) { row.field(text) }

    /// Appends one field of the current row from its UTF-8 bytes.
    /// - Complexity: O(field length): one scan for bytes needing quotes, then a copy.
    @inline(__always)
    public func appendField(bytes: UnsafeBufferPointer<UInt8>) { row.field(bytes: bytes) }

    /// Appends an empty field.
    public func appendEmptyField() { row.empty() }

    /// Appends a whole number.
    public func appendField(_ value: Int) { row.int(value) }

    /// Ends the current row.
    public func endRow() {
        row.endRecord()
        rowCount += 1
        if row.count >= Self.flushSize { flush() }
    }

    /// Appends bytes that already hold whole CSV rows (built in parallel with ``CSVRow``).
    package func appendRows(_ bytes: [UInt8], count: Int) {
        flush()
        write(bytes)
        rowCount += count
    }

    /// Counts `n` rows appended by ``appendRows(_:count:)`` with a count of 0.
    package func countRows(_ n: Int) { rowCount += n }

    private func flush() {
        guard row.count > 0 else { return }
        write(row.bytes)
        row.removeAll()
    }

    private func write(_ bytes: [UInt8]) {
        guard let converter else {
            file.append(block: bytes)
            return
        }
        let text = String(decoding: bytes, as: UTF8.self)
        file.append(bytes: converter.encode(text) ?? Array(text.utf8))
    }

    /// Writes out what is buffered and moves the file to its destination.
    /// - Throws: `ZhaorenError(.io)` for the first failed write, sync or rename.
    public func commit() throws(ZhaorenError) {
        flush()
        try file.commit()
    }

    /// Gives up: the temporary file is removed and the destination is untouched.
    public func discard() { file.discard() }
}
