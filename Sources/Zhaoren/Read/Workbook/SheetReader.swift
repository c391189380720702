import Foundation

/// Reads one sheet of a workbook row by row, in bounded memory: a background thread inflates
/// the sheet from the zip and parses it into blocks of rows, at most three blocks ahead of the
/// reader. Cells arrive as text (see ``ExcelNumber`` for numbers and dates); a vertically merged
/// range gives its value to every row it covers (花名册 merge a household's cells over its
/// members); formula cells give their cached result.
///
/// ```swift
/// let sheet = try SheetReader(path: "低保.xlsx", sheet: nil)
/// while let block = try sheet.nextBlock() {
///     for r in 0..<block.rowCount { print(block.rowNumber[r], block.cells(of: r).map { block.text($0) }) }
/// }
/// ```
final class SheetReader {
    /// The workbook's file.
    let path: String
    /// The sheet read.
    let sheet: Workbook.Sheet
    /// Merged ranges of the sheet (1-based rows, 0-based columns).
    let merges: [SheetMerge]
    /// Set when the reader is done: cells holding an Excel error (`#N/A` …), read as empty.
    var errorCells: Int { channel.errorCells }
    /// Cells filled from a vertically merged range above them.
    var filledFromMerges: Int { channel.filledFromMerges }
    /// Formula cells without a cached value (never calculated), read as empty.
    var uncalculatedFormulas: Int { channel.uncalculatedFormulas }

    private let channel = SheetChannel()

    /// Opens `path` and starts reading sheet `sheet` (a name or 1-based position; the first
    /// sheet for `nil`).
    init(path: String, sheet name: String?) throws(ZhaorenError) {
        self.path = path
        let book = try Workbook(path: path)
        sheet = try book.sheet(named: name)
        var tail = MergeScanner()
        try book.scanTail(of: sheet.part, with: &tail)
        merges = tail.merges
        let channel = self.channel
        let part = sheet.part
        let merges = self.merges
        nonisolated(unsafe) let workbook = book   // used by the reading thread alone from here on
        let thread = Thread {
            var handler = SheetHandler(book: workbook, merges: merges, channel: channel)
            do {
                try workbook.scan(part, with: &handler, stop: { channel.isCancelled })
                handler.flush()
                channel.finish(nil)
            } catch {
                channel.finish(error)
            }
        }
        thread.stackSize = 1 << 20
        thread.start()
    }

    deinit { channel.cancel() }

    /// The next block of rows, or `nil` after the last.
    /// - Throws: `ZhaorenError(.malformedInput)` if the sheet turned out to be damaged.
    func nextBlock() throws(ZhaorenError) -> SheetRowBlock? {
        try channel.pop()
    }
}

/// A merged range: rows `firstRow...lastRow` (1-based), columns `firstColumn...lastColumn` (0-based).
struct SheetMerge: Hashable, Sendable {
    var firstRow: Int, firstColumn: Int, lastRow: Int, lastColumn: Int

    /// Parses `A1:H1`.
    init?(_ ref: String) {
        let ends = ref.split(separator: ":")
        guard ends.count == 2, let a = SheetMerge.cell(ends[0]), let b = SheetMerge.cell(ends[1]) else { return nil }
        firstRow = min(a.row, b.row); lastRow = max(a.row, b.row)
        firstColumn = min(a.column, b.column); lastColumn = max(a.column, b.column)
    }

    /// `C4` → (row 4, column 2).
    static func cell(_ ref: Substring) -> (row: Int, column: Int)? {
        var copy = String(ref)
        return copy.withUTF8 { cell(bytes: $0) }
    }

    /// `C4` as bytes → (row 4, column 2).
    static func cell(bytes ref: UnsafeBufferPointer<UInt8>) -> (row: Int, column: Int)? {
        var column = 0, row = 0, letters = 0
        for b in ref {
            switch b {
            case UInt8(ascii: "$"): continue
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): column = column * 26 + Int(b - 64); letters += 1
            case UInt8(ascii: "a")...UInt8(ascii: "z"): column = column * 26 + Int(b - 96); letters += 1
            case UInt8(ascii: "0")...UInt8(ascii: "9"): row = row * 10 + Int(b - 48)
            default: return nil
            }
            if letters > 3 || row > 1 << 21 { return nil }
        }
        guard letters > 0, row > 0 else { return nil }
        return (row, column - 1)
    }
}

