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

    /// One file read: its header, the records' row numbers and tokens, and the lines set aside.
    package struct Contents: Sendable {
        package var header: Header
        package var rows: [UInt32]
        package var tokens: EncodedColumns.Builder
        package var rejects: [RejectedRow]
        package var statistics: ReadStatistics
    }

    /// Reads an encoded file; malformed data lines are rejected (listed with line and column), a
    /// malformed first or second line fails the whole file.
    /// - Throws: `ZhaorenError` for an unreadable file, a plaintext file, a wrong column line.
    package static func read(_ url: URL, source: String) throws(ZhaorenError) -> Contents {
        let data: Data
        do { data = try Data(contentsOf: url, options: .alwaysMapped) } catch {
            throw ZhaorenError(.io, "cannot read: \(error.localizedDescription)", file: url.path)
        }
        let file = url.path
        let result = data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) -> Result<Contents, ZhaorenError> in
            Result { () throws(ZhaorenError) -> Contents in try parse(raw.bindMemory(to: UInt8.self), file: file, source: source) }
        }
        return try result.get()
    }

    /// Parses the bytes of an encoded file.
    private static func parse(_ bytes: UnsafeBufferPointer<UInt8>, file: String, source: String) throws(ZhaorenError) -> Contents {
        do {
            let n = bytes.count
            func lineEnd(_ from: Int) -> Int {
                var e = from
                while e < n && bytes[e] != 0x0A { e += 1 }
                return e
            }
            func text(_ a: Int, _ b: Int) -> String {
                var e = b
                if e > a && bytes[e - 1] == 0x0D { e -= 1 }
                return String(decoding: UnsafeBufferPointer(rebasing: bytes[a..<min(e, a + 65_536)]), as: UTF8.self)
            }
            let e1 = lineEnd(0)
            var start1 = 0
            if n >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF { start1 = 3 }
            let header = try Header(parsing: text(start1, e1), file: file)
            let s2 = min(n, e1 + 1), e2 = lineEnd(s2)
            let names = text(s2, e2).split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            let expected = columnNames
            guard names == expected else {
                let k = Array(zip(names, expected)).firstIndex { $0.0 != $0.1 } ?? min(names.count, expected.count)
                throw ZhaorenError(.malformedInput, "the column line should be \(expected.count) columns row,flags,\(EncodedField.allCases[0].rawValue),…; column \(k + 1) is \"\(k < names.count ? names[k] : "")\", expected \"\(k < expected.count ? expected[k] : "")\"",
                                   file: file, line: 2, column: k + 1)
            }
            // Data lines in parallel chunks cut at line ends; each chunk counts its lines so the
            // rejects keep their line numbers.
            let body = min(n, e2 + 1)
            let chunkCount = max(1, min(64, (n - body) / (4 << 20)))
            var cuts = [body]
            for c in 1..<chunkCount {
                var p = max(body + (n - body) * c / chunkCount, cuts.last!)
                while p < n && bytes[p - 1] != 0x0A { p += 1 }
                cuts.append(p)
            }
            cuts.append(n)
            let bounds = cuts
            nonisolated(unsafe) let base = bytes
            let parts = Parallel.map(chunkCount) { c -> (EncodedColumns.Builder, [UInt32], [(Int, Int, Int, String, RejectReason)], Int, Int) in
                var b = EncodedColumns.Builder()
                var rows: [UInt32] = []
                var bad: [(Int, Int, Int, String, RejectReason)] = []   // (line offset, column, start byte, detail, reason)
                var lines = 0, blank = 0
                var tokens: [UInt64] = []
                var p = bounds[c]
                let end = bounds[c + 1]
                let fieldCount = EncodedField.allCases.count
                lines: while p < end {
                    var e = p
                    while e < end && base[e] != 0x0A { e += 1 }
                    let lineStart = p
                    lines += 1
                    var stop = e
                    if stop > p && base[stop - 1] == 0x0D { stop -= 1 }
                    p = e + 1
                    if stop == lineStart { blank += 1; continue }
                    // Split the cells.
                    var cells: [(Int, Int)] = []
                    cells.reserveCapacity(fieldCount + 2)
                    var a = lineStart
                    for q in lineStart...stop where q == stop || base[q] == 0x2C {
                        cells.append((a, q)); a = q + 1
                    }
                    guard cells.count == fieldCount + 2 else {
                        bad.append((lines, 0, lineStart, "\(cells.count) fields, the column line has \(fieldCount + 2)", .raggedRow))
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
                        bad.append((lines, 1, lineStart, "the row number is not a whole number", .invalidToken)); continue
                    }
                    guard let flags = number(cells[1], limit: UInt64(EncodedFlags.all.rawValue)) else {
                        bad.append((lines, 2, lineStart, "the flags are not a number from 0 to \(EncodedFlags.all.rawValue)", .invalidToken)); continue
                    }
                    let mark = b.pools.map(\.count)
                    for (k, field) in EncodedField.allCases.enumerated() {
                        let (x, y) = cells[k + 2]
                        tokens.removeAll(keepingCapacity: true)
                        let ok = decodeTokens(UnsafeBufferPointer(rebasing: base[x..<y]), into: &tokens)
                        if !ok {
                            // Undo this line's tokens, then reject it.
                            for f in b.pools.indices { b.pools[f].removeLast(b.pools[f].count - mark[f]) }
                            bad.append((lines, k + 3, lineStart, "\(field.rawValue): expected tokens of \(tokenWidth) base64url characters, found \(y - x) characters", .invalidToken))
                            continue lines
                        }
                        for t in tokens { b.add(field, t) }
                    }
                    b.endRecord(flags: EncodedFlags(rawValue: UInt8(flags)))
                    rows.append(UInt32(row))
                }
                return (b, rows, bad, lines, blank)
            }
            var tokens = EncodedColumns.Builder()
            var rows: [UInt32] = []
            var rejects: [RejectedRow] = []
            var statistics = ReadStatistics()
            statistics.bytes = n
            statistics.sawByteOrderMark = start1 == 3
            var lineBase = 2   // lines before the first data line
            for (b, r, bad, lines, blank) in parts {
                tokens.append(b)
                rows.append(contentsOf: r)
                for (offset, column, at, detail, reason) in bad {
                    let line = lineBase + offset
                    rejects.append(RejectedRow(source: source, row: line - 2, line: line, column: column == 0 ? nil : column,
                                               reason: reason, detail: detail, raw: text(at, lineEnd(at))))
                    statistics.rejectedByReason[reason, default: 0] += 1
                }
                statistics.blankLines += blank
                statistics.rowsRead += lines - blank
                lineBase += lines
            }
            statistics.rowsAccepted = rows.count
            return Contents(header: header, rows: rows, tokens: tokens, rejects: rejects, statistics: statistics)
        }
    }
}
