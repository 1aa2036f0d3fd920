#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// RFC 3339 timestamps in UTC, e.g. `2026-08-22T10:00:00.123Z`: log lines,
/// /health, the SDK's and the engine's wire formats all use this one, and the
/// parser the engine and the functions read such times with.
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

    /// Unix milliseconds of an RFC 3339 date-time such as
    /// `2026-08-22T10:00:00Z`, `2026-08-22T12:00:00.5+02:00` or
    /// `2026-08-22t10:00:00z`; nil for anything else. Fractions beyond
    /// milliseconds are cut off; a leap second (`:60`) counts as the next second.
    public static func milliseconds(rfc3339 text: String) -> Int64? {
        let b = Array(text.utf8)
        func number(_ from: Int, _ count: Int) -> Int? {
            guard from + count <= b.count else { return nil }
            var value = 0
            for i in from..<from + count {
                guard b[i] >= 0x30, b[i] <= 0x39 else { return nil }
                value = value * 10 + Int(b[i] - 0x30)
            }
            return value
        }
        func byte(_ i: Int, _ allowed: UInt8...) -> Bool { i < b.count && allowed.contains(b[i]) }
        guard let year = number(0, 4), byte(4, 0x2D), let month = number(5, 2), byte(7, 0x2D),
              let day = number(8, 2), byte(10, 0x54, 0x74), let hour = number(11, 2), byte(13, 0x3A),
              let minute = number(14, 2), byte(16, 0x3A), let second = number(17, 2),
              (1...12).contains(month), hour < 24, minute < 60, second <= 60
        else { return nil }
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        let monthDays = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        guard day >= 1, day <= monthDays[month - 1] else { return nil }

        var i = 19
        var millis = 0
        if byte(i, 0x2E) {
            i += 1
            let start = i
            while i < b.count, b[i] >= 0x30, b[i] <= 0x39 {
                if i - start < 3 { millis = millis * 10 + Int(b[i] - 0x30) }
                i += 1
            }
            guard i > start else { return nil }
            for _ in min(i - start, 3)..<3 { millis *= 10 }
        }
        var offsetMinutes = 0
        if byte(i, 0x5A, 0x7A) {
            i += 1
        } else if byte(i, 0x2B, 0x2D), let h = number(i + 1, 2), byte(i + 3, 0x3A), let m = number(i + 4, 2), h < 24, m < 60 {
            offsetMinutes = (h * 60 + m) * (b[i] == 0x2D ? -1 : 1)
            i += 6
        } else {
            return nil
        }
        guard i == b.count else { return nil }

        // Days since 1970-01-01 from the civil date (Howard Hinnant's algorithm).
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        let days = Int64(era * 146097 + dayOfEra - 719468)
        let seconds = days * 86400 + Int64(hour * 3600 + minute * 60 + second - offsetMinutes * 60)
        return seconds * 1000 + Int64(millis)
    }

    /// The current time (real-time clock), with milliseconds.
    public static func now() -> String {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return rfc3339(milliseconds: Int64(ts.tv_sec) * 1000 + Int64(ts.tv_nsec / 1_000_000))
    }
}
