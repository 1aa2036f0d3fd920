#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Monotonic time in nanoseconds, immune to wall-clock changes.
enum MonotonicClock {
    @inline(__always)
    static func now() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
    }

    /// `now()` plus `seconds`, or 0 (no deadline) when `seconds` is not
    /// positive (or NaN). Capped at about 30 years so no caller-supplied
    /// timeout can overflow the conversion.
    static func deadline(after seconds: Double) -> UInt64 {
        guard seconds > 0 else { return 0 }
        return now() + UInt64(min(seconds, 1e9) * 1_000_000_000)
    }
}
