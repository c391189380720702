// The byte-level record scanner and the per-row decoding pass.

let asciiQuote = UInt8(ascii: "\"")
let asciiLF = UInt8(ascii: "\n")
let asciiCR = UInt8(ascii: "\r")

/// What scanning one record from the buffer found.
enum ScanOutcome {
    /// A whole record: its bytes end at `contentEnd` (before the line break), the next record
    /// starts at `next`, and it consumed `newlines` line breaks (its own terminator included).
    case complete(contentEnd: Int, next: Int, newlines: Int)
    /// The buffer ends inside the record; read more and scan it again.
    case needMore
    /// The file ends inside a quoted field.
    case unterminated
}

extension CSVReader {
    /// Parses rows from the buffer into `batch` until it holds `maxRows` rows, reaches
    /// ``Options/maxBatchBytes``, or the file ends. With `header`, stops after one record and
    /// leaves its fields pending in `batch`.
    func fill(batch: RowBatch, maxRows: Int, header: Bool = false) throws(ZhaorenError) {
        let maxBytes = max(options.maxBatchBytes, 1)
        while header || (batch.count < maxRows && batch.byteCount < maxBytes && batch.rejects.count < maxRows) {
            if start == end {
                guard try readMore() else { return }
                continue
            }
            let first = buffer[start]
            if first == asciiLF || first == asciiCR {
                if first == asciiCR && start + 1 == end && !atEOF {
                    try readMore()
                    continue
                }
                start += first == asciiCR && start + 1 < end && buffer[start + 1] == asciiLF ? 2 : 1
                line += 1
                statistics.blankLines += 1
                continue
            }
            switch scanRecord(into: batch) {
            case .needMore:
                batch.rollbackRow()
                if end - start > options.maxRecordBytes {
                    if header {
                        throw ZhaorenError(.malformedInput, "the header row is longer than \(options.maxRecordBytes) bytes (an unclosed quote?)", file: source, line: line)
                    }
                    try rejectFirstLine(of: batch, reason: .recordTooLong,
                                        detail: "more than \(options.maxRecordBytes) bytes; probably an unclosed quote")
                } else {
                    try readMore()
                }
            case .unterminated:
                batch.rollbackRow()
                if header {
                    throw ZhaorenError(.malformedInput, "the header row has a quote that is never closed", file: source, line: line)
                }
                try rejectFirstLine(of: batch, reason: .unterminatedQuote, detail: "a quoted field is not closed before the end of the file")
            case let .complete(contentEnd, next, newlines):
                let rowLine = line
                let raw = start..<contentEnd
                line += newlines
                if header {
                    headerModeLine = rowLine
                    let failure = decodePending(batch)
                    if previewingHeader, failure != nil {
                        // A row that cannot be decoded is not the header; the search goes on.
                        headerModeUnreadable = true
                        start = next
                        return
                    }
                    if let column = failure {
                        throw ZhaorenError(.decoding, "the header is not valid \(statistics.encoding.rawValue) (use --encoding)", file: source, line: rowLine, column: column)
                    }
                    start = next
                    return
                }
                let number = nextRowNumber
                nextRowNumber += 1
                statistics.rowsRead += 1
                let fields = batch.pendingFieldCount
                if fields != batch.columnCount {
                    batch.rollbackRow()
                    reject(into: batch, reason: .raggedRow, column: nil,
                           detail: "\(fields) field\(fields == 1 ? "" : "s"), the header has \(batch.columnCount)",
                           raw: raw, row: number, line: rowLine)
                } else if let column = decodePending(batch) {
                    batch.rollbackRow()
                    let mixed = statistics.encoding == .utf8 && statistics.rowsAccepted > 0
                    reject(into: batch, reason: .invalidEncoding, column: column,
                           detail: "field \(column) is not valid \(statistics.encoding.rawValue)"
                               + (mixed ? " (the rows before it were: does the file mix encodings?)" : ""),
                           raw: raw, row: number, line: rowLine)
                } else {
                    batch.commitRow(number: number, line: rowLine)
                    statistics.rowsAccepted += 1
                }
                start = next
            }
        }
    }

