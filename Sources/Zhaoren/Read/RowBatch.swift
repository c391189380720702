/// A batch of rows handed out by ``CSVReader/nextBatch()``: every field as UTF-8 bytes in one
/// flat buffer, plus each row's data row number and starting line.
///
/// **The batch is refilled by the next call to `nextBatch()`: copy what you keep.** Field
/// buffers point into storage the batch owns and reuses; they are valid until then.
/// For that reason a batch is not `Sendable`.
///
/// ```swift
/// while let batch = try reader.nextBatch() {
///     for row in batch {
///         let name = row.string(0)          // a String, when convenient
///         let idBytes = row[1]              // UTF-8 bytes, no copy
///         print(row.number, row.line, name, idBytes.count)
///     }
/// }
/// ```
public final class RowBatch: RandomAccessCollection {
    /// One row of a ``RowBatch``; valid until the batch is refilled.
    public struct Row {
        /// The batch holding the row.
        public let batch: RowBatch
        /// The row's index in the batch.
        public let index: Int

        /// The 1-based data row number in the file (the header is row 0; rejected rows count).
        public var number: Int { batch.rowNumbers[index] }
        /// The 1-based physical line on which the row starts.
        public var line: Int { batch.lineNumbers[index] }
        /// The number of fields (the header's column count).
        public var count: Int { batch.columnCount }
        /// The UTF-8 bytes of field `column` (0-based); valid until the batch is refilled.
        public subscript(column: Int) -> UnsafeBufferPointer<UInt8> { batch.field(index, column) }
        /// Field `column` (0-based) as a `String`.
        public func string(_ column: Int) -> String { batch.string(index, column) }
    }

    /// The number of fields per row (the header's column count).
    public let columnCount: Int
    /// Rows the reader rejected while filling this batch (also counted in its statistics).
    @exclusivity(unchecked) public internal(set) var rejects: [RejectedRow] = []

    // The reader appends every field through these: one thread owns a batch while it fills
    // it, so they go without run-time exclusivity checks (two per field otherwise).
    @exclusivity(unchecked) var bytes: UnsafeMutablePointer<UInt8>
    @exclusivity(unchecked) var byteCount = 0
    @exclusivity(unchecked) var byteCapacity: Int
    /// `offsets[k]..<offsets[k + 1]` is field `k = row * columnCount + column`.
    @exclusivity(unchecked) var offsets: UnsafeMutablePointer<UInt32>
    @exclusivity(unchecked) var offsetCount = 1
    @exclusivity(unchecked) var offsetCapacity: Int
    @exclusivity(unchecked) var rowNumbers: ContiguousArray<Int> = []
    @exclusivity(unchecked) var lineNumbers: ContiguousArray<Int> = []

    init(columnCount: Int, byteCapacity: Int = 1 << 20, rowCapacity: Int = 1 << 12) {
        self.columnCount = columnCount
        self.byteCapacity = Swift.max(byteCapacity, 64)
        bytes = .allocate(capacity: self.byteCapacity)
        offsetCapacity = Swift.max(rowCapacity * Swift.max(columnCount, 1) + 1, 64)
        offsets = .allocate(capacity: offsetCapacity)
        offsets[0] = 0
        rowNumbers.reserveCapacity(rowCapacity)
        lineNumbers.reserveCapacity(rowCapacity)
    }

    deinit {
        bytes.deallocate()
        offsets.deallocate()
    }

    // MARK: Collection

    /// The first row index (0).
    public var startIndex: Int { 0 }
    /// The number of rows.
    public var endIndex: Int { rowNumbers.count }
    /// Row `position` (0-based), valid until the batch is refilled.
    public subscript(position: Int) -> Row { Row(batch: self, index: position) }

    // MARK: Fields

    /// The UTF-8 bytes of field `column` of row `row` (both 0-based); valid until the batch
    /// is refilled.
    ///
    /// - Complexity: O(1).
    @inline(__always)
    public func field(_ row: Int, _ column: Int) -> UnsafeBufferPointer<UInt8> {
        let k = row &* columnCount &+ column
        let start = Int(offsets[k])
        return UnsafeBufferPointer(start: bytes + start, count: Int(offsets[k &+ 1]) &- start)
    }

    /// The byte range of a field within ``storage``.
    @inline(__always)
    public func fieldRange(_ row: Int, _ column: Int) -> Range<Int> {
        let k = row &* columnCount &+ column
        return Int(offsets[k])..<Int(offsets[k &+ 1])
    }

    /// Field `column` of row `row` as a `String` (a copy).
    public func string(_ row: Int, _ column: Int) -> String {
        String(decoding: field(row, column), as: UTF8.self)
    }

    /// All field bytes of the batch, back to back, in row-major order.
    public var storage: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: bytes, count: byteCount) }

    /// The 1-based data row number of row `row` (the header is row 0).
    public func rowNumber(_ row: Int) -> Int { rowNumbers[row] }

    /// The 1-based physical line on which row `row` starts.
    public func line(_ row: Int) -> Int { lineNumbers[row] }

    // MARK: Filling (the reader)

    func removeAll() {
        byteCount = 0
        offsetCount = 1
        rowNumbers.removeAll(keepingCapacity: true)
        lineNumbers.removeAll(keepingCapacity: true)
        rejects.removeAll(keepingCapacity: true)
    }

    /// Makes room for `extra` more bytes.
    @inline(__always)
    func reserveBytes(_ extra: Int) {
        if byteCount &+ extra > byteCapacity { growBytes(byteCount + extra) }
    }

    private func growBytes(_ needed: Int) {
        var capacity = byteCapacity
        while capacity < needed { capacity *= 2 }
        let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
        grown.update(from: bytes, count: byteCount)
        bytes.deallocate()
        bytes = grown
        byteCapacity = capacity
    }

    /// Appends bytes to the current field (capacity reserved by the caller).
    @inline(__always)
    func appendBytes(_ source: UnsafePointer<UInt8>, _ count: Int) {
        (bytes + byteCount).update(from: source, count: count)
        byteCount &+= count
    }

    /// Ends the current field.
    @inline(__always)
    func endField() {
        if offsetCount == offsetCapacity { growOffsets() }
        offsets[offsetCount] = UInt32(truncatingIfNeeded: byteCount)
        offsetCount &+= 1
    }

    private func growOffsets() {
        let capacity = offsetCapacity * 2
        let grown = UnsafeMutablePointer<UInt32>.allocate(capacity: capacity)
        grown.update(from: offsets, count: offsetCount)
        offsets.deallocate()
        offsets = grown
        offsetCapacity = capacity
    }

    /// The number of fields appended since the last committed row.
    var pendingFieldCount: Int { offsetCount - 1 - rowNumbers.count * columnCount }

    /// Keeps the pending fields as a row.
    func commitRow(number: Int, line: Int) {
        rowNumbers.append(number)
        lineNumbers.append(line)
    }

    /// Drops the pending fields.
    func rollbackRow() {
        offsetCount = rowNumbers.count * columnCount + 1
        byteCount = Int(offsets[offsetCount - 1])
    }
}

@available(*, unavailable, message: "a RowBatch is refilled in place; copy what you keep")
extension RowBatch: @unchecked Sendable {}
