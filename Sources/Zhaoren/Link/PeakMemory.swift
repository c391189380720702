import Foundation

/// Peak resident memory of this process.
public enum PeakMemory {
    /// VmHWM from `/proc/self/status`, in bytes (0 where unavailable).
    public static func bytes() -> Int {
        guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
        for line in text.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            let digits = line.filter(\.isNumber)
            return (Int(digits) ?? 0) * 1024
        }
        return 0
    }
}
