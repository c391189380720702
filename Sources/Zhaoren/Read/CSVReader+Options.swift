extension CSVReader {
    /// How a ``CSVReader`` reads a file.
    ///
    /// ```swift
    /// var options = CSVReader.Options()
    /// options.encoding = .gb18030      // forced; the default `.auto` detects
    /// options.format = .tsv            // forced; the default `.auto` looks at the header
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

        /// Default options: detect encoding and format, 4 MiB chunks, 64k-row batches.
        public init() {}

        /// Options with the given encoding and format.
        public init(encoding: InputEncoding, format: InputFormat = .auto) {
            self.encoding = encoding
            self.format = format
        }
    }
}
