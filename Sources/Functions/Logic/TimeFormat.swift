import Foundation
import InngestProtocol

/// Time and date text used in notes, events and logs.
public enum TimeFormat {
    /// `HH:MM:SS`, zero-padded (3725 s → `01:02:05`).
    public static func hms(_ seconds: Double) -> String {
        let s = max(0, Int(seconds))
        return String(format: "%02d:%02d:%02d", s / 3600, (s % 3600) / 60, s % 60)
    }

    /// `MM:SS`, minutes not wrapped at the hour (4000 s → `66:40`).
    public static func mmss(_ seconds: Double) -> String {
        let s = max(0, Int(seconds))
        return String(format: "%02d:%02d", s / 60, s % 60)
    }

    /// yt-dlp's `YYYYMMDD` as `YYYY-MM-DD`; nil when it is not eight digits
    /// (a missing date must not fail the step, which would be retried forever).
    public static func isoDate(fromCompact text: String) -> String? {
        guard text.count == 8, text.allSatisfy(\.isASCII), text.allSatisfy(\.isNumber) else { return nil }
        let c = Array(text)
        return String(c[0..<4]) + "-" + String(c[4..<6]) + "-" + String(c[6..<8])
    }

    /// `YYYY-MM-DD` of `date` in UTC.
    public static func utcDay(_ date: Date) -> String {
        let parts = utc.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0)
    }

    /// The UTC year of `date`.
    public static func utcYear(_ date: Date) -> Int { utc.component(.year, from: date) }

    /// ISO 8601 with milliseconds in UTC, e.g. `2026-02-16T18:04:11.123Z`:
    /// the wire's own formatter, so notes, logs and events agree to the character.
    public static func iso8601(_ date: Date) -> String {
        InngestTime.rfc3339(milliseconds: Int64((date.timeIntervalSince1970 * 1000).rounded()))
    }

    private static let utc: Calendar = {
        var c = Calendar(identifier: .gregorian)
        c.timeZone = TimeZone(identifier: "UTC")!
        return c
    }()
}
