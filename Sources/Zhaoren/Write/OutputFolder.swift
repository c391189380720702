#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import ZhaorenSystemShim

/// A folder of outputs that appears as a unit: every file is written into a hidden staging
/// folder beside the destination, flushed to disk, and the staging folder then takes the
/// destination's place in one step (an atomic exchange where the system has one). A reader
/// sees the previous complete set or the new complete set, never a mix; a run that fails or is
/// killed leaves the previous outputs as they were.
///
/// ```swift
/// let out = try OutputFolder(URL(fileURLWithPath: "out/dedupe"), expectedBytes: 50_000_000)
/// let pairs = try CSVWriter(out.file("pairs.csv"))
/// …
/// try pairs.commit()
/// try out.commit()          // out/dedupe now holds exactly this run's files
/// ```
///
/// - The staging folder is `.NAME.zhaoren-staging-PID` beside `NAME`; one left by a run that
///   died is removed by the next run for the same destination.
/// - The folder carries a manifest, `.zhaoren-output`, listing the files the run wrote.
///   Zhaoren replaces a folder only when everything in it is its own: a destination holding
///   other files (a worker's filled-in copy, say) is refused before any work starts, with the
///   names of those files. Output folders nested inside (`city/coverage` in a city folder) are
///   kept.
/// - Writability and free space are checked when the folder is opened.
public final class OutputFolder {
    /// Where the outputs appear.
    public let destination: URL
    /// Where they are written until ``commit()``.
    public let staging: URL
    private var finished = false

    /// The manifest's name.
    package static let manifestName = ".zhaoren-output"
    static let manifestHeader = "zhaoren output folder: the files below were written together"
    static let stagingMarker = ".zhaoren-staging-"

    /// Prepares to write into `destination`: removes staging folders of dead runs, checks that
    /// an existing destination holds only Zhaoren outputs, creates the staging folder, and
    /// checks that about `expectedBytes` (plus a margin) are free there.
    /// - Throws: `ZhaorenError(.io)` naming the folder and the reason (not writable, read-only,
    ///   no space, foreign files in the way).
    public init(_ destination: URL, expectedBytes: Int = 0) throws(ZhaorenError) {
        self.destination = destination.standardizedFileURL
        let parent = self.destination.deletingLastPathComponent()
        let name = self.destination.lastPathComponent
        staging = parent.appendingPathComponent(".\(name)\(Self.stagingMarker)\(getpid())")
        let manager = FileManager.default
        do {
            try manager.createDirectory(at: parent, withIntermediateDirectories: true)
        } catch {
            throw ZhaorenError(.io, "cannot create the folder: \(FileFault.reason(of: error))", file: parent.path)
        }
        Self.removeStaleStaging(beside: self.destination)
        var isFolder: ObjCBool = false
        if manager.fileExists(atPath: self.destination.path, isDirectory: &isFolder) {
            guard isFolder.boolValue else {
                throw ZhaorenError(.io, "the output path is a file, not a folder", file: self.destination.path)
            }
            let foreign = Self.foreignFiles(in: self.destination)
            if !foreign.isEmpty {
                let shown = foreign.prefix(5).joined(separator: ", ") + (foreign.count > 5 ? " … (\(foreign.count) in all)" : "")
                throw ZhaorenError(.io, "Zhaoren replaces its output folder as a whole, and this folder holds files it did not write: "
                                   + "\(shown); move them elsewhere or choose another output folder", file: self.destination.path)
            }
        }
        guard FileFault.mkdir(staging.path, 0o755) == 0 else {
            throw ZhaorenError(.io, "cannot write into the folder: \(String(cString: strerror(errno)))", file: parent.path)
        }
        if expectedBytes > 0 {
            var stats = statvfs()
            if statvfs(parent.path, &stats) == 0 {
                let free = Int(stats.f_bavail) &* Int(stats.f_frsize)
                let needed = expectedBytes + (1 << 20)
                if free < needed {
                    try? manager.removeItem(at: staging)
                    throw ZhaorenError(.io, String(format: "not enough free space for the outputs: about %.1f MB needed, %.1f MB free",
                                                   Double(needed) / 1e6, Double(free) / 1e6), file: parent.path)
                }
            }
        }
    }

