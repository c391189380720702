import Foundation
import Zhaoren

/// Writes one large output file through ``StagedFile`` so that it also replaces a file left
/// by an earlier run atomically.
///
/// `StagedFile.commit()` on main fails on Linux when the destination exists
/// (`FileManager.replaceItemAt` reports "file doesn't exist"), so the staged file is committed
/// to a hidden name that does not exist, then renamed over the destination with `rename(2)`,
/// which replaces atomically. Once `StagedFile` itself uses `rename(2)`, this can call it directly.
enum StagedOutput {
    /// Opens a staged file for `url`, lets `body` fill it, and moves it into place.
    static func write(_ url: URL, _ body: (StagedFile) throws(ZhaorenError) -> Void) throws(ZhaorenError) {
        let hidden = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).\(getpid()).partial")
        try? FileManager.default.removeItem(at: hidden)
        let out = try StagedFile(hidden)
        try body(out)
        try out.commit()
        guard rename(hidden.path, url.path) == 0 else {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: hidden)
            throw ZhaorenError(.io, "cannot finish writing: \(reason)", file: url.path)
        }
    }
}