/// Rows of a sheet, back to back: row `r` holds cells `rowFirstCell[r]..<rowFirstCell[r + 1]`,
/// cell `k` is column `cellColumn[k]` with text `bytes[cellStart[k]..<cellStart[k + 1]]`.
/// Only cells with text are kept; columns are 0-based and increasing within a row.
final class SheetRowBlock: @unchecked Sendable {
    var bytes: [UInt8] = []
    var cellStart: [Int] = [0]
    var cellColumn: [Int32] = []
    var rowFirstCell: [Int] = [0]
    var rowNumber: [Int] = []

    var rowCount: Int { rowNumber.count }
    var byteCount: Int { bytes.count }

    /// The cell indices of row `r`.
    func cells(of r: Int) -> Range<Int> { rowFirstCell[r]..<rowFirstCell[r + 1] }

    /// The text of cell `k` as a string.
    func text(_ k: Int) -> String { String(decoding: bytes[cellStart[k]..<cellStart[k + 1]], as: UTF8.self) }
}

/// The hand-over between the reading thread and the reader: at most three blocks waiting.
private final class SheetChannel: @unchecked Sendable {
    private let condition = NSCondition()
    private var blocks: [SheetRowBlock] = []
    private var done = false
    private var failure: (any Error)?
    private var cancelled = false
    // Counts the thread writes before finishing (read after `done`).
    var errorCells = 0
    var filledFromMerges = 0
    var uncalculatedFormulas = 0

    var isCancelled: Bool {
        condition.lock(); defer { condition.unlock() }
        return cancelled
    }

    /// Hands a block over, waiting while three are waiting; `false` once the reader is gone.
    func push(_ block: SheetRowBlock) -> Bool {
        condition.lock(); defer { condition.unlock() }
        while blocks.count >= 3 && !cancelled { condition.wait() }
        if cancelled { return false }
        blocks.append(block)
        condition.broadcast()
        return true
    }

    func finish(_ error: (any Error)?) {
        condition.lock(); defer { condition.unlock() }
        if let error, !(error is WorkbookStop) { failure = error }
        done = true
        condition.broadcast()
    }

    func cancel() {
        condition.lock(); defer { condition.unlock() }
        cancelled = true
        condition.broadcast()
    }

    func pop() throws(ZhaorenError) -> SheetRowBlock? {
        condition.lock(); defer { condition.unlock() }
        while blocks.isEmpty && !done { condition.wait() }
        if !blocks.isEmpty {
            let block = blocks.removeFirst()
            condition.broadcast()
            return block
        }
        if let failure {
            if let z = failure as? ZhaorenError { throw z }
            throw ZhaorenError(.malformedInput, "the sheet cannot be read: \(failure)")
        }
        return nil
    }
}

/// Finds `</sheetData>` by a byte search (the rows are not parsed) and scans what follows
/// for `<mergeCell ref=…>`.
struct MergeScanner: XMLHandler {
    var merges: [SheetMerge] = []
    mutating func start(_ name: XMLName, _ a: XMLAttributes, empty: Bool) throws {
        if name.is("mergeCell"), let ref = a.string("ref"), let m = SheetMerge(ref) { merges.append(m) }
    }
    mutating func end(_ name: XMLName) throws {}
    mutating func text(_ raw: UnsafeBufferPointer<UInt8>) throws {}
}

extension Workbook {
    /// Scans the part of `part` after its `</sheetData>` with `handler` (the rows are inflated
    /// and searched, not parsed).
    func scanTail<H: XMLHandler>(of part: String, with handler: inout H) throws(ZhaorenError) {
        var tail = TailFinder(inner: handler)
        try scan(part, with: &tail)
        handler = tail.inner
    }
}