    /// The URL of `name` (a path relative to the folder) inside the staging folder.
    public func file(_ name: String) -> URL { staging.appendingPathComponent(name) }

    /// Writes the manifest, flushes the staging folder to disk, and puts it in the
    /// destination's place; the previous outputs are removed (output folders nested in them
    /// are moved into the new one).
    /// - Throws: `ZhaorenError(.io)`; the destination is then as it was.
    public func commit() throws(ZhaorenError) {
        guard !finished else { return }
        finished = true
        do {
            let written = Self.files(in: staging).filter { $0 != Self.manifestName }.sorted()
            try AtomicFile.write(([Self.manifestHeader] + written).joined(separator: "\n") + "\n",
                                 to: staging.appendingPathComponent(Self.manifestName))
            try Self.syncFolders(staging)
            FileFault.step()
            let manager = FileManager.default
            if manager.fileExists(atPath: destination.path) {
                if zhaoren_rename_exchange(staging.path, destination.path) != 0 {
                    // No atomic exchange here (another system, an old kernel): two renames, with
                    // the previous folder kept aside until the new one is in place.
                    let aside = staging.path + "-previous"
                    guard FileFault.rename(destination.path, aside) == 0 else { throw Self.failure("cannot replace the folder") }
                    guard FileFault.rename(staging.path, destination.path) == 0 else {
                        let error = Self.failure("cannot replace the folder")
                        _ = FileFault.rename(aside, destination.path)
                        throw error
                    }
                    guard FileFault.rename(aside, staging.path) == 0 else { throw Self.failure("cannot remove the previous outputs") }
                }
            } else {
                guard FileFault.rename(staging.path, destination.path) == 0 else { throw Self.failure("cannot create the folder") }
            }
            Self.sync(destination.deletingLastPathComponent().path)
            FileFault.step()
            // `staging` now holds the previous outputs: keep the output folders nested in them.
            Self.carryNestedOutputs(from: staging, into: destination)
            try? manager.removeItem(at: staging)
        } catch let error as ZhaorenError {
            try? FileManager.default.removeItem(at: staging)
            throw ZhaorenError(error.code, error.message, file: error.file ?? destination.path, line: error.line, column: error.column)
        } catch {
            try? FileManager.default.removeItem(at: staging)
            throw ZhaorenError(.io, "cannot finish writing: \(FileFault.reason(of: error))", file: destination.path)
        }
    }

    /// Gives up: removes the staging folder; the destination is as it was.
    public func discard() {
        guard !finished else { return }
        finished = true
        try? FileManager.default.removeItem(at: staging)
    }

    deinit { discard() }

    private static func failure(_ what: String) -> ZhaorenError {
        ZhaorenError(.io, "\(what): \(String(cString: strerror(errno)))")
    }

    // MARK: Folders of dead runs, foreign files

    /// Removes the staging folders beside `destination` of runs that no longer run (keeping
    /// the output folders nested in them, which a run may have been moving).
    static func removeStaleStaging(beside destination: URL) {
        let parent = destination.deletingLastPathComponent()
        let prefix = "." + destination.lastPathComponent + stagingMarker
        let manager = FileManager.default
        for name in (try? manager.contentsOfDirectory(atPath: parent.path)) ?? [] where name.hasPrefix(prefix) {
            let tail = name.dropFirst(prefix.count)
            let digits = tail.prefix { $0.isNumber }
            guard let pid = pid_t(digits), pid > 0, pid != getpid(), kill(pid, 0) != 0 && errno == ESRCH else { continue }
            let stale = parent.appendingPathComponent(name)
            if manager.fileExists(atPath: destination.path) { carryNestedOutputs(from: stale, into: destination) }
            try? manager.removeItem(at: stale)
        }
    }

    /// Moves the Zhaoren output folders directly inside `old` into `new` where `new` has none
    /// of that name.
    static func carryNestedOutputs(from old: URL, into new: URL) {
        let manager = FileManager.default
        for name in (try? manager.contentsOfDirectory(atPath: old.path)) ?? [] {
            let inner = old.appendingPathComponent(name)
            guard isOutputFolder(inner), !manager.fileExists(atPath: new.appendingPathComponent(name).path) else { continue }
            _ = FileFault.rename(inner.path, new.appendingPathComponent(name).path)
        }
    }

