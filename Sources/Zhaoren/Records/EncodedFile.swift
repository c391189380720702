import Foundation
import ZhaorenSupport

/// The keyed-encoded file format written by `zhaoren encode` and read by `--encoded` runs:
/// UTF-8 CSV whose first line identifies the format and the key, the second names the
/// columns, and every further line is one input row: its row number, its ``EncodedFlags``,
/// then per ``EncodedField`` its tokens (each 64 bits as 11 base64url characters, run
/// together; an empty cell is a missing value).
///
/// ```text
/// zhaoren-encoded,version=1,key=3f9c0a5e71d2b4c8,salt=birth_year,roles=birth+id+name+phone
/// row,flags,name,name_folded,name_pinyin,…,area
/// 1,3,Qm9fa2V5MTIzNA,…
/// ```
///
/// The key fingerprint is itself keyed (an HMAC of a fixed label), so it identifies the key
/// without revealing it: files encoded with different keys are refused together.
public enum EncodedFile {
    /// The first cell of every encoded file.
    public static let signature = "zhaoren-encoded"
    /// The format version written.
    public static let version = 1
    /// Characters per token.
    public static let tokenWidth = 11

    /// The columns of the second line.
    public static var columnNames: [String] { ["row", "flags"] + EncodedField.allCases.map(\.rawValue) }

    /// The first line's facts.
    public struct Header: Sendable, Hashable {
        /// The key's fingerprint (16 hexadecimal digits).
        public var keyFingerprint: String
        /// Whether name tokens are salted with the birth year.
        public var saltedNames: Bool
        /// The roles the department's columns filled.
        public var roles: Set<FieldRole>

        /// Creates a header.
        public init(keyFingerprint: String, saltedNames: Bool, roles: Set<FieldRole>) {
            self.keyFingerprint = keyFingerprint
            self.saltedNames = saltedNames
            self.roles = roles
        }

        /// The first line, without its line end.
        public var line: String {
            "\(EncodedFile.signature),version=\(EncodedFile.version),key=\(keyFingerprint),salt=\(saltedNames ? "birth_year" : "none"),roles="
                + roles.map(\.rawValue).sorted().joined(separator: "+")
        }

        /// Parses a first line; `file` names the file in errors.
        /// - Throws: `ZhaorenError(.malformedInput)` at line 1 when it is not an encoded file's first line.
        public init(parsing line: String, file: String) throws(ZhaorenError) {
            let cells = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            guard cells.first == EncodedFile.signature else {
                throw ZhaorenError(.malformedInput, "not a keyed-encoded file: the first line should start with \"\(EncodedFile.signature),\" (a plaintext file needs no --encoded; encode it with zhaoren encode first)",
                                   file: file, line: 1, column: 1)
            }
            var values: [String: String] = [:]
            for (k, cell) in cells.dropFirst().enumerated() {
                guard let eq = cell.firstIndex(of: "=") else {
                    throw ZhaorenError(.malformedInput, "expected name=value in the first line, found \"\(cell.prefix(40))\"", file: file, line: 1, column: k + 2)
                }
                values[String(cell[..<eq])] = String(cell[cell.index(after: eq)...])
            }
            guard values["version"] == String(EncodedFile.version) else {
                throw ZhaorenError(.malformedInput, "encoded with format version \(values["version"] ?? "?"); this zhaoren reads version \(EncodedFile.version)", file: file, line: 1)
            }
            guard let key = values["key"], key.count == 16, key.allSatisfy(\.isHexDigit) else {
                throw ZhaorenError(.malformedInput, "the first line has no key fingerprint (key= and 16 hexadecimal digits)", file: file, line: 1)
            }
            guard let salt = values["salt"], salt == "birth_year" || salt == "none" else {
                throw ZhaorenError(.malformedInput, "the first line's salt must be birth_year or none", file: file, line: 1)
            }
            var roles = Set<FieldRole>()
            for r in (values["roles"] ?? "").split(separator: "+") {
                guard let role = FieldRole(rawValue: String(r)) else {
                    throw ZhaorenError(.malformedInput, "unknown role \"\(r)\" in the first line", file: file, line: 1)
                }
                roles.insert(role)
            }
            self.init(keyFingerprint: key, saltedNames: salt == "birth_year", roles: roles)
        }
    }

