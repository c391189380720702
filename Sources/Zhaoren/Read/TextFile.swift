import Foundation
import ZhaorenICU

/// Reads a small text file (a settings file, a list of values) whole, in UTF-8 or GB18030 as
/// ``CSVReader`` detects them: a byte-order mark decides; else valid UTF-8 is UTF-8; else the
/// file is decoded as GB18030 (what Notepad saves as "ANSI" on Chinese Windows). A file that is
/// neither is an error naming the first line that fails; UTF-16 files are refused.
///
/// ```swift
/// let json = try TextFile.read(URL(fileURLWithPath: "settings.json"))
/// ```
public enum TextFile {
    /// The text of `url` (a BOM dropped).
    /// - Throws: `ZhaorenError(.io)` if it cannot be read, `.decoding` with the line of the
    ///   first byte that is neither UTF-8 nor GB18030.
    public static func read(_ url: URL) throws(ZhaorenError) -> String {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw ZhaorenError(.io, "cannot read: \(FileFault.reason(of: error))", file: url.path)
        }
        var bytes = [UInt8](data)
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) {
            throw ZhaorenError(.decoding, "the file is UTF-16; save it as UTF-8 or GB18030", file: url.path, line: 1)
        }
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        let gbMark = bytes.starts(with: [0x84, 0x31, 0x95, 0x33])
        if gbMark { bytes.removeFirst(4) }
        let failure = bytes.withUnsafeBufferPointer { UTF8Validation.firstError(in: $0) }
        if !gbMark && failure == nil { return String(decoding: bytes, as: UTF8.self) }
        let converter: CharsetConverter
        do { converter = try CharsetConverter("GB18030") } catch { throw ZhaorenError(.icu, error.message, file: url.path) }
        if let text = converter.decode(bytes) { return text }
        // Neither: report the first line that is valid in neither encoding.
        var line = 1, start = 0
        for (i, b) in bytes.enumerated() where b == 0x0A || i == bytes.count - 1 {
            let end = b == 0x0A ? i : i + 1
            let piece = Array(bytes[start..<end])
            let utf8 = piece.withUnsafeBufferPointer { UTF8Validation.isValid($0) }
            if !utf8 && converter.decode(piece) == nil {
                throw ZhaorenError(.decoding, "this line is neither UTF-8 nor GB18030", file: url.path, line: line)
            }
            line += 1
            start = i + 1
        }
        throw ZhaorenError(.decoding, "the file is neither UTF-8 nor GB18030 (it mixes them)", file: url.path, line: 1)
    }
}
