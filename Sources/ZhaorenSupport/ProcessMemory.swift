import Foundation

/// The resident-memory high-water mark of this process (Linux `VmHWM`), and a way to reset
/// it so that each stage of a benchmark reports its own peak.
///
/// ```swift
/// ProcessMemory.resetPeak()
/// let result = try work()
/// print(ProcessMemory.peakBytes())   // the largest resident size since the reset
/// ```
public enum ProcessMemory {
    /// `VmHWM` from `/proc/self/status`, in bytes (0 where unavailable, e.g. on macOS).
    package static func peakBytes() -> Int { field("VmHWM:") }

    /// `VmRSS` from `/proc/self/status`, in bytes (0 where unavailable).
    package static func residentBytes() -> Int { field("VmRSS:") }

    /// Resets the high-water mark to the current resident size by writing `5` to
    /// `/proc/self/clear_refs` (Linux 4.0 and later). Returns whether the reset worked; when
    /// it did not, ``peakBytes()`` keeps reporting the peak since the process started.
    @discardableResult
    package static func resetPeak() -> Bool {
        guard let handle = FileHandle(forWritingAtPath: "/proc/self/clear_refs") else { return false }
        defer { try? handle.close() }
        do { try handle.write(contentsOf: Data("5".utf8)) } catch { return false }
        return true
    }

    static func field(_ name: String) -> Int {
        guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
        for line in text.split(separator: "\n") where line.hasPrefix(name) {
            return (Int(line.filter(\.isNumber)) ?? 0) * 1024
        }
        return 0
    }
}