/// Passes markup to `inner` only from `</sheetData>` on.
private struct TailFinder<Inner: XMLHandler>: XMLHandler {
    var inner: Inner
    var inTail = false
    mutating func start(_ name: XMLName, _ a: XMLAttributes, empty: Bool) throws {
        if inTail { try inner.start(name, a, empty: empty) }
    }
    mutating func end(_ name: XMLName) throws {
        if inTail { try inner.end(name) } else if name.is("sheetData") { inTail = true }
    }
    mutating func text(_ raw: UnsafeBufferPointer<UInt8>) throws {}
}

/// Parses `<row>` and `<c>` elements into blocks of rows.
private struct SheetHandler: XMLHandler {
    let book: Workbook
    let channel: SheetChannel
    var block = SheetRowBlock()
    // Where the parser is.
    var inRow = false, inCell = false, inValue = false, inInline = false, inText = false, inFormula = false
    var phonetic = 0
    var rowNumber = 0, nextColumn = 0
    var column = 0, type: CellType = .number, style = 0, hasFormula = false
    var value: [UInt8] = []
    // Vertical merges: by first row, the (column, last row) ranges starting there; and the
    // values being carried down, by column.
    let mergesByRow: [Int: [(column: Int, lastRow: Int)]]
    var carried: [Int: (text: [UInt8], lastRow: Int)] = [:]
    var rowCells: [(column: Int32, text: [UInt8])] = []

    enum CellType { case number, shared, inline, string, boolean, error, date }

    init(book: Workbook, merges: [SheetMerge], channel: SheetChannel) {
        self.book = book
        self.channel = channel
        var byRow: [Int: [(column: Int, lastRow: Int)]] = [:]
        for m in merges where m.lastRow > m.firstRow { byRow[m.firstRow, default: []].append((m.firstColumn, m.lastRow)) }
        mergesByRow = byRow
        block.bytes.reserveCapacity(1 << 20)
    }

    mutating func start(_ name: XMLName, _ a: XMLAttributes, empty: Bool) throws {
        if inCell {
            if name.is("v") { inValue = !empty } else if name.is("is") { inInline = true } else if name.is("rPh") { phonetic += 1 } else if name.is("t") && inInline && phonetic == 0 { inText = !empty } else if name.is("f") { hasFormula = true; inFormula = !empty }
            return
        }
        if name.is("c") && inRow {
            inCell = true
            if let ref = a.raw("r"), let cell = SheetMerge.cell(bytes: ref) { column = cell.column } else { column = nextColumn }
            nextColumn = column + 1
            type = .number
            if let t = a.raw("t"), let first = t.first {
                switch first {
                case UInt8(ascii: "s"): type = t.count == 1 ? .shared : .string            // s, str
                case UInt8(ascii: "i"): type = .inline                                      // inlineStr
                case UInt8(ascii: "b"): type = .boolean
                case UInt8(ascii: "e"): type = .error
                case UInt8(ascii: "d"): type = .date
                default: type = .number
                }
            }
            style = a.int("s") ?? 0
            hasFormula = false
            value.removeAll(keepingCapacity: true)
        } else if name.is("row") {
            if inRow { try finishRow() }   // the previous row was never closed (a damaged file)
            inRow = true
            // Rows come in order; one numbered at or before the previous (a damaged file) takes
            // the next number, so that every row keeps a number of its own.
            rowNumber = max(a.int("r") ?? 0, rowNumber + 1)
            nextColumn = 0
            beginRow()
        }
    }

    mutating func end(_ name: XMLName) throws {
        if inCell {
            if name.is("v") { inValue = false } else if name.is("is") { inInline = false } else if name.is("rPh") { phonetic -= 1 } else if name.is("t") { inText = false } else if name.is("f") { inFormula = false } else if name.is("c") {
                inCell = false
                finishCell()
            }
            return
        }
        if name.is("row") {
            inRow = false
            try finishRow()
        }
    }

