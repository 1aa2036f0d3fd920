import Foundation

/// Time formatting the wire needs (RFC 3339 in UTC), independent of locale.
///
/// Computed arithmetically rather than with a date formatter: formatters are
/// slow on Linux, and both the SDK and the embedded engine format a time for
/// every run they report.
public enum InngestTime {
    /// `2026-08-22T10:00:00Z`, or with milliseconds when the date has them.
    public static func rfc3339(_ date: Date) -> String {
        rfc3339(milliseconds: Int64((date.timeIntervalSince1970 * 1000).rounded()), alwaysMilliseconds: false)
    }

    /// RFC 3339 in UTC from Unix milliseconds; `alwaysMilliseconds` writes
    /// `.000` too (the form Inngest uses in run payloads).
    public static func rfc3339(milliseconds ms: Int64, alwaysMilliseconds: Bool = true) -> String {
        let seconds = ms >= 0 ? ms / 1000 : (ms - 999) / 1000
        let millis = Int(ms - seconds * 1000)
        var days = Int(seconds >= 0 ? seconds / 86400 : (seconds - 86399) / 86400)
        let secOfDay = Int(seconds - Int64(days) * 86400)
        // Civil-from-days (Howard Hinnant's algorithm).
        days += 719468
        let era = (days >= 0 ? days : days - 146096) / 146097
        let doe = days - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        let y = yoe + era * 400 + (m <= 2 ? 1 : 0)
        func pad(_ n: Int, _ w: Int) -> String {
            let s = String(n)
            return String(repeating: "0", count: max(0, w - s.count)) + s
        }
        var text = "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))T\(pad(secOfDay / 3600, 2)):\(pad(secOfDay % 3600 / 60, 2)):\(pad(secOfDay % 60, 2))"
        if millis != 0 || alwaysMilliseconds { text += ".\(pad(millis, 3))" }
        return text + "Z"
    }
}
