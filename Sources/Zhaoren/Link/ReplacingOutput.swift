import Foundation

/// Where an output is staged before it replaces its destination with one POSIX `rename`, which
/// is atomic and, unlike `FileManager.replaceItemAt` on Linux, works when the destination exists.
///
/// ```swift
/// let out = ReplacingOutput(folder.appendingPathComponent("pairs.csv"))
/// let file = try StagedFile(out.staging)
/// file.append("a,b\n"); try file.commit()
/// try out.replace()
/// ```
struct ReplacingOutput {
    /// The final path.
    let url: URL
    /// A hidden path beside it, unique to this process, that does not exist yet.
    let staging: URL

    init(_ url: URL) {
        self.url = url
        staging = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).\(getpid()).staging")
        try? FileManager.default.removeItem(at: staging)
    }

    /// Renames the staged file over the destination.
    func replace() throws(ZhaorenError) {
        guard rename(staging.path, url.path) == 0 else {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: staging)
            throw ZhaorenError(.io, "cannot move the finished file into place: \(reason)", file: url.path)
        }
    }
}
