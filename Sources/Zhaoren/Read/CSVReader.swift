#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import ZhaorenSupport
import ZhaorenICU

/// A streaming reader of CSV and TSV files in UTF-8 or GB18030, and of Excel workbooks
/// (`.xlsx`, one sheet), handing out batches of rows whose fields are UTF-8 bytes.
///
/// - RFC 4180 quoting: quoted fields, doubled quotes, commas and line breaks inside quotes;
///   CRLF, LF or lone CR line ends; a UTF-8 (or GB18030) byte-order mark is stripped.
/// - The header is the first row, the row ``Options/headerRow`` names, or the row among the
///   first ten that names the most of ``Options/headerNames``; title rows above it are skipped
///   and reported. Empty lines are skipped (and counted).
/// - A workbook is read row by row from the zip (see ``Workbook``): cells as text, dates from
///   their serial numbers, long numbers in full where the cell keeps every digit; a row's number
///   is the sheet's own row number, so a worker finds it in Excel.
/// - A row that cannot be read (wrong field count, bytes invalid in the encoding, a quote left
///   open at the end of the file) is never dropped silently: it is handed out in
///   ``RowBatch/rejects`` with its row number, line and reason, and counted in ``statistics``.
/// - The file is read in chunks into reused buffers, so memory stays bounded whatever its size.
///
/// The reader and its batches reuse their storage: **a batch is refilled by the next call to
/// ``nextBatch()``; copy what you keep.** Neither is `Sendable`.
///
/// ```swift
/// let reader = try CSVReader(path: "people.csv")           // detects encoding and delimiter
/// let columns = try reader.select(ColumnSpec(parsing: "name=姓名,id=身份证号"))
/// while let batch = try reader.nextBatch() {
///     for row in batch { print(row.number, columns.string(0, in: row)) }
///     for reject in batch.rejects { print(reject.line, reject.reasonText) }
/// }
/// print(reader.statistics.rowsRead, reader.statistics.encoding)
/// ```
///
/// - Complexity: O(n) in the file size. Parsing works on bytes (the delimiters, quotes and line
///   breaks are ASCII and never occur inside a GB18030 multi-byte sequence); only fields holding
///   non-ASCII bytes are validated (UTF-8) or transcoded to UTF-8 (GB18030).
public final class CSVReader {
    /// The file being read.
    public let path: String
    /// The file's name in rejects and errors (``Options/sourceName`` or the path).
    public let source: String
    /// The options the reader was opened with.
    public let options: Options
    /// The header's column names: decoded, whitespace-trimmed, BOM-free. Empty for an empty file.
    public internal(set) var header: [String] = []
    /// Rows read, rejected and skipped so far, bytes read, and the encoding and format in use.
    @exclusivity(unchecked) public internal(set) var statistics = ReadStatistics()

    // The file and the chunk buffer: bytes `start..<end` are read but not yet parsed.
    let descriptor: Int32
    // Read per record by the scan loop on the one thread that owns the reader: no run-time
    // exclusivity checks (here and on the per-row counters below; a reader is never shared).
    @exclusivity(unchecked) var buffer: UnsafeMutablePointer<UInt8>
    @exclusivity(unchecked) var capacity: Int
    @exclusivity(unchecked) var start = 0
    @exclusivity(unchecked) var end = 0
    @exclusivity(unchecked) var atEOF = false
    /// The physical line at `start`.
    @exclusivity(unchecked) var line = 1
    /// The data row number the next row gets.
    @exclusivity(unchecked) var nextRowNumber = 1
    @exclusivity(unchecked) var delimiter = UInt8(ascii: ",")
    /// Whether the encoding is known (`false` only in `.auto` mode while all bytes were ASCII).
    var encodingKnown = false
    @exclusivity(unchecked) var converter: CharsetConverter?
    var batch: RowBatch
    /// Per field of the row being parsed: whether it holds a non-ASCII byte.
    @exclusivity(unchecked) var fieldHasHighByte: ContiguousArray<Bool> = []
    @exclusivity(unchecked) var scratch: [UInt8] = []
    @exclusivity(unchecked) var scratchLengths: [Int] = []
    /// The physical line of the last record parsed in header mode.
    var headerModeLine = 1
    /// While looking for the header: rows that cannot be decoded are passed over, not fatal.
    var previewingHeader = false
    var headerModeUnreadable = false
    /// For a workbook: the sheet being read, its current block and the next row in it, and the
    /// rows read while looking for the header that come after it.
    var sheetReader: SheetReader?
    var sheetBlock: SheetRowBlock?
    var sheetRow = 0
    var sheetPending: [SheetRowCopy] = []

