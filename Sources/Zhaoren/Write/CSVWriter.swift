import Foundation

/// Writes CSV rows with RFC 4180 quoting into a ``StagedFile``: the file appears at its
/// destination only on ``commit()``, so no reader ever sees half an output.
///
/// A field is quoted when it holds a comma, a quote, a CR or an LF (quotes inside are doubled);
/// rows end with LF. Fields go in as `String`s or as UTF-8 bytes (no copy to a `String`).
///
/// ```swift
/// let out = try CSVWriter(URL(fileURLWithPath: "out/people.csv"))
/// out.writeRow(["name", "note"])
/// out.writeRow(["张伟", "says \"hi\", twice"])      // 张伟,"says ""hi"", twice"
/// try out.commit()
/// ```
///
/// Not thread-safe; one writer per output.
public final class CSVWriter {
    /// The staged destination.
    public let file: StagedFile
    /// Rows written so far (the header included).
    public private(set) var rowCount = 0
    private var buffer: [UInt8] = []
    private var fieldsInRow = 0
    private static let flushSize = 1 << 20

    /// Opens a staged file at `url`. With `byteOrderMark`, the file starts with a UTF-8 BOM
    /// (which Excel needs to open UTF-8 CSV correctly on Chinese Windows).
    public convenience init(_ url: URL, byteOrderMark: Bool = false) throws(ZhaorenError) {
        self.init(file: try StagedFile(url), byteOrderMark: byteOrderMark)
    }

    /// Writes into an already opened staged file.
    public init(file: StagedFile, byteOrderMark: Bool = false) {
        self.file = file
        buffer.reserveCapacity(Self.flushSize + 4096)
        if byteOrderMark { buffer.append(contentsOf: [0xEF, 0xBB, 0xBF]) }
    }

    /// Appends a whole row.
    public func writeRow(_ fields: [String]) {
        for field in fields { appendField(field) }
        endRow()
    }

    /// Appends one field of the current row.
    public func appendField(_ text: String) {
        var text = text
        text.withUTF8 { appendField(bytes: $0) }
    }

    /// Appends one field of the current row from its UTF-8 bytes.
    ///
    /// - Complexity: O(field length): one scan for bytes needing quotes, then a copy.
    @inline(__always)
    public func appendField(bytes: UnsafeBufferPointer<UInt8>) {
        if fieldsInRow > 0 { buffer.append(UInt8(ascii: ",")) }
        fieldsInRow += 1
        var needsQuotes = false
        for b in bytes where b <= UInt8(ascii: ",") {
            if b == UInt8(ascii: ",") || b == UInt8(ascii: "\"") || b == 0x0A || b == 0x0D {
                needsQuotes = true
                break
            }
        }
        if !needsQuotes {
            buffer.append(contentsOf: bytes)
            return
        }
        buffer.append(UInt8(ascii: "\""))
        for b in bytes {
            if b == UInt8(ascii: "\"") { buffer.append(b) }
            buffer.append(b)
        }
        buffer.append(UInt8(ascii: "\""))
    }

    /// Appends one field of the current row from an array of UTF-8 bytes.
    public func appendField(bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { appendField(bytes: $0) }
    }

    /// Appends fields already encoded as CSV by ``encode(_:into:)`` (`count` of them, joined by
    /// commas): the way to write cached cells without quoting them again.
    @inline(__always)
    public func appendEncodedFields(_ bytes: UnsafeBufferPointer<UInt8>, count: Int) {
        guard count > 0 else { return }
        if fieldsInRow > 0 { buffer.append(UInt8(ascii: ",")) }
        buffer.append(contentsOf: bytes)
        fieldsInRow += count
    }

    /// Appends `fields` to `out` as CSV cells joined by commas, quoted where needed (no line end).
    ///
    /// ```swift
    /// var cell: [UInt8] = []
    /// CSVWriter.encode(["a", "b,c"], into: &cell)    // a,"b,c"
    /// ```
    public static func encode(_ fields: [String], into out: inout [UInt8]) {
        for (k, field) in fields.enumerated() {
            if k > 0 { out.append(UInt8(ascii: ",")) }
            let needsQuotes = field.utf8.contains { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 0x0A || $0 == 0x0D }
            if !needsQuotes {
                out.append(contentsOf: field.utf8)
                continue
            }
            out.append(UInt8(ascii: "\""))
            for b in field.utf8 {
                if b == UInt8(ascii: "\"") { out.append(b) }
                out.append(b)
            }
            out.append(UInt8(ascii: "\""))
        }
    }

    /// Appends an empty field.
    public func appendEmptyField() {
        if fieldsInRow > 0 { buffer.append(UInt8(ascii: ",")) }
        fieldsInRow += 1
    }

    /// Ends the current row.
    public func endRow() {
        buffer.append(0x0A)
        fieldsInRow = 0
        rowCount += 1
        if buffer.count >= Self.flushSize { flush() }
    }

    private func flush() {
        guard !buffer.isEmpty else { return }
        file.append(bytes: buffer)
        buffer.removeAll(keepingCapacity: true)
    }

    /// Writes out what is buffered and moves the file to its destination.
    public func commit() throws(ZhaorenError) {
        flush()
        try file.commit()
    }
}