    /// Records a rejected row whose bytes are `raw` in the buffer.
    func reject(into batch: RowBatch, reason: RejectReason, column: Int?, detail: String,
                raw: Range<Int>, row: Int, line: Int) {
        let text = RawText.render(UnsafeBufferPointer(start: buffer + raw.lowerBound, count: raw.count),
                                  encoding: statistics.encoding, converter: converter)
        batch.rejects.append(RejectedRow(source: source, row: row, line: line, column: column,
                                         reason: reason, detail: detail, raw: text))
        statistics.rejectedByReason[reason, default: 0] += 1
    }

    /// Rejects the first physical line of the record at `start` (a stray quote made the record
    /// run on) and resumes reading on the next line.
    func rejectFirstLine(of batch: RowBatch, reason: RejectReason, detail: String) throws(ZhaorenError) {
        var i = start
        while true {
            while i < end && buffer[i] != asciiLF && buffer[i] != asciiCR { i += 1 }
            if i < end && !(buffer[i] == asciiCR && i + 1 == end && !atEOF) { break }
            if atEOF { break }
            let offset = i - start
            try readMore()
            i = start + offset
        }
        var next = i
        if i < end { next += buffer[i] == asciiCR && i + 1 < end && buffer[i + 1] == asciiLF ? 2 : 1 }
        let number = nextRowNumber
        nextRowNumber += 1
        statistics.rowsRead += 1
        reject(into: batch, reason: reason, column: nil, detail: detail, raw: start..<i, row: number, line: line)
        line += 1
        start = next
    }

    /// Scans one record starting at `start`, appending its fields to `batch` (pending) and
    /// noting which hold non-ASCII bytes.
    ///
    /// - Complexity: O(record bytes); one comparison per byte for most bytes.
    @inline(__always)
    func scanRecord(into batch: RowBatch) -> ScanOutcome {
        let buf = buffer
        let end = self.end
        let eof = atEOF
        let d = delimiter
        let maxSpecial = max(d, asciiCR)
        var p = start
        var newlines = 0
        // The per-field flags live in a local array during the scan (one exclusive access to
        // the property per record, not one per field).
        var highs: ContiguousArray<Bool> = []
        swap(&highs, &fieldHasHighByte)
        highs.removeAll(keepingCapacity: true)
        defer { swap(&highs, &fieldHasHighByte) }
        batch.reserveBytes(end &- p)
        while true {
            var acc: UInt8 = 0
            if p < end && buf[p] == asciiQuote {
                p &+= 1
                var segment = p
                while true {
                    while p < end {
                        let b = buf[p]
                        if b <= asciiQuote && (b == asciiQuote || b == asciiLF || b == asciiCR) { break }
                        acc |= b
                        p &+= 1
                    }
                    if p == end { return eof ? .unterminated : .needMore }
                    let b = buf[p]
                    if b == asciiQuote {
                        if p &+ 1 == end && !eof { return .needMore }
                        if p &+ 1 < end && buf[p &+ 1] == asciiQuote {
                            // A doubled quote: keep one.
                            batch.appendBytes(buf + segment, p &+ 1 &- segment)
                            p &+= 2
                            segment = p
                            continue
                        }
                        batch.appendBytes(buf + segment, p &- segment)
                        p &+= 1
                        break
                    }
                    // A line break inside quotes is part of the field.
                    if b == asciiLF {
                        newlines &+= 1
                    } else {
                        if p &+ 1 == end && !eof { return .needMore }
                        if p &+ 1 == end || buf[p &+ 1] != asciiLF { newlines &+= 1 }
                    }
                    p &+= 1
                }
                // Bytes after the closing quote, up to the delimiter, are kept as they are.
                let tail = p
                while p < end {
                    let b = buf[p]
                    if b <= maxSpecial && (b == d || b == asciiLF || b == asciiCR) { break }
                    acc |= b
                    p &+= 1
                }
                if p > tail { batch.appendBytes(buf + tail, p &- tail) }
            } else {
                let fieldStart = p
                while p < end {
                    let b = buf[p]
                    if b <= maxSpecial && (b == d || b == asciiLF || b == asciiCR) { break }
                    acc |= b
                    p &+= 1
                }
                batch.appendBytes(buf + fieldStart, p &- fieldStart)
            }
            batch.endField()
            highs.append(acc >= 0x80)
            if p == end {
                return eof ? .complete(contentEnd: p, next: p, newlines: newlines) : .needMore
            }
            let b = buf[p]
            if b == d {
                p &+= 1
                continue
            }
            if b == asciiLF { return .complete(contentEnd: p, next: p &+ 1, newlines: newlines &+ 1) }
            if p &+ 1 == end && !eof { return .needMore }
            let next = p &+ 1 < end && buf[p &+ 1] == asciiLF ? p &+ 2 : p &+ 1
            return .complete(contentEnd: p, next: next, newlines: newlines &+ 1)
        }
    }

