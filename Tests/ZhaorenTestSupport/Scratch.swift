import Foundation

/// Temporary folders for the tests, all inside one parent folder per test process.
///
/// Each test removes the folders it asks for (`defer { Scratch.remove(folder) }` right after
/// creating one, so a failing or throwing test cleans up too). The parent, `<temp>/zhaoren-testrun-<pid>`,
/// also holds the fixtures shared by a whole suite (created once per process) and is removed when
/// the process exits; a parent left behind by a test process that crashed or was killed is removed by
/// the next test process that needs a folder. Every test target imports it from this small
/// support module.
///
/// ```swift
/// let folder = try Scratch.folder("dedupe")
/// defer { Scratch.remove(folder) }
/// ```
public enum Scratch {
    public static let prefix = "zhaoren-testrun-"

    /// This process's parent folder: created on first use, after removing the parents of test
    /// processes that no longer run; removed at exit.
    public static let root: URL = {
        let manager = FileManager.default
        let temporary = manager.temporaryDirectory
        let me = getpid()
        for name in (try? manager.contentsOfDirectory(atPath: temporary.path)) ?? [] where name.hasPrefix(prefix) {
            guard let pid = pid_t(name.dropFirst(prefix.count)), pid > 0, pid != me, !isRunning(pid) else { continue }
            try? manager.removeItem(at: temporary.appendingPathComponent(name))
        }
        let url = temporary.appendingPathComponent(prefix + String(me))
        try? manager.createDirectory(at: url, withIntermediateDirectories: true)
        atexit { try? FileManager.default.removeItem(at: Scratch.root) }
        return url
    }()

    /// A fresh empty folder `<root>/<name>-<uuid>` (`name` keeps letters and digits only).
    public static func folder(_ name: String = #function) throws -> URL {
        let url = path(name)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// A fresh path `<root>/<name>-<uuid>`, not created.
    public static func path(_ name: String = #function) -> URL {
        root.appendingPathComponent("\(name.filter { $0.isLetter || $0.isNumber })-\(UUID().uuidString)")
    }

    /// Removes a folder (or file) made for a test; nothing happens when it is already gone.
    public static func remove(_ url: URL) {
        try? FileManager.default.removeItem(at: url)
    }

    /// Whether process `pid` still runs (`EPERM`: it runs under another user).
    public static func isRunning(_ pid: pid_t) -> Bool {
        kill(pid, 0) == 0 || errno == EPERM
    }
}
