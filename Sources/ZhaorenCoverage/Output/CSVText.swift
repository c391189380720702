/// The CSV text the coverage outputs write and read back: RFC 4180 quoting, and a small
/// reader for the files of a previous run and for a targets table.
///
/// Kept private to the coverage module until the engine's CSV reader and writer (branch
/// `read`) are on main; then both halves should call those instead.
enum CSVText {
    /// One field, quoted when it holds a comma, a quote, CR or LF (quotes doubled).
    ///
    /// ```swift
    /// CSVText.field(#"王"伟"#)   // "\"王\"\"伟\""
    /// ```
    static func field(_ value: String) -> String {
        var needsQuotes = false
        for byte in value.utf8 where byte == 0x2C || byte == 0x22 || byte == 0x0A || byte == 0x0D {
            needsQuotes = true
            break
        }
        guard needsQuotes else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// A record: fields quoted as needed, joined by commas, ended by LF.
    static func line(_ fields: [String]) -> String {
        var out = ""
        for (i, f) in fields.enumerated() {
            if i > 0 { out += "," }
            out += field(f)
        }
        out += "\n"
        return out
    }

    /// The UTF-8 byte order mark Excel needs to open UTF-8 CSV correctly.
    static let byteOrderMark = "\u{FEFF}"

    /// One record as unescaped bytes: field `i` is `bytes[start(i)..<ends[i]]`.
    /// Reused from record to record: copy what you keep.
    struct RawRecord {
        var bytes: [UInt8] = []
        var ends: [Int] = []

        var count: Int { ends.count }
        func start(_ i: Int) -> Int { i == 0 ? 0 : ends[i - 1] }
        /// Field `i` as a `String`.
        func string(_ i: Int) -> String { String(decoding: bytes[start(i)..<ends[i]], as: UTF8.self) }
        /// Whether field `i` has exactly the bytes `other`.
        func field(_ i: Int, equals other: [UInt8]) -> Bool {
            let s = start(i)
            guard ends[i] - s == other.count else { return false }
            for k in 0..<other.count where bytes[s + k] != other[k] { return false }
            return true
        }
    }

    /// Parses CSV bytes (UTF-8, optional BOM; CRLF or LF; quoted fields with embedded
    /// commas, quotes and newlines) and calls `body` with each record, header included, and
    /// its 1-based starting line. Blank lines are skipped. The record is reused: copy what
    /// you keep.
    ///
    /// - Complexity: O(n) in the number of bytes, no allocation per record.
    static func forEachRawRecord(_ bytes: UnsafeRawBufferPointer, _ body: (_ record: RawRecord, _ line: Int) throws(CSVTextError) -> Void)
        throws(CSVTextError)
    {
        var record = RawRecord()
        var i = 0
        let n = bytes.count
        if n >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { i = 3 }
        var line = 1
        var recordLine = 1
        var inQuotes = false
        var fieldWasQuoted = false
        var fieldStart = 0
        var quoteLine = 0
        func endRecord() throws(CSVTextError) {
            record.ends.append(record.bytes.count)
            if !(record.ends.count == 1 && record.bytes.isEmpty) { try body(record, recordLine) }
            record.bytes.removeAll(keepingCapacity: true)
            record.ends.removeAll(keepingCapacity: true)
            fieldStart = 0
            fieldWasQuoted = false
        }
        while i < n {
            let b = bytes[i]
            if inQuotes {
                if b == 0x22 {
                    if i + 1 < n, bytes[i + 1] == 0x22 {
                        record.bytes.append(0x22)
                        i += 2
                        continue
                    }
                    inQuotes = false
                } else {
                    if b == 0x0A { line += 1 }
                    record.bytes.append(b)
                }
                i += 1
                continue
            }
            switch b {
            case 0x22 where record.bytes.count == fieldStart && !fieldWasQuoted:
                inQuotes = true
                fieldWasQuoted = true
                quoteLine = line
            case 0x2C:
                record.ends.append(record.bytes.count)
                fieldStart = record.bytes.count
                fieldWasQuoted = false
            case 0x0D, 0x0A:
                if b == 0x0D, i + 1 < n, bytes[i + 1] == 0x0A { i += 1 }
                try endRecord()
                line += 1
                recordLine = line
            default:
                // Copy the whole run of ordinary bytes at once.
                var j = i + 1
                while j < n {
                    let c = bytes[j]
                    if c == 0x2C || c == 0x22 || c == 0x0A || c == 0x0D { break }
                    j += 1
                }
                record.bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[i..<j]))
                i = j
                continue
            }
            i += 1
        }
        if inQuotes { throw CSVTextError(message: "a quoted field is never closed", line: quoteLine) }
        if !record.bytes.isEmpty || !record.ends.isEmpty || fieldWasQuoted { try endRecord() }
    }

    /// Like ``forEachRawRecord(_:_:)``, with the fields as strings.
    static func forEachRecord(_ bytes: UnsafeRawBufferPointer, _ body: (_ fields: [String], _ line: Int) throws(CSVTextError) -> Void)
        throws(CSVTextError)
    {
        var fields: [String] = []
        try forEachRawRecord(bytes) { (record, line) throws(CSVTextError) in
            fields.removeAll(keepingCapacity: true)
            for f in 0..<record.count { fields.append(record.string(f)) }
            try body(fields, line)
        }
    }

    /// All records of `bytes` (see ``forEachRecord(_:_:)``), for small files.
    static func parse(_ bytes: [UInt8]) throws(CSVTextError) -> [[String]] {
        var records: [[String]] = []
        var failure: CSVTextError?
        bytes.withUnsafeBytes { raw in
            do throws(CSVTextError) {
                try forEachRecord(raw) { (fields, _) throws(CSVTextError) in records.append(fields) }
            } catch {
                failure = error
            }
        }
        if let failure { throw failure }
        return records
    }
}