    /// Opens `path` and reads its header.
    ///
    /// - Throws: `ZhaorenError` `.io` if the file cannot be read, `.decoding` if it is UTF-16 or
    ///   its header is not valid in the encoding, `.malformedInput` if the header is unreadable.
    public init(path: String, options: Options = Options()) throws(ZhaorenError) {
        self.path = path
        self.options = options
        self.source = options.sourceName ?? path
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else {
            throw ZhaorenError(.io, "cannot open: \(String(cString: strerror(errno)))", file: options.sourceName ?? path)
        }
        descriptor = fd
        capacity = max(options.chunkSize, 64) * 2
        buffer = .allocate(capacity: capacity)
        batch = RowBatch(columnCount: 0)
        statistics.encoding = options.encoding == .auto ? .utf8 : options.encoding
        if options.format == .xlsx || (options.format == .auto && Workbook.looksLikeWorkbook(path)) {
            try openSheet()
            return
        }
        if options.encoding != .auto { try useEncoding(options.encoding) }
        try readHeader()
    }

    /// Opens the file at `url` and reads its header.
    public convenience init(url: URL, options: Options = Options()) throws(ZhaorenError) {
        try self.init(path: url.path, options: options)
    }

    deinit {
        close(descriptor)
        buffer.deallocate()
    }

    /// The format in use (`.csv`, `.tsv` or `.xlsx`), detected or forced.
    public var format: InputFormat { statistics.format }

    /// The encoding in use (`.utf8` or `.gb18030`), detected or forced.
    public var encoding: InputEncoding { statistics.encoding }

    /// Reads the next batch of rows, or returns `nil` at the end of the file.
    ///
    /// A batch may hold no rows but some ``RowBatch/rejects``. The returned batch is the same
    /// object every time, refilled: copy what you keep.
    ///
    /// - Throws: `ZhaorenError` `.io` if the file cannot be read.
    /// - Complexity: O(bytes read).
    public func nextBatch() throws(ZhaorenError) -> RowBatch? {
        batch.removeAll()
        try fillAny(batch: batch, maxRows: max(options.batchRows, 1))
        return batch.isEmpty && batch.rejects.isEmpty ? nil : batch
    }

    /// A new, empty batch for ``nextBatch(into:)``.
    func makeBatch() -> RowBatch { RowBatch(columnCount: header.count, byteCapacity: 1 << 20, rowCapacity: 1 << 12) }

    /// Refills `batch` (from ``makeBatch()``) with the next rows; `false` at the end of the file.
    /// With two batches a caller can work on one while the other is being read.
    func nextBatch(into batch: RowBatch) throws(ZhaorenError) -> Bool {
        batch.removeAll()
        try fillAny(batch: batch, maxRows: max(options.batchRows, 1))
        return !(batch.isEmpty && batch.rejects.isEmpty)
    }

    /// Fills `batch` from the sheet or from the text.
    func fillAny(batch: RowBatch, maxRows: Int) throws(ZhaorenError) {
        if sheetReader != nil { try fillFromSheet(batch: batch, maxRows: maxRows) } else { try fill(batch: batch, maxRows: maxRows) }
    }

    /// Reads the rest of the file, calling `body` with each batch (valid only during the call).
    public func forEachBatch(_ body: (RowBatch) throws(ZhaorenError) -> Void) throws(ZhaorenError) {
        while let batch = try nextBatch() { try body(batch) }
    }
}
