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

    /// Appends a field that is a non-negative or negative whole number, without a `String`.
    mutating func int(_ value: Int) {
        if !atRecordStart { bytes.append(0x2C) }
        atRecordStart = false
        appendDigits(value)
    }

    /// Appends a `YYYY-MM-DD` date field, without a `String`.
    mutating func date(_ d: CivilDate) {
        if !atRecordStart { bytes.append(0x2C) }
        atRecordStart = false
        if d.year < 0 || d.year > 9999 {
            bytes.append(contentsOf: d.description.utf8)
            return
        }
        bytes.append(0x30 + UInt8(d.year / 1000))
        bytes.append(0x30 + UInt8(d.year / 100 % 10))
        bytes.append(0x30 + UInt8(d.year / 10 % 10))
        bytes.append(0x30 + UInt8(d.year % 10))
        bytes.append(0x2D)
        bytes.append(0x30 + UInt8(d.month / 10))
        bytes.append(0x30 + UInt8(d.month % 10))
        bytes.append(0x2D)
        bytes.append(0x30 + UInt8(d.day / 10))
        bytes.append(0x30 + UInt8(d.day % 10))
    }

    /// Appends a field made of `count` parts joined by `separator`, each part written by
    /// `part` straight into the bytes; quoted as a whole if any byte needs it.
    ///
    /// ```swift
    /// row.joined(2, separator: 0x3B) { i, bytes in bytes += Array(["a", "b"][i].utf8) }   // a;b
    /// ```
    mutating func joined(_ count: Int, separator: UInt8, _ part: (Int, inout [UInt8]) -> Void) {
        if !atRecordStart { bytes.append(0x2C) }
        atRecordStart = false
        let start = bytes.count
        for i in 0..<count {
            if i > 0 { bytes.append(separator) }
            part(i, &bytes)
        }
        var needsQuotes = false
        for j in start..<bytes.count where bytes[j] == 0x2C || bytes[j] == 0x22 || bytes[j] == 0x0A || bytes[j] == 0x0D {
            needsQuotes = true
            break
        }
        guard needsQuotes else { return }
        let content = Array(bytes[start...])
        bytes.removeSubrange(start...)
        append(content)
    }

    /// Appends `x` rounded to `places` decimals without trailing zeros (`0.9877`, `1`, `0.5`);
    /// empty for NaN or infinity.
    mutating func decimal(_ x: Double, places: Int) {
        if !atRecordStart { bytes.append(0x2C) }
        atRecordStart = false
        guard x.isFinite, places >= 0, places <= 9 else { return }
        var scale = 1
        for _ in 0..<places { scale *= 10 }
        let scaled = Int((abs(x) * Double(scale)).rounded())
        if x < 0 && scaled != 0 { bytes.append(0x2D) }
        Self.appendDigits(scaled / scale, to: &bytes)
        var fraction = scaled % scale
        guard fraction != 0 else { return }
        var width = places
        while fraction % 10 == 0 {
            fraction /= 10
            width -= 1
        }
        bytes.append(0x2E)
        var divisor = 1
        for _ in 1..<width { divisor *= 10 }
        while divisor > 0 {
            bytes.append(0x30 + UInt8(fraction / divisor % 10))
            divisor /= 10
        }
    }

    /// Appends the decimal digits of `value` to `bytes`.
    static func appendDigits(_ value: Int, to bytes: inout [UInt8]) {
        var v = value.magnitude
        if value < 0 { bytes.append(0x2D) }
        if v < 10 {
            bytes.append(0x30 + UInt8(v))
            return
        }
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var n = 0
        withUnsafeMutableBytes(of: &digits) { buf in
            while v > 0 {
                buf[n] = 0x30 + UInt8(v % 10)
                v /= 10
                n += 1
            }
            for i in stride(from: n - 1, through: 0, by: -1) { bytes.append(buf[i]) }
        }
    }

    private mutating func appendDigits(_ value: Int) { Self.appendDigits(value, to: &bytes) }

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