    /// Whether `url` is a folder that Zhaoren wrote (it has a manifest).
    public static func isOutputFolder(_ url: URL) -> Bool {
        guard let text = try? String(contentsOf: url.appendingPathComponent(manifestName), encoding: .utf8) else { return false }
        return text.hasPrefix(manifestHeader)
    }

    /// The files in an existing destination that no Zhaoren run wrote: those its manifest does
    /// not list (nested output folders are Zhaoren's). A folder without a manifest, written
    /// by a version before manifests, counts as Zhaoren's when every file has the name of an
    /// output Zhaoren writes.
    static func foreignFiles(in folder: URL) -> [String] {
        let manager = FileManager.default
        var nested = Set<String>()
        for name in (try? manager.contentsOfDirectory(atPath: folder.path)) ?? []
        where isOutputFolder(folder.appendingPathComponent(name)) { nested.insert(name) }
        let present = files(in: folder).filter { path in
            !nested.contains(where: { path.hasPrefix($0 + "/") }) && path != manifestName
        }
        if let text = try? String(contentsOf: folder.appendingPathComponent(manifestName), encoding: .utf8),
           text.hasPrefix(manifestHeader) {
            let listed = Set(text.split(separator: "\n").dropFirst().map(String.init))
            return present.filter { !listed.contains($0) }.sorted()
        }
        return present.filter { !legacyOutput($0) }.sorted()
    }

    /// Names of the files earlier versions (before manifests) wrote into output folders: the
    /// engine's and the coverage workflow's outputs, a generated city and its truth, and the
    /// demo's subfolders of those.
    static func legacyOutput(_ path: String) -> Bool {
        let name = (path as NSString).lastPathComponent
        if name.hasPrefix(".") && name.hasSuffix(".tmp") { return true }   // an earlier version's temporary file
        var rest = Substring(path)
        for folder in ["coverage/", "dedupe/", "link/"] where rest.hasPrefix(folder) { rest = rest.dropFirst(folder.count) }
        let known: Set<String> = [
            "pairs.csv", "clusters.csv", "unmatched.csv", "rejects.csv", "summary.json", "labels.csv", "enterprise_labels.csv",
            "persons.csv", "changes.csv", "report.html", "worklists/.zhaoren-worklists",
            "police.csv", "grid_survey.csv", "insurance.csv", "students.csv", "dibao.csv", "tekun.csv", "disabled.csv",
            "deaths.csv", "enterprises.csv", "tax.csv", "manifest.json", "README.txt", "coverage.json", "people.csv", "register.csv",
        ]
        if known.contains(String(rest)) { return true }
        if rest.hasPrefix("truth/") && rest.hasSuffix(".csv") && !rest.dropFirst(6).contains("/") { return true }
        return rest.hasPrefix("worklists/") && rest.hasSuffix(".csv") && !rest.dropFirst(10).contains("/")
    }

    /// Every regular file below `folder`, as paths relative to it.
    static func files(in folder: URL) -> [String] {
        guard let walker = FileManager.default.enumerator(atPath: folder.path) else { return [] }
        var out: [String] = []
        while let path = walker.nextObject() as? String {
            var isFolder: ObjCBool = false
            if FileManager.default.fileExists(atPath: folder.appendingPathComponent(path).path, isDirectory: &isFolder),
               !isFolder.boolValue {
                out.append(path)
            }
        }
        return out
    }

    // MARK: Durability

    /// fsyncs `folder` and every folder below it (file contents are synced by ``StagedFile``).
    static func syncFolders(_ folder: URL) throws(ZhaorenError) {
        var folders = [folder.path]
        if let walker = FileManager.default.enumerator(atPath: folder.path) {
            while let path = walker.nextObject() as? String {
                var isFolder: ObjCBool = false
                let full = folder.appendingPathComponent(path).path
                if FileManager.default.fileExists(atPath: full, isDirectory: &isFolder), isFolder.boolValue { folders.append(full) }
            }
        }
        for path in folders where !sync(path) {
            throw ZhaorenError(.io, "cannot write: \(String(cString: strerror(errno)))", file: path)
        }
    }

    /// fsyncs one folder's entries; `false` with errno set on failure.
    @discardableResult
    static func sync(_ path: String) -> Bool {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        return FileFault.fsync(fd) == 0
    }
}
