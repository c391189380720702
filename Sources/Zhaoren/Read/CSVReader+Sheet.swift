// Reading one sheet of an Excel workbook through the same batches, statistics and rejects as a
// text file.
import Foundation

/// A row of a sheet kept while the header is looked for.
struct SheetRowCopy {
    var number: Int
    var cells: [(column: Int, text: [UInt8])]

    var texts: [String] {
        guard let last = cells.map(\.column).max() else { return [] }
        var out = [String](repeating: "", count: last + 1)
        for cell in cells { out[cell.column] = String(decoding: cell.text, as: UTF8.self) }
        return out
    }
}

extension CSVReader {
    /// Opens the sheet, finds its header row and reads it.
    func openSheet() throws(ZhaorenError) {
        let sheet = try SheetReader(path: path, sheet: options.sheet)
        sheetReader = sheet
        statistics.format = .xlsx
        statistics.encoding = .utf8
        statistics.sheet = sheet.sheet.name
        statistics.bytes = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int ?? 0
        // The first rows, up to the header's.
        var rows: [SheetRowCopy] = []
        let searching = options.headerRow != nil || !options.headerNames.isEmpty
        let last = searching ? max(options.headerRow ?? 10, 1) : Int.max
        while let row = try nextSheetRow(upTo: last) {
            if !row.cells.isEmpty { rows.append(row) } else { statistics.blankLines += 1 }
            if !searching && !rows.isEmpty { break }   // the first row with cells is the header
        }
        let chosen: Int
        if let wanted = options.headerRow {
            guard let k = rows.firstIndex(where: { $0.number == wanted }) else {
                throw ZhaorenError(.malformedInput, "row \(wanted) of sheet \"\(sheet.sheet.name)\" is empty or missing, so it cannot be the header (--header-row)", file: source)
            }
            chosen = k
        } else {
            chosen = HeaderFinder.choose(rows.map(\.texts), names: options.headerNames)
        }
        guard chosen < rows.count else {
            header = []
            batch = RowBatch(columnCount: 0)
            return
        }
        for k in 0..<chosen {
            statistics.skippedAboveHeader.append(HeaderFinder.excerpt(rows[k].texts))
            statistics.skippedRows.append(rows[k].number)
        }
        statistics.headerRow = rows[chosen].number
        header = rows[chosen].texts.map { $0.trimmingWhitespace() }
        sheetPending = Array(rows[(chosen + 1)...])
        batch = RowBatch(columnCount: header.count, byteCapacity: 1 << 20, rowCapacity: 1 << 12)
    }

    /// The next row of the sheet (copied), or `nil` at its end; rows past the preview limit are
    /// given back through ``sheetPending``.
    private func nextSheetRow(upTo last: Int) throws(ZhaorenError) -> SheetRowCopy? {
        while true {
            if let block = sheetBlock, sheetRow < block.rowCount {
                let r = sheetRow
                sheetRow += 1
                let cells = block.cells(of: r).map { k in
                    (column: Int(block.cellColumn[k]), text: Array(block.bytes[block.cellStart[k]..<block.cellStart[k + 1]]))
                }
                let row = SheetRowCopy(number: block.rowNumber[r], cells: cells)
                if row.number > last {
                    sheetRow -= 1   // not consumed: the data rows start here
                    return nil
                }
                return row
            }
            guard try nextSheetBlock() else { return nil }
        }
    }

    /// Moves to the sheet's next block of rows; `false` after the last.
    private func nextSheetBlock() throws(ZhaorenError) -> Bool {
        guard let next = try sheetReader?.nextBlock() else { return false }
        sheetBlock = next
        sheetRow = 0
        return true
    }

    /// Fills `batch` with the sheet's next rows: every row with a cell is a data row numbered as
    /// in the sheet; cells right of the header's last column are counted, not read.
    func fillFromSheet(batch: RowBatch, maxRows: Int) throws(ZhaorenError) {
        let columns = batch.columnCount
        func add(_ number: Int, _ cells: some Sequence<(column: Int, text: UnsafeBufferPointer<UInt8>)>) {
            var next = 0
            var valid = true
            var bytes = 0
            for cell in cells {
                guard cell.column < columns else {
                    statistics.cellsOutsideHeader += 1
                    continue
                }
                guard cell.column >= next else { continue }   // cells come in column order; a repeat keeps the first
                while next < cell.column { batch.endField(); next += 1 }
                if let base = cell.text.baseAddress, cell.text.count > 0 {
                    batch.reserveBytes(cell.text.count)
                    batch.appendBytes(base, cell.text.count)
                }
                if valid && !UTF8Validation.isValid(cell.text) { valid = false }
                bytes += cell.text.count
                batch.endField()
                next += 1
            }
            guard bytes > 0 || next > 0 else {
                batch.rollbackRow()
                statistics.blankLines += 1
                return
            }
            while next < columns { batch.endField(); next += 1 }
            statistics.rowsRead += 1
            if valid {
                batch.commitRow(number: number, line: number)
                statistics.rowsAccepted += 1
            } else {
                batch.rollbackRow()
                batch.rejects.append(RejectedRow(source: source, row: number, line: number, column: nil, reason: .invalidEncoding,
                                                 detail: "a cell is not valid UTF-8", raw: ""))
                statistics.rejectedByReason[.invalidEncoding, default: 0] += 1
            }
        }
        while !sheetPending.isEmpty && batch.count < maxRows {
            let row = sheetPending.removeFirst()
            var joined: [UInt8] = []
            var spans: [(column: Int, range: Range<Int>)] = []
            for cell in row.cells {
                let start = joined.count
                joined += cell.text
                spans.append((cell.column, start..<joined.count))
            }
            joined.withUnsafeBufferPointer { all in
                add(row.number, spans.lazy.map { (column: $0.column, text: UnsafeBufferPointer(rebasing: all[$0.range])) })
            }
        }
        while batch.count < maxRows && batch.byteCount < max(options.maxBatchBytes, 1) {
            if sheetBlock == nil || sheetRow >= sheetBlock!.rowCount {
                guard try nextSheetBlock() else { break }
            }
            let block = sheetBlock!
            block.bytes.withUnsafeBufferPointer { all in
                while sheetRow < block.rowCount && batch.count < maxRows {
                    let r = sheetRow
                    sheetRow += 1
                    add(block.rowNumber[r], block.cells(of: r).lazy.map { k in
                        (column: Int(block.cellColumn[k]), text: UnsafeBufferPointer(rebasing: all[block.cellStart[k]..<block.cellStart[k + 1]]))
                    })
                }
            }
        }
        if let sheet = sheetReader, sheetPending.isEmpty, batch.isEmpty {
            statistics.errorCells = sheet.errorCells
            statistics.uncalculatedFormulas = sheet.uncalculatedFormulas
            statistics.filledFromMerges = sheet.filledFromMerges
        }
    }
}
