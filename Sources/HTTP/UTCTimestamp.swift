#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// RFC 3339 timestamps in UTC, e.g. `2026-08-22T10:00:00.123Z`: log lines,
/// /health, the SDK's and the engine's wire formats all use this one.
///
/// Computed arithmetically, without a date formatter: Foundation's formatters
/// go through ICU, which is slow on Linux and, on first use, maps megabytes of
/// calendar and time-zone tables into the process (a worker that put one
/// timestamp in /health grew by 2.6 MB for it).
public enum UTCTimestamp {
    /// From Unix milliseconds. `alwaysMilliseconds` writes `.000` too;
    /// otherwise the fraction is left out when it is zero.
    public static func rfc3339(milliseconds ms: Int64, alwaysMilliseconds: Bool = true) -> String {
        let seconds = ms >= 0 ? ms / 1000 : (ms - 999) / 1000
        let millis = Int(ms - seconds * 1000)
        var days = Int(seconds >= 0 ? seconds / 86400 : (seconds - 86399) / 86400)
        let secondOfDay = Int(seconds - Int64(days) * 86400)
        // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
        days += 719468
        let era = (days >= 0 ? days : days - 146096) / 146097
        let dayOfEra = days - era * 146097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)

        var text = ""
        text.reserveCapacity(24)
        func append(_ value: Int, width: Int) {
            let digits = String(value)
            for _ in digits.count..<max(width, digits.count) { text.append("0") }
            text += digits
        }
        append(year, width: 4); text += "-"
        append(month, width: 2); text += "-"
        append(day, width: 2); text += "T"
        append(secondOfDay / 3600, width: 2); text += ":"
        append(secondOfDay % 3600 / 60, width: 2); text += ":"
        append(secondOfDay % 60, width: 2)
        if millis != 0 || alwaysMilliseconds { text += "."; append(millis, width: 3) }
        return text + "Z"
    }

    /// The current time (real-time clock), with milliseconds.
    public static func now() -> String {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return rfc3339(milliseconds: Int64(ts.tv_sec) * 1000 + Int64(ts.tv_nsec / 1_000_000))
    }
}