    mutating func text(_ raw: UnsafeBufferPointer<UInt8>) throws {
        if inValue || inText { XMLText.append(raw, to: &value) }
    }

    /// Where the cells of the current row go: straight into the block (most rows), or kept
    /// aside when merged ranges start on the row or carry values into it.
    var slowRow = false
    var lastColumn: Int32 = -1

    mutating func beginRow() {
        slowRow = !carried.isEmpty || mergesByRow[rowNumber] != nil
        rowCells.removeAll(keepingCapacity: true)
        lastColumn = -1
    }

    /// Adds a cell with text `text` (non-empty) to the current row.
    @inline(__always)
    mutating func add<C: Collection<UInt8>>(_ text: C) {
        if slowRow {
            rowCells.append((Int32(column), Array(text)))
            return
        }
        // A duplicated or out-of-order cell reference keeps the first value.
        guard Int32(column) > lastColumn else { return }
        block.bytes.append(contentsOf: text)
        block.cellStart.append(block.bytes.count)
        block.cellColumn.append(Int32(column))
        lastColumn = Int32(column)
    }

    mutating func finishCell() {
        switch type {
        case .shared:
            var index = 0
            for b in value where b &- 48 <= 9 { index = index * 10 + Int(b &- 48); if index > Int(Int32.max) { break } }
            if let range = book.sharedRange(index), !range.isEmpty { add(book.sharedBytes[range]); return }
        case .inline, .string:
            if !value.isEmpty { add(value); return }
        case .boolean:
            if !value.isEmpty { add(value.count == 1 && value[0] == UInt8(ascii: "1") ? "TRUE".utf8 : "FALSE".utf8); return }
        case .error:
            channel.errorCells += 1
            return
        case .date:
            // ISO 8601: the date, and the time when it is not midnight.
            var s = String(decoding: value, as: UTF8.self)
            if s.hasSuffix("T00:00:00") { s.removeLast(9) }
            if !s.isEmpty { add(Array(s.replacingOccurrences(of: "T", with: " ").utf8)); return }
        case .number:
            guard !value.isEmpty else { break }
            let isDate = style < book.dateStyles.count && book.dateStyles[style]
            // A plain whole number (no sign, point, exponent or leading zero) is written as stored.
            if !isDate, value[0] != UInt8(ascii: "0") || value.count == 1, value.allSatisfy({ $0 &- 48 <= 9 }) {
                add(value)
                return
            }
            add(Array(ExcelNumber.text(String(decoding: value, as: UTF8.self), isDate: isDate, date1904: book.date1904).utf8))
            return
        }
        if hasFormula { channel.uncalculatedFormulas += 1 }
    }

    mutating func finishRow() throws {
        if slowRow {
            // Values carried down merged ranges, and the ranges starting on this row.
            if !carried.isEmpty {
                for (c, carry) in carried {
                    if carry.lastRow < rowNumber { carried[c] = nil; continue }
                    if !rowCells.contains(where: { $0.column == Int32(c) }) {
                        rowCells.append((Int32(c), carry.text))
                        channel.filledFromMerges += 1
                    }
                }
                rowCells.sort { $0.column < $1.column }
            }
            if let starting = mergesByRow[rowNumber] {
                for m in starting {
                    if let cell = rowCells.first(where: { $0.column == Int32(m.column) }) { carried[m.column] = (cell.text, m.lastRow) }
                }
            }
            slowRow = false
            for cell in rowCells { column = Int(cell.column); add(cell.text) }
        }
        block.rowNumber.append(rowNumber)
        block.rowFirstCell.append(block.cellColumn.count)
        if block.rowCount >= 8192 || block.byteCount >= 4 << 20 { try push() }
    }

    mutating func push() throws {
        guard block.rowCount > 0 else { return }
        guard channel.push(block) else { throw WorkbookStop() }
        block = SheetRowBlock()
        block.bytes.reserveCapacity(1 << 20)
    }

    mutating func flush() { try? push() }
}
