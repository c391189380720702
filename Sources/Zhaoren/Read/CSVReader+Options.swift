extension CSVReader {
    /// How a ``CSVReader`` reads a file.
    ///
    /// ```swift
    /// var options = CSVReader.Options()
    /// options.encoding = .gb18030      // forced; the default `.auto` detects
    /// options.format = .tsv            // forced; the default `.auto` looks at the header
    /// options.sheet = "低保"            // a workbook's sheet (by name or 1-based position)
    /// options.headerNames = ["姓名", "身份证号"]   // find the header row among the first ten
    /// ```
    public struct Options: Hashable, Sendable {
        /// The encoding, or `.auto` to detect it.
        public var encoding: InputEncoding = .auto
        /// The delimiter, or `.auto` to detect it from the header line.
        public var format: InputFormat = .auto
        /// The name used for the file in rejects and errors; the path when `nil`.
        public var sourceName: String? = nil
        /// Bytes read from the file at a time.
        public var chunkSize = 4 << 20
        /// Rows per batch at most.
        public var batchRows = 65_536
        /// A batch ends early once its field bytes reach this size.
        public var maxBatchBytes = 16 << 20
        /// A row spanning more bytes than this is rejected (`record_too_long`): in practice a
        /// stray quote that would swallow the rest of the file. Reading resumes on its second line.
        public var maxRecordBytes = 16 << 20
        /// The sheet of a workbook to read: its name or 1-based position; the first for `nil`.
        public var sheet: String? = nil
        /// The row holding the column names (1-based: a line of a text file, a row of a sheet);
        /// `nil` to find it (see ``headerNames``).
        public var headerRow: Int? = nil
        /// The column names the caller will ask for. With ``headerRow`` `nil`, the header is the
        /// first row among the first ten that names the most of them (row 1 when none does);
        /// title and unit rows above it are skipped and reported in
        /// ``ReadStatistics/skippedAboveHeader``. Empty: the first row is the header.
        public var headerNames: [String] = []

        /// Default options: detect encoding and format, 4 MiB chunks, 64k-row batches.
        public init() {}

        /// Options with the given encoding and format.
        public init(encoding: InputEncoding, format: InputFormat = .auto) {
            self.encoding = encoding
            self.format = format
        }
    }
}