    /// The 64 base64url characters, in value order.
    static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)
    /// Character → value, 255 for characters outside the alphabet.
    static let decoding: [UInt8] = {
        var t = [UInt8](repeating: 255, count: 256)
        for (k, c) in alphabet.enumerated() { t[Int(c)] = UInt8(k) }
        return t
    }()

    /// Appends `token` as 11 base64url characters (its 8 bytes, big-endian, unpadded).
    ///
    /// ```swift
    /// var out: [UInt8] = []
    /// EncodedFile.appendToken(0, to: &out)   // "AAAAAAAAAAA"
    /// ```
    @inline(__always)
    public static func appendToken(_ token: UInt64, to out: inout [UInt8]) {
        for k in 0..<10 { out.append(alphabet[Int((token >> UInt64(58 - 6 * k)) & 63)]) }
        out.append(alphabet[Int((token & 0xF) << 2)])
    }

    /// The tokens of one cell, or `nil` if it is not a run of 11-character tokens.
    package static func decodeTokens(_ cell: UnsafeBufferPointer<UInt8>, into out: inout [UInt64]) -> Bool {
        guard cell.count % tokenWidth == 0 else { return false }
        let table = decoding
        var p = 0
        while p < cell.count {
            var v: UInt64 = 0
            for k in 0..<10 {
                let d = table[Int(cell[p + k])]
                if d == 255 { return false }
                v = v << 6 | UInt64(d)
            }
            let last = table[Int(cell[p + 10])]
            if last == 255 || last & 3 != 0 { return false }
            v = v << 4 | UInt64(last >> 2)
            out.append(v)
            p += tokenWidth
        }
        return true
    }

    /// One file read: its header, its records' row numbers, the lines set aside, and what the
    /// reader counted (the tokens go to the builder given to ``read(_:source:into:rows:)``).
    package struct Contents: Sendable {
        package var header: Header
        package var rejects: [RejectedRow]
        package var statistics: ReadStatistics
    }

    /// Bytes read and parsed at a time: memory stays at one block plus the tokens.
    static let blockBytes = 64 << 20

    /// Reads an encoded file, appending its records' tokens to `tokens` and their row numbers
    /// to `rows`. Malformed data lines are rejected (listed with line and column); a malformed
    /// first or second line fails the whole file. With `matching`, the file must have been
    /// encoded with that header's key and salt: checked on its first line, before any data.
    /// - Throws: `ZhaorenError` for an unreadable file, a plaintext file, a wrong column line,
    ///   another key or salt than `matching`'s.
    /// - Complexity: O(bytes), in blocks of 64 MiB parsed in parallel.
    package static func read(_ url: URL, source: String, matching: (header: Header, file: String)? = nil,
                             into tokens: inout EncodedColumns.Builder, rows: inout [UInt32]) throws(ZhaorenError) -> Contents {
        let file = url.path
        guard let handle = FileHandle(forReadingAtPath: file) else {
            let exists = FileManager.default.fileExists(atPath: file)
            throw ZhaorenError(.io, exists ? "cannot open the file for reading" : "no such file", file: file)
        }
        defer { try? handle.close() }
        func next(_ count: Int) throws(ZhaorenError) -> Data {
            do { return try handle.read(upToCount: count) ?? Data() } catch {
                throw ZhaorenError(.io, "cannot read: \(FileFault.reason(of: error))", file: file)
            }
        }
        let fileBytes = (try? FileManager.default.attributesOfItem(atPath: file)[.size] as? Int) ?? 0
        var buffer = [UInt8](try next(blockBytes))
        var reserved = false
        var statistics = ReadStatistics()
        statistics.bytes = buffer.count
        // The first two lines.
        func line(_ from: Int) -> (String, Int)? {
            guard let e = buffer[from...].firstIndex(of: 0x0A) else { return nil }
            var stop = e
            if stop > from && buffer[stop - 1] == 0x0D { stop -= 1 }
            return (String(decoding: buffer[from..<stop], as: UTF8.self), e + 1)
        }
        var start = 0
        if buffer.starts(with: [0xEF, 0xBB, 0xBF]) { start = 3; statistics.sawByteOrderMark = true }
        guard let (first, after1) = line(start) else {
            if buffer.isEmpty { throw ZhaorenError(.malformedInput, "the file is empty, not a keyed-encoded file", file: file, line: 1) }
            _ = try Header(parsing: String(decoding: buffer.prefix(200), as: UTF8.self), file: file)
            throw ZhaorenError(.malformedInput, "the file ends after its first line: no column line", file: file, line: 1)
        }
        let header = try Header(parsing: first, file: file)
        if let (other, otherFile) = matching {
            guard header.keyFingerprint == other.keyFingerprint else {
                throw ZhaorenError(.invalidArgument, "\(file) was encoded with another key (fingerprint \(header.keyFingerprint)) than \(otherFile) (\(other.keyFingerprint)): its tokens cannot match; encode both files with the same key")
            }
            guard header.saltedNames == other.saltedNames else {
                throw ZhaorenError(.invalidArgument, "\(file) and \(otherFile) were encoded with different --salt settings; encode both alike")
            }
        }
        guard let (second, after2) = line(after1) else {
            throw ZhaorenError(.malformedInput, "the file ends before its column line ends", file: file, line: 2)
        }
        let names = second.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        let expected = columnNames
        guard names == expected else {
            let k = Array(zip(names, expected)).firstIndex { $0.0 != $0.1 } ?? min(names.count, expected.count)
            throw ZhaorenError(.malformedInput, "the column line should be \(expected.count) columns row,flags,\(EncodedField.allCases[0].rawValue),…; column \(k + 1) is \"\(k < names.count ? names[k] : "")\", expected \"\(k < expected.count ? expected[k] : "")\"",
                               file: file, line: 2, column: k + 1)
        }
        buffer.removeFirst(after2)
        var rejects: [RejectedRow] = []
        var lineBase = 2   // lines before the block's first
        var atEnd = false
        while true {
            // Complete lines only; the rest waits for the next block (or ends the file).
            var end = buffer.count
            if !atEnd {
                let more = try next(blockBytes)
                statistics.bytes += more.count
                if more.isEmpty { atEnd = true } else { buffer.append(contentsOf: more) }
                if !atEnd {
                    end = (buffer.lastIndex(of: 0x0A) ?? -1) + 1
                    if end == 0 { continue }   // one very long line: read on
                }
            }
            if atEnd { end = buffer.count }
            let parts = buffer.withUnsafeBufferPointer { parseLines($0, 0..<end) }
            if !reserved, end > 0 {
                // Room for the whole file's tokens, per field as in the first block: the pools
                // then never grow by copying.
                reserved = true
                let scale = Double(fileBytes) / Double(end) * 1.02
                var counts = [Int](repeating: 0, count: EncodedField.allCases.count)
                for part in parts { for k in counts.indices { counts[k] += part.tokens.pools[k].count } }
                tokens.reserve(tokens: counts.map { Int(Double($0) * scale) },
                               records: Int(Double(parts.reduce(0) { $0 + $1.rows.count }) * scale))
                rows.reserveCapacity(rows.count + Int(Double(parts.reduce(0) { $0 + $1.rows.count }) * scale))
            }
            for part in parts {
                tokens.append(part.tokens)
                rows.append(contentsOf: part.rows)
                for bad in part.bad {
                    let line = lineBase + bad.line
                    let raw = buffer.withUnsafeBufferPointer { b -> String in
                        var e = bad.start
                        while e < end && b[e] != 0x0A { e += 1 }
                        if e > bad.start && b[e - 1] == 0x0D { e -= 1 }
                        return String(decoding: UnsafeBufferPointer(rebasing: b[bad.start..<min(e, bad.start + 65_536)]), as: UTF8.self)
                    }
                    rejects.append(RejectedRow(source: source, row: line - 2, line: line, column: bad.column,
                                               reason: bad.reason, detail: bad.detail, raw: raw))
                    statistics.rejectedByReason[bad.reason, default: 0] += 1
                }
                statistics.blankLines += part.blank
                statistics.rowsRead += part.lines - part.blank
                lineBase += part.lines
            }
            buffer.removeFirst(end)
            if atEnd { break }
        }
        statistics.rowsAccepted = statistics.rowsRead - rejects.count
        return Contents(header: header, rejects: rejects, statistics: statistics)
    }

    /// What one parallel chunk of lines gave.
    struct Chunk: Sendable {
        var tokens = EncodedColumns.Builder()
        var rows: [UInt32] = []
        var bad: [(line: Int, column: Int?, start: Int, detail: String, reason: RejectReason)] = []
        var lines = 0, blank = 0
    }

    /// Parses the complete lines of `bytes[range]` in parallel chunks cut at line ends.
    static func parseLines(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> [Chunk] {
        let size = range.count
        let chunkCount = max(1, min(64, size / (1 << 20)))
        var cuts = [range.lowerBound]
        for c in 1..<chunkCount {
            var p = max(range.lowerBound + size * c / chunkCount, cuts.last!)
            while p < range.upperBound && bytes[p - 1] != 0x0A { p += 1 }
            cuts.append(p)
        }
        cuts.append(range.upperBound)
        let bounds = cuts
        nonisolated(unsafe) let base = bytes
        return Parallel.map(chunkCount) { c in parseChunk(base, bounds[c]..<bounds[c + 1]) }
    }

    /// Parses the lines of one chunk.
    static func parseChunk(_ base: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Chunk {
        var out = Chunk()
        let fields = EncodedField.allCases
        let fieldCount = fields.count
        var cells: [(Int, Int)] = []
        cells.reserveCapacity(fieldCount + 2)
        var line: [UInt64] = []          // this line's tokens, all fields
        var fieldEnd = [Int](repeating: 0, count: fieldCount)
        var p = range.lowerBound
        let end = range.upperBound
        lines: while p < end {
            var e = p
            while e < end && base[e] != 0x0A { e += 1 }
            let lineStart = p
            out.lines += 1
            var stop = e
            if stop > p && base[stop - 1] == 0x0D { stop -= 1 }
            p = e + 1
            if stop == lineStart { out.blank += 1; continue }
            cells.removeAll(keepingCapacity: true)
            var a = lineStart
            for q in lineStart...stop where q == stop || base[q] == 0x2C {
                cells.append((a, q)); a = q + 1
            }
            guard cells.count == fieldCount + 2 else {
                out.bad.append((out.lines, nil, lineStart, "\(cells.count) fields, the column line has \(fieldCount + 2)", .raggedRow))
                continue
            }
            func number(_ cell: (Int, Int), limit: UInt64) -> UInt64? {
                guard cell.1 > cell.0, cell.1 - cell.0 <= 10 else { return nil }
                var v: UInt64 = 0
                for q in cell.0..<cell.1 {
                    let d = base[q] &- 0x30
                    guard d <= 9 else { return nil }
                    v = v * 10 + UInt64(d)
                }
                return v <= limit ? v : nil
            }
            guard let row = number(cells[0], limit: UInt64(UInt32.max)) else {
                out.bad.append((out.lines, 1, lineStart, "the row number is not a whole number", .invalidToken)); continue
            }
            guard let flags = number(cells[1], limit: UInt64(EncodedFlags.all.rawValue)) else {
                out.bad.append((out.lines, 2, lineStart, "the flags are not a number from 0 to \(EncodedFlags.all.rawValue)", .invalidToken)); continue
            }
            line.removeAll(keepingCapacity: true)
            for k in 0..<fieldCount {
                let (x, y) = cells[k + 2]
                guard decodeTokens(UnsafeBufferPointer(rebasing: base[x..<y]), into: &line) else {
                    out.bad.append((out.lines, k + 3, lineStart,
                                    "\(fields[k].rawValue): expected tokens of \(tokenWidth) base64url characters, found \(y - x) characters", .invalidToken))
                    continue lines
                }
                fieldEnd[k] = line.count
            }
            var s = 0
            for k in 0..<fieldCount {
                out.tokens.add(run: line[s..<fieldEnd[k]], to: k)
                s = fieldEnd[k]
            }
            out.tokens.endRecord(flags: EncodedFlags(rawValue: UInt8(flags)))
            out.rows.append(UInt32(row))
        }
        return out
    }
}
