import Foundation
import Zhaoren

/// A CSV file being written: each row is built as UTF-8 bytes in a reused buffer, and whole
/// rows are flushed in chunks to a ``StagedFile`` (re-encoded to GB18030 when asked), so a
/// file appears only complete.
///
/// Not thread-safe: one sink per writer.
final class CSVSink {
    private let staged: StagedFile
    private let url: URL
    private let converter: CharsetConverter?
    private var chunk: [UInt8] = []
    private var atRowStart = true
    /// Data rows written so far (the header is not counted).
    private(set) var rows = 0
    private static let chunkSize = 1 << 20

    /// Opens `url` and writes the header (with a UTF-8 byte-order mark if `bom`).
    init(_ url: URL, header: [String], gb18030: Bool, bom: Bool = false) throws(ZhaorenError) {
        staged = try StagedFile(url)
        self.url = url
        if gb18030 {
            do { converter = try CharsetConverter("GB18030") } catch { throw ZhaorenError(.icu, error.message) }
        } else {
            converter = nil
        }
        chunk.reserveCapacity(Self.chunkSize + 4096)
        if bom && !gb18030 { chunk.append(contentsOf: [0xEF, 0xBB, 0xBF]) }
        for h in header { field(h) }
        atRowStart = true
        chunk.append(10)
    }

    /// Starts a field (writes the comma before it unless it is the first of the row).
    @inline(__always) func begin() {
        if !atRowStart { chunk.append(44) }
        atRowStart = false
    }

    /// Appends raw bytes to the current field.
    @inline(__always) func raw<C: Collection<UInt8>>(_ bytes: C) { chunk.append(contentsOf: bytes) }

    /// Appends a string to the current field, without quoting.
    @inline(__always) func raw(_ text: String) {
        var t = text
        t.withUTF8 { chunk.append(contentsOf: $0) }
    }

    /// A whole field from text, quoted per RFC 4180 when it holds a comma, quote or line break.
    func field(_ text: String) {
        begin()
        if text.utf8.contains(where: { $0 == 44 || $0 == 34 || $0 == 10 || $0 == 13 }) {
            chunk.append(34)
            for b in text.utf8 {
                if b == 34 { chunk.append(34) }
                chunk.append(b)
            }
            chunk.append(34)
        } else {
            raw(text)
        }
    }

    /// A whole field from bytes known to need no quoting.
    @inline(__always) func field<C: Collection<UInt8>>(bytes: C) { begin(); raw(bytes) }

    /// An empty field.
    @inline(__always) func empty() { begin() }

    /// A whole field holding a non-negative integer, zero-padded to `width`.
    func number(_ value: Int, width: Int = 1) {
        begin()
        digits(value, width: width)
    }

    /// Appends a non-negative integer, zero-padded to `width`, to the current field.
    func digits(_ value: Int, width: Int = 1) {
        var buffer: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        withUnsafeMutableBytes(of: &buffer) { b in
            var v = value
            var i = 20
            repeat {
                i -= 1
                b[i] = UInt8(48 + v % 10)
                v /= 10
            } while v > 0 && i > 0
            while 20 - i < width && i > 0 { i -= 1; b[i] = 48 }
            chunk.append(contentsOf: b[i..<20])
        }
    }

    /// Ends the row.
    func endRow() {
        chunk.append(10)
        atRowStart = true
        rows += 1
        if chunk.count >= Self.chunkSize { flush() }
    }

    private func flush() {
        guard !chunk.isEmpty else { return }
        if let converter {
            let text = String(decoding: chunk, as: UTF8.self)
            staged.append(bytes: converter.encode(text) ?? Array(text.utf8))
        } else {
            staged.append(bytes: chunk)
        }
        chunk.removeAll(keepingCapacity: true)
    }

    /// Flushes the last rows and moves the file into place.
    func commit() throws(ZhaorenError) {
        flush()
        try staged.commit()
    }
}
