import Foundation

/// Writes files so that a reader never sees a half-written one: the content goes to a
/// temporary file in the same folder, which is then renamed over the destination.
///
/// ```swift
/// try AtomicFile.write(Data("a,b\n".utf8), to: URL(fileURLWithPath: "out/pairs.csv"))
/// ```
public enum AtomicFile {
    /// Writes `data` to `url` atomically, creating the parent folder if needed.
    public static func write(_ data: Data, to url: URL) throws(ZhaorenError) {
        let folder = url.deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try data.write(to: url, options: .atomic)
        } catch {
            throw ZhaorenError(.io, "cannot write: \(error.localizedDescription)", file: url.path)
        }
    }

    /// Writes a UTF-8 string to `url` atomically.
    public static func write(_ text: String, to url: URL) throws(ZhaorenError) {
        try write(Data(text.utf8), to: url)
    }
}

/// A file written in pieces, as large outputs are, that appears at its destination only
/// when ``commit()`` is called: until then the bytes go to a hidden temporary file beside it.
///
/// ```swift
/// let out = try StagedFile(URL(fileURLWithPath: "out/pairs.csv"))
/// out.append("source_a,row_a\n")
/// try out.commit()
/// ```
public final class StagedFile {
    /// The final destination.
    public let url: URL
    private let temporary: URL
    private let handle: FileHandle
    private var buffer: [UInt8] = []
    private var committed = false
    private static let flushSize = 1 << 20

    /// Opens a temporary file beside `url`, creating the folder if needed.
    public init(_ url: URL) throws(ZhaorenError) {
        self.url = url
        let folder = url.deletingLastPathComponent()
        temporary = folder.appendingPathComponent(".\(url.lastPathComponent).\(getpid()).tmp")
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            guard FileManager.default.createFile(atPath: temporary.path, contents: nil) else {
                throw ZhaorenError(.io, "cannot create a temporary file", file: temporary.path)
            }
            handle = try FileHandle(forWritingTo: temporary)
        } catch let error as ZhaorenError {
            throw error
        } catch {
            throw ZhaorenError(.io, "cannot open for writing: \(error.localizedDescription)", file: url.path)
        }
        buffer.reserveCapacity(Self.flushSize + 4096)
    }

    /// Appends UTF-8 text.
    public func append(_ text: String) {
        var text = text
        text.withUTF8 { buffer.append(contentsOf: $0) }
        if buffer.count >= Self.flushSize { flush() }
    }

    /// Appends raw bytes.
    public func append(bytes: some Sequence<UInt8>) {
        buffer.append(contentsOf: bytes)
        if buffer.count >= Self.flushSize { flush() }
    }

    private func flush() {
        guard !buffer.isEmpty else { return }
        handle.write(Data(buffer))
        buffer.removeAll(keepingCapacity: true)
    }

    /// Flushes, closes and renames the temporary file to ``url``.
    public func commit() throws(ZhaorenError) {
        guard !committed else { return }
        flush()
        committed = true
        do {
            try handle.close()
        } catch {
            throw ZhaorenError(.io, "cannot finish writing: \(error.localizedDescription)", file: url.path)
        }
        // rename(2) replaces an existing destination atomically; Foundation's replaceItemAt
        // fails on Linux when the destination exists.
        guard rename(temporary.path, url.path) == 0 else {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: temporary)
            throw ZhaorenError(.io, "cannot finish writing: \(reason)", file: url.path)
        }
    }

    deinit {
        if !committed {
            try? handle.close()
            try? FileManager.default.removeItem(at: temporary)
        }
    }
}
