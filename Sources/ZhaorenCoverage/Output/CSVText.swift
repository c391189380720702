import Zhaoren

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

    /// Parses CSV bytes (UTF-8, optional BOM; CRLF or LF; quoted fields with embedded
    /// commas, quotes and newlines) and calls `body` with each record, header included, and
    /// its 1-based starting line. Blank lines are skipped. The fields array is reused: copy
    /// what you keep.
    ///
    /// - Complexity: O(n) in the number of bytes.
    static func forEachRecord(_ bytes: UnsafeRawBufferPointer, _ body: (_ fields: [String], _ line: Int) throws(CSVTextError) -> Void)
        throws(CSVTextError)
    {
        var fields: [String] = []
        var field: [UInt8] = []
        var i = 0
        let n = bytes.count
        if n >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { i = 3 }
        var line = 1
        var recordLine = 1
        var inQuotes = false
        var fieldWasQuoted = false
        var quoteLine = 0
        func endField() {
            fields.append(String(decoding: field, as: UTF8.self))
            field.removeAll(keepingCapacity: true)
            fieldWasQuoted = false
        }
        func endRecord() throws(CSVTextError) {
            endField()
            if !(fields.count == 1 && fields[0].isEmpty) { try body(fields, recordLine) }
            fields.removeAll(keepingCapacity: true)
        }
        while i < n {
            let b = bytes[i]
            if inQuotes {
                if b == 0x22 {
                    if i + 1 < n, bytes[i + 1] == 0x22 {
                        field.append(0x22)
                        i += 2
                        continue
                    }
                    inQuotes = false
                } else {
                    if b == 0x0A { line += 1 }
                    field.append(b)
                }
                i += 1
                continue
            }
            switch b {
            case 0x22 where field.isEmpty && !fieldWasQuoted:
                inQuotes = true
                fieldWasQuoted = true
                quoteLine = line
            case 0x2C:
                endField()
            case 0x0D, 0x0A:
                if b == 0x0D, i + 1 < n, bytes[i + 1] == 0x0A { i += 1 }
                try endRecord()
                line += 1
                recordLine = line
            default:
                field.append(b)
            }
            i += 1
        }
        if inQuotes { throw CSVTextError(message: "a quoted field is never closed", line: quoteLine) }
        if !field.isEmpty || !fields.isEmpty || fieldWasQuoted { try endRecord() }
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

/// Builds CSV records as UTF-8 bytes, for large files: no intermediate `String` per line.
///
/// ```swift
/// var row = CSVBytes()
/// row.field("张伟"); row.field("a,b"); row.endRecord()   // 张伟,"a,b"\n
/// ```
struct CSVBytes {
    /// The bytes built so far; hand them to a writer and clear them now and then.
    var bytes: [UInt8] = []
    private var atRecordStart = true

    init() { bytes.reserveCapacity(1 << 16) }

    /// Appends one field, quoted as RFC 4180 needs.
    mutating func field(_ value: String) {
        if !atRecordStart { bytes.append(0x2C) }
        atRecordStart = false
        let done: Void? = value.utf8.withContiguousStorageIfAvailable { append($0) }
        if done == nil { append(Array(value.utf8)) }
    }

    /// Appends one field that is known to need no quoting (numbers, codes).
    mutating func plain(_ value: String) {
        if !atRecordStart { bytes.append(0x2C) }
        atRecordStart = false
        bytes.append(contentsOf: value.utf8)
    }

    private mutating func append(_ utf8: some Collection<UInt8>) {
        guard utf8.contains(where: { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }) else {
            bytes.append(contentsOf: utf8)
            return
        }
        bytes.append(0x22)
        for b in utf8 {
            if b == 0x22 { bytes.append(0x22) }
            bytes.append(b)
        }
        bytes.append(0x22)
    }

    /// Ends the record with LF.
    mutating func endRecord() {
        bytes.append(0x0A)
        atRecordStart = true
    }

    /// Moves the bytes into `out` once more than `threshold` have gathered.
    mutating func flush(into out: StagedFile, threshold: Int = 1 << 16) {
        guard bytes.count >= threshold else { return }
        out.append(bytes: bytes)
        bytes.removeAll(keepingCapacity: true)
    }
}

/// A CSV parse failure: what and on which physical line.
struct CSVTextError: Error {
    var message: String
    var line: Int
}