    /// Validates (UTF-8) or transcodes to UTF-8 (GB18030) the pending fields holding non-ASCII
    /// bytes. Returns the 1-based column of the first field that does not decode, or `nil`.
    func decodePending(_ batch: RowBatch) -> Int? {
        let fieldHasHighByte = self.fieldHasHighByte
        guard fieldHasHighByte.contains(true) else { return nil }
        let n = batch.pendingFieldCount
        let first = batch.offsetCount - 1 - n
        if statistics.encoding != .gb18030 {
            for k in 0..<n where fieldHasHighByte[k] {
                let s = Int(batch.offsets[first + k]), e = Int(batch.offsets[first + k + 1])
                if !UTF8Validation.isValid(UnsafeBufferPointer(start: batch.bytes + s, count: e - s)) { return k + 1 }
            }
            return nil
        }
        guard let converter else { return 1 }
        let gbTable = GB18030Table.shared
        // Copy the row's raw bytes aside, then append the fields again, transcoded. The
        // scratch arrays are local for the row (one exclusive access each, not one per field).
        var scratch: [UInt8] = [], scratchLengths: [Int] = []
        swap(&scratch, &self.scratch)
        swap(&scratchLengths, &self.scratchLengths)
        defer {
            swap(&scratch, &self.scratch)
            swap(&scratchLengths, &self.scratchLengths)
        }
        let recordStart = Int(batch.offsets[first])
        scratch.removeAll(keepingCapacity: true)
        scratch.append(contentsOf: UnsafeBufferPointer(start: batch.bytes + recordStart, count: batch.byteCount - recordStart))
        scratchLengths.removeAll(keepingCapacity: true)
        for k in 0..<n { scratchLengths.append(Int(batch.offsets[first + k + 1] - batch.offsets[first + k])) }
        batch.offsetCount = first + 1
        batch.byteCount = recordStart
        var position = 0
        var failed: Int? = nil
        scratch.withUnsafeBufferPointer { raw in
            for k in 0..<n {
                let length = scratchLengths[k]
                let bytes = UnsafeBufferPointer(rebasing: raw[position..<(position + length)])
                position += length
                if fieldHasHighByte[k] {
                    batch.reserveBytes(length * 3 / 2 + 4)
                    var count = batch.byteCount
                    if gbTable.decode(bytes, into: batch.bytes, count: &count) {
                        batch.byteCount = count
                        batch.endField()
                        continue
                    }
                    // Four-byte codes and anything doubtful: ICU decides.
                    guard var text = converter.decode(bytes) else {
                        failed = k + 1
                        return
                    }
                    text.withUTF8 { utf8 in
                        batch.reserveBytes(utf8.count)
                        if let base = utf8.baseAddress { batch.appendBytes(base, utf8.count) }
                    }
                } else {
                    batch.reserveBytes(length)
                    if let base = bytes.baseAddress { batch.appendBytes(base, length) }
                }
                batch.endField()
            }
        }
        return failed
    }
}
