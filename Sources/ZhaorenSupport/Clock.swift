#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The one monotonic clock of the package: seconds since an arbitrary point, for timing
/// stages (never for dates), and a stopwatch that reads laps.
///
/// ```swift
/// var watch = Stopwatch()
/// work()
/// print(watch.lap())          // seconds since the stopwatch started
/// more()
/// print(watch.lap())          // seconds since the last lap
/// ```
public enum MonotonicClock {
    /// Seconds on the monotonic clock (`CLOCK_MONOTONIC`).
    @inlinable
    package static func seconds() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_MONOTONIC, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
    }
}

/// Laps on the ``MonotonicClock``.
public struct Stopwatch: Sendable {
    /// When the current lap began.
    package private(set) var lapStart: Double
    /// When the stopwatch started.
    package let start: Double

    /// Starts a stopwatch now.
    package init() {
        start = MonotonicClock.seconds()
        lapStart = start
    }

    /// Seconds since the last lap (or the start), and begins the next lap.
    @discardableResult
    package mutating func lap() -> Double {
        let now = MonotonicClock.seconds()
        defer { lapStart = now }
        return now - lapStart
    }

    /// Seconds since the start.
    package var elapsed: Double { MonotonicClock.seconds() - start }
}
