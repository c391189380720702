#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ZhaorenSupport
import ZhaorenICU

// Reading chunks, the byte-order mark, encoding and delimiter detection, and the header.
extension CSVReader {
    func useEncoding(_ encoding: InputEncoding) throws(ZhaorenError) {
        statistics.encoding = encoding
        encodingKnown = true
        if encoding == .gb18030 && converter == nil {
            do { converter = try CharsetConverter("GB18030") } catch {
                throw ZhaorenError(.icu, error.message, file: source)
            }
        }
    }

    /// Moves the unparsed bytes to the front, grows the buffer if they fill it, and reads one
    /// more chunk. Returns `false` (and sets `atEOF`) at the end of the file.
    @discardableResult
    func readMore() throws(ZhaorenError) -> Bool {
        guard !atEOF else { return false }
        if start > 0 {
            let pending = end - start
            if pending > 0 { buffer.update(from: buffer + start, count: pending) }
            start = 0
            end = pending
        }
        if capacity - end < options.chunkSize / 2 {
            var grown = capacity * 2
            while grown - end < options.chunkSize { grown *= 2 }
            let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: grown)
            bigger.update(from: buffer, count: end)
            buffer.deallocate()
            buffer = bigger
            capacity = grown
        }
        let want = min(capacity - end, max(options.chunkSize, 64))
        var got = 0
        while true {
            got = read(descriptor, buffer + end, want)
            if got >= 0 || errno != EINTR { break }
        }
        guard got >= 0 else {
            throw ZhaorenError(.io, "cannot read: \(String(cString: strerror(errno)))", file: source)
        }
        if got == 0 {
            atEOF = true
            return false
        }
        let fresh = UnsafeBufferPointer(start: buffer + end, count: got)
        end += got
        statistics.bytes += got
        if !encodingKnown { try detectEncoding(newBytes: fresh) }
        return true
    }

    /// In `.auto` mode: on the first chunk holding a non-ASCII byte, decides UTF-8 or GB18030.
    ///
    /// The unparsed bytes are checked as strict UTF-8. If they are valid, or if valid multi-byte
    /// sequences outnumber invalid bytes twenty to one (a UTF-8 file with a few corrupt bytes,
    /// whose rows will be rejected), the file is UTF-8; otherwise it is GB18030.
    func detectEncoding(newBytes: UnsafeBufferPointer<UInt8>) throws(ZhaorenError) {
        guard newBytes.contains(where: { $0 >= 0x80 }) else { return }
        statistics.sawNonASCII = true
        // A first line (the header) with non-ASCII characters that is valid UTF-8 settles it:
        // a file that switches to GB18030 further down then has those rows rejected, each
        // with its line, instead of its header being misread.
        let pending = UnsafeBufferPointer(start: buffer + start, count: end - start)
        if line == 1, let lineEnd = pending.firstIndex(where: { $0 == asciiLF || $0 == asciiCR }) {
            let first = UnsafeBufferPointer(rebasing: pending[..<lineEnd])
            if first.contains(where: { $0 >= 0x80 }) && UTF8Validation.isValid(first) {
                try useEncoding(.utf8)
                return
            }
        }
        var valid = 0, invalid = 0
        var rest = UnsafeBufferPointer(start: buffer + start, count: end - start)
        while !rest.isEmpty {
            guard let failure = UTF8Validation.firstError(in: rest) else {
                valid += rest.count(where: { $0 >= 0xC0 })
                break
            }
            valid += rest[0..<failure.offset].count(where: { $0 >= 0xC0 })
            if failure.truncated { break }
            invalid += 1
            rest = UnsafeBufferPointer(rebasing: rest[(failure.offset + 1)...])
        }
        try useEncoding(invalid == 0 || valid >= 20 * invalid ? .utf8 : .gb18030)
    }

    /// Reads the first chunk, strips a byte-order mark, detects the delimiter, finds the header
    /// row (skipping title rows above it) and reads it.
    func readHeader() throws(ZhaorenError) {
        try readPreamble(detect: true)
        if options.headerRow != nil || !options.headerNames.isEmpty {
            try skipToHeader()
        }
        // The header row is parsed like any other, into its own batch.
        let fields = try nextHeaderModeRecord() ?? []
        statistics.headerRow = fields.isEmpty ? 1 : headerModeLine
        header = fields.map { String($0.unicodeScalars.filter { $0 != "\u{FEFF}" }).trimmingWhitespace() }
        batch = RowBatch(columnCount: header.count, byteCapacity: 1 << 20, rowCapacity: 1 << 12)
    }

    /// The byte-order mark and the delimiter.
    private func readPreamble(detect: Bool) throws(ZhaorenError) {
        // Enough bytes to see a byte-order mark.
        while end - start < 4, try readMore() {}
        let b = UnsafeBufferPointer(start: buffer + start, count: end - start)
        if b.count >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF {
            start += 3
            statistics.sawByteOrderMark = true
            if options.encoding == .auto { try useEncoding(.utf8) }
        } else if b.count >= 4 && b[0] == 0x84 && b[1] == 0x31 && b[2] == 0x95 && b[3] == 0x33 {
            start += 4
            statistics.sawByteOrderMark = true
            if options.encoding == .auto { try useEncoding(.gb18030) }
        } else if b.count >= 2 && ((b[0] == 0xFF && b[1] == 0xFE) || (b[0] == 0xFE && b[1] == 0xFF)) {
            throw ZhaorenError(.decoding, "the file is UTF-16 (it starts with a UTF-16 byte-order mark); save it as UTF-8 or GB18030", file: source, line: 1)
        }
        guard detect else { return }
        if let forced = options.format.delimiter {
            delimiter = forced
            statistics.format = options.format
        } else {
            try detectDelimiter()
        }
    }

    /// Parses the next record in header mode (any number of fields): its fields, or `nil` at
    /// the end of the file. ``headerModeLine`` is set to the line it starts on.
    private func nextHeaderModeRecord(preview: Bool = false) throws(ZhaorenError) -> [String]? {
        let record = RowBatch(columnCount: 0, byteCapacity: 4096, rowCapacity: 1)
        previewingHeader = preview
        headerModeUnreadable = false
        defer { previewingHeader = false }
        try fill(batch: record, maxRows: 1, header: true)
        if headerModeUnreadable { return [""] }
        let count = record.pendingFieldCount
        guard count > 0 else { return nil }
        return (0..<count).map { k in
            let range = Int(record.offsets[k])..<Int(record.offsets[k + 1])
            return String(decoding: UnsafeBufferPointer(rebasing: record.storage[range]), as: UTF8.self)
        }
    }

    /// Finds the header among the first rows, then reads the file again from its start up to it,
    /// recording the rows skipped.
    private func skipToHeader() throws(ZhaorenError) {
        var rows: [(line: Int, fields: [String])] = []
        let last = options.headerRow ?? 10
        while let fields = try nextHeaderModeRecord(preview: true) {
            rows.append((headerModeLine, fields))
            if headerModeLine >= last || rows.count >= max(last, 10) { break }
        }
        let chosen: Int
        if let wanted = options.headerRow {
            guard let k = rows.firstIndex(where: { $0.line >= wanted }) else {
                throw ZhaorenError(.malformedInput, "there is no row \(wanted) to be the header (--header-row): the file has \(rows.last.map { "\($0.line)" } ?? "no") rows", file: source)
            }
            chosen = k
        } else {
            chosen = HeaderFinder.choose(rows.map(\.fields), names: options.headerNames)
        }
        try rewind()
        for k in 0..<chosen {
            _ = try nextHeaderModeRecord(preview: true)
            statistics.skippedAboveHeader.append(HeaderFinder.excerpt(rows[k].fields))
            statistics.skippedRows.append(rows[k].line)
        }
    }

    /// Goes back to the start of the file (to read it again from the top).
    private func rewind() throws(ZhaorenError) {
        guard lseek(descriptor, 0, SEEK_SET) == 0 else {
            throw ZhaorenError(.io, "cannot read the file again from its start to skip the rows above the header (is it a pipe? save it as a file, or give --header-row 1)", file: source)
        }
        start = 0
        end = 0
        atEOF = false
        line = 1
        statistics.bytes = 0
        statistics.blankLines = 0
        try readPreamble(detect: false)
    }

    /// Looks at the first line with a delimiter among the first ten (outside quotes): more tabs
    /// than commas means TSV.
    func detectDelimiter() throws(ZhaorenError) {
        var i = start
        var quoted = false
        var commas = 0, tabs = 0
        var content = false
        var lines = 0
        scan: while true {
            if i == end {
                if end - start > options.maxRecordBytes { break }
                let offset = i - start
                guard try readMore() else { break }
                i = start + offset
                continue
            }
            switch buffer[i] {
            case UInt8(ascii: "\""): quoted.toggle(); content = true
            case UInt8(ascii: ","): if !quoted { commas += 1 }; content = true
            case UInt8(ascii: "\t"): if !quoted { tabs += 1 }; content = true
            case UInt8(ascii: "\n"), UInt8(ascii: "\r"):
                // The first line decides, unless it has no delimiter at all (a title row):
                // then the first of the next lines that has one.
                if !quoted && content {
                    lines += 1
                    if commas + tabs > 0 || lines >= 10 { break scan }
                    content = false
                }
            default: content = true
            }
            i += 1
        }
        statistics.format = tabs > commas ? .tsv : .csv
        delimiter = tabs > commas ? UInt8(ascii: "\t") : UInt8(ascii: ",")
    }
}

extension String {
    /// The string without leading and trailing whitespace (Unicode white space, incl. U+3000).
    func trimmingWhitespace() -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })!
        return String(scalars[first...last])
    }
}
