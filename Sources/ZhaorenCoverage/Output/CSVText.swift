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
    /// commas, quotes and newlines). Returns the records, header included. Blank lines are
    /// skipped.
    ///
    /// - Complexity: O(n) in the number of bytes.
    static func parse(_ bytes: [UInt8]) throws(CSVTextError) -> [[String]] {
        var records: [[String]] = []
        var fields: [String] = []
        var field: [UInt8] = []
        var i = 0
        let n = bytes.count
        if n >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { i = 3 }
        var line = 1
        var inQuotes = false
        var fieldWasQuoted = false
        func endField() {
            fields.append(String(decoding: field, as: UTF8.self))
            field.removeAll(keepingCapacity: true)
            fieldWasQuoted = false
        }
        func endRecord() {
            endField()
            if !(fields.count == 1 && fields[0].isEmpty) { records.append(fields) }
            fields.removeAll(keepingCapacity: true)
        }
        var quoteLine = 0
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
            case 0x0D:
                if i + 1 < n, bytes[i + 1] == 0x0A { i += 1 }
                endRecord()
                line += 1
            case 0x0A:
                endRecord()
                line += 1
            default:
                field.append(b)
            }
            i += 1
        }
        if inQuotes { throw CSVTextError(message: "a quoted field is never closed", line: quoteLine) }
        if !field.isEmpty || !fields.isEmpty || fieldWasQuoted { endRecord() }
        return records
    }
}

/// A CSV parse failure: what and on which physical line.
struct CSVTextError: Error {
    var message: String
    var line: Int
}
