import Foundation

/// Writes a keyed-encoded file (``EncodedFile``): its first line and column line, then blocks
/// of data lines as the encoder formats them; the file appears at its destination only on
/// ``commit()``.
///
/// ```swift
/// let out = try EncodedFileWriter(url, header: EncodedFile.Header(keyFingerprint: "0123456789abcdef",
///                                                                 saltedNames: true, roles: [.name, .id]))
/// out.append(block: lines)
/// try out.commit()
/// ```
package final class EncodedFileWriter {
    private let file: StagedFile

    /// Opens the file and writes its first two lines.
    /// - Throws: `ZhaorenError(.io)` when the folder cannot be written.
    package init(_ url: URL, header: EncodedFile.Header) throws(ZhaorenError) {
        file = try StagedFile(url)
        file.append(header.line + "\n" + EncodedFile.columnNames.joined(separator: ",") + "\n")
    }

    /// Appends data lines (each ending in a line feed).
    package func append(block: [UInt8]) { file.append(block: block) }

    /// Bytes handed to the file so far.
    package var byteCount: Int { file.byteCount }

    /// Syncs and renames the file into place.
    package func commit() throws(ZhaorenError) { try file.commit() }
}
