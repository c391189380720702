#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Synchronization

/// The write layer's system calls, with a fault injector for tests: `ZHAOREN_FAULTS` makes
/// them fail as a full disk or a broken device would, so that every command's handling of I/O
/// faults can be tested without a small file system.
///
/// ```sh
/// ZHAOREN_FAULTS=write:ENOSPC:after=65536 zhaoren dedupe …   # disk full after 64 KiB
/// ZHAOREN_FAULTS=fsync:EIO zhaoren coverage …                 # every fsync fails
/// ZHAOREN_FAULTS=rename:EACCES zhaoren link …                 # the final switch fails
/// ZHAOREN_FAULTS=mkdir:EROFS zhaoren dedupe …                 # the output folder is read-only
/// ZHAOREN_FAULTS=kill:after=3 zhaoren coverage …               # SIGKILL once 3 files are written
/// ```
///
/// Faults are `;`-separated `CALL:ERRNO[:after=BYTES]` (CALL `write`, `fsync`, `rename` or `mkdir`;
/// ERRNO `ENOSPC`, `EIO`, `EACCES`, `EROFS`); `after` lets that many bytes through first
/// (writes only), counted over the whole process. `kill:after=N` kills the process (SIGKILL,
/// as a power cut or `kill -9` would) once N files are complete, or just before an output
/// folder takes its destination's place when that comes first.
package enum FileFault {
    struct Fault: Sendable {
        var call: String
        var code: Int32
        var after: Int
    }

    static let faults: [Fault] = {
        guard let spec = ProcessInfo.processInfo.environment["ZHAOREN_FAULTS"], !spec.isEmpty else { return [] }
        let codes: [String: Int32] = ["ENOSPC": ENOSPC, "EIO": EIO, "EACCES": EACCES, "EROFS": EROFS, "EPIPE": EPIPE]
        return spec.split(separator: ";").compactMap { part in
            let f = part.split(separator: ":").map(String.init)
            if f.first == "kill", f.count >= 2, f[1].hasPrefix("after="), let n = Int(f[1].dropFirst(6)) {
                return Fault(call: "kill", code: 0, after: n)
            }
            guard f.count >= 2, let code = codes[f[1].uppercased()] else { return nil }
            let after = f.count >= 3 && f[2].hasPrefix("after=") ? Int(f[2].dropFirst(6)) ?? 0 : 0
            return Fault(call: f[0].lowercased(), code: code, after: after)
        }
    }()

    static let written = Atomic<Int>(0)
    static let completed = Atomic<Int>(0)

    /// Marks one more step done (a file complete, an output folder about to switch); with a
    /// `kill:after=N` fault, the process is killed at step N.
    package static func step() {
        guard !faults.isEmpty, let f = faults.first(where: { $0.call == "kill" }) else { return }
        if completed.add(1, ordering: .relaxed).newValue >= f.after { kill(getpid(), SIGKILL) }
    }

    /// The fault configured for `call`, if the budget of bytes before it is spent.
    static func fault(_ call: String, bytes: Int = 0) -> Int32? {
        guard !faults.isEmpty, let f = faults.first(where: { $0.call == call }) else { return nil }
        if call == "write" {
            let before = written.add(bytes, ordering: .relaxed).oldValue
            return before + bytes > f.after ? f.code : nil
        }
        return f.code
    }

    /// `write(2)`, or the injected fault.
    @inline(__always)
    package static func write(_ fd: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
        if !faults.isEmpty, let code = fault("write", bytes: count) {
            errno = code
            return -1
        }
        #if canImport(Glibc)
        return Glibc.write(fd, bytes, count)
        #else
        return Darwin.write(fd, bytes, count)
        #endif
    }

    /// `fsync(2)`, or the injected fault.
    package static func fsync(_ fd: Int32) -> Int32 {
        if !faults.isEmpty, let code = fault("fsync") {
            errno = code
            return -1
        }
        #if canImport(Glibc)
        return Glibc.fsync(fd)
        #else
        return Darwin.fsync(fd)
        #endif
    }

    /// `mkdir(2)`, or the injected fault.
    package static func mkdir(_ path: String, _ mode: mode_t) -> Int32 {
        if !faults.isEmpty, let code = fault("mkdir") {
            errno = code
            return -1
        }
        #if canImport(Glibc)
        return Glibc.mkdir(path, mode)
        #else
        return Darwin.mkdir(path, mode)
        #endif
    }

    /// `rename(2)`, or the injected fault.
    package static func rename(_ from: String, _ to: String) -> Int32 {
        if !faults.isEmpty, let code = fault("rename") {
            errno = code
            return -1
        }
        #if canImport(Glibc)
        return Glibc.rename(from, to)
        #else
        return Darwin.rename(from, to)
        #endif
    }

    /// A short reason for a Foundation file error: the POSIX message when there is one
    /// (`No space left on device`), else the error's own description.
    package static func reason(of error: any Error) -> String {
        let ns = error as NSError
        if let underlying = ns.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(underlying.code)))
        }
        if ns.domain == NSPOSIXErrorDomain { return String(cString: strerror(Int32(ns.code))) }
        return ns.localizedDescription
    }
}
