import Foundation
import HTTP
import Support

/// Time formatting the wire needs (RFC 3339 in UTC), independent of locale.
///
/// Computed arithmetically (`UTCTimestamp`) rather than with a date formatter:
/// formatters are slow on Linux, and both the SDK and the embedded engine
/// format a time for every run they report.
public enum InngestTime {
    /// `2026-08-22T10:00:00Z`, or with milliseconds when the date has them.
    public static func rfc3339(_ date: Date) -> String {
        rfc3339(milliseconds: Int64((date.timeIntervalSince1970 * 1000).rounded()), alwaysMilliseconds: false)
    }

    /// RFC 3339 in UTC from Unix milliseconds; `alwaysMilliseconds` writes
    /// `.000` too (the form Inngest uses in run payloads).
    public static func rfc3339(milliseconds ms: Int64, alwaysMilliseconds: Bool = true) -> String {
        UTCTimestamp.rfc3339(milliseconds: ms, alwaysMilliseconds: alwaysMilliseconds)
    }
}
