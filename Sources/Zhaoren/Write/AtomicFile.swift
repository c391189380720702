#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import ZhaorenSystemShim

/// Writes small files so that a reader never sees a half-written one: the content goes to a
/// temporary file in the same folder, is flushed to disk, and is then renamed over the
/// destination.
///
/// ```swift
/// try AtomicFile.write(Data("a,b\n".utf8), to: URL(fileURLWithPath: "out/pairs.csv"))
/// ```
public enum AtomicFile {
    /// Writes `data` to `url` atomically, creating the parent folder if needed.
    /// - Throws: `ZhaorenError(.io)` naming the file and the reason (disk full, permission
    ///   denied …); the destination is then untouched and no temporary file is left.
    public static func write(_ data: Data, to url: URL) throws(ZhaorenError) {
        let file = try StagedFile(url)
        file.append(bytes: data)
        try file.commit()
    }

    /// Writes a UTF-8 string to `url` atomically; the file gets permission bits `mode` (less
    /// the umask): 0o600 for a secret.
    public static func write(_ text: String, to url: URL, mode: mode_t = 0o644) throws(ZhaorenError) {
        let file = try StagedFile(url, mode: mode)
        file.append(text)
        try file.commit()
    }
}

/// A file written in pieces, as large outputs are, that appears at its destination only
/// when ``commit()`` is called: until then the bytes go to a hidden temporary file beside it
/// (`.NAME.PID.tmp`).
///
/// Writing never crashes: the first failure (disk full, an I/O error, a file system gone
/// read-only) is kept, later bytes are dropped, and ``commit()`` throws it after removing the
/// temporary file, so the destination keeps its earlier content. Bytes are flushed to disk
/// (`fsync`) before the rename.
///
/// ```swift
/// let out = try StagedFile(URL(fileURLWithPath: "out/pairs.csv"))
/// out.append("source_a,row_a\n")
/// try out.commit()
/// ```
package final class StagedFile {
    /// The final destination.
    package let url: URL
    /// The hidden temporary file the bytes go to until ``commit()``.
    package let temporary: URL
    private var descriptor: Int32
    private var buffer: [UInt8] = []
    private var failure: ZhaorenError?
    private var finished = false
    private static let flushSize = 1 << 20

    /// Opens a temporary file beside `url`, creating the folder if needed; the file gets
    /// permission bits `mode` (less the umask), e.g. 0o600 for a secret.
    /// - Throws: `ZhaorenError(.io)` naming the folder when it cannot be created or written.
    package init(_ url: URL, mode: mode_t = 0o644) throws(ZhaorenError) {
        self.url = url
        let folder = url.deletingLastPathComponent()
        temporary = folder.appendingPathComponent(".\(url.lastPathComponent).\(getpid()).tmp")
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw ZhaorenError(.io, "cannot create the folder: \(FileFault.reason(of: error))", file: folder.path)
        }
        descriptor = open(temporary.path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode)
        guard descriptor >= 0 else {
            throw ZhaorenError(.io, "cannot write into the folder: \(String(cString: strerror(errno)))", file: folder.path)
        }
        buffer.reserveCapacity(Self.flushSize + 4096)
    }

    /// Appends UTF-8 text.
    package func append(_ text: String) {
        var text = text
        text.withUTF8 { buffer.append(contentsOf: $0) }
        if buffer.count >= Self.flushSize { flush() }
    }

    /// Appends raw bytes.
    package func append(bytes: some Sequence<UInt8>) {
        buffer.append(contentsOf: bytes)
        if buffer.count >= Self.flushSize { flush() }
    }

    /// Appends a large block of bytes: written straight from `block` (after what is buffered),
    /// without copying it into the buffer.
    package func append(block: [UInt8]) {
        guard block.count >= Self.flushSize else { return append(bytes: block) }
        flush()
        guard failure == nil else { return }
        byteCount += block.count
        block.withUnsafeBytes { writeOut($0) }
    }

    /// Bytes handed to the file so far (written or buffered).
    package private(set) var byteCount = 0

    private func flush() {
        defer { buffer.removeAll(keepingCapacity: true) }
        guard failure == nil, !buffer.isEmpty else { return }
        byteCount += buffer.count
        buffer.withUnsafeBytes { writeOut($0) }
    }

    /// Writes all of `raw` to the descriptor; the first failure is kept in ``failure``. Every
    /// ``writebackStep`` bytes the kernel is asked to start writing them to disk, so a large
    /// file's final `fsync` does not wait for all of it.
    private func writeOut(_ raw: UnsafeRawBufferPointer) {
        var offset = 0
        while offset < raw.count {
            let n = FileFault.write(descriptor, raw.baseAddress! + offset, raw.count - offset)
            if n < 0 {
                if errno == EINTR { continue }
                failure = ZhaorenError(.io, "cannot write: \(String(cString: strerror(errno)))", file: url.path)
                return
            }
            offset += n
        }
        written += raw.count
        if written - writebackStart >= Self.writebackStep {
            _ = zhaoren_start_writeback(descriptor, Int64(writebackStart), Int64(written - writebackStart))
            writebackStart = written
        }
    }

    /// Bytes written to the descriptor, and the first not yet handed to background writeback.
    private var written = 0, writebackStart = 0
    private static let writebackStep = 16 << 20

    /// Flushes, syncs to disk, closes and renames the temporary file to ``url``.
    /// - Throws: `ZhaorenError(.io)` for the first write failure or a failing sync, close or
    ///   rename; the temporary file is removed and the destination is untouched.
    package func commit() throws(ZhaorenError) {
        guard !finished else { return }
        flush()
        finished = true
        if failure == nil, FileFault.fsync(descriptor) != 0 {
            failure = ZhaorenError(.io, "cannot write: \(String(cString: strerror(errno)))", file: url.path)
        }
        if close(descriptor) != 0, failure == nil {
            failure = ZhaorenError(.io, "cannot finish writing: \(String(cString: strerror(errno)))", file: url.path)
        }
        descriptor = -1
        if let failure {
            unlink(temporary.path)
            throw failure
        }
        // rename(2) replaces an existing destination atomically.
        guard FileFault.rename(temporary.path, url.path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary.path)
            throw ZhaorenError(.io, "cannot finish writing: \(reason)", file: url.path)
        }
        FileFault.step()
    }

    /// Gives up: closes and removes the temporary file; the destination is untouched.
    package func discard() {
        guard !finished else { return }
        finished = true
        close(descriptor)
        descriptor = -1
        unlink(temporary.path)
    }

    deinit { discard() }
}
