import Foundation

/// Inngest's duration strings: one or more `<number><unit>` groups, units
/// `ms`, `s`, `m`, `h`, `d`, `w` (e.g. `500ms`, `30s`, `2h45m`, `7d`).
public enum DurationText {
    /// Milliseconds, or nil when `text` is not a duration.
    public static func milliseconds(_ text: String) -> Int64? {
        let bytes = Array(text.trimmingCharacters(in: .whitespaces).utf8)
        guard !bytes.isEmpty else { return nil }
        var total: Double = 0
        var i = 0
        while i < bytes.count {
            let start = i
            while i < bytes.count, (bytes[i] >= 0x30 && bytes[i] <= 0x39) || bytes[i] == UInt8(ascii: ".") { i += 1 }
            guard i > start, let number = Double(String(decoding: bytes[start..<i], as: UTF8.self)) else { return nil }
            let unitStart = i
            while i < bytes.count, (bytes[i] >= 0x61 && bytes[i] <= 0x7A) || (bytes[i] >= 0x41 && bytes[i] <= 0x5A) { i += 1 }
            let unit = String(decoding: bytes[unitStart..<i], as: UTF8.self).lowercased()
            let scale: Double
            switch unit {
            case "ms": scale = 1
            case "s": scale = 1000
            case "m": scale = 60_000
            case "h": scale = 3_600_000
            case "d": scale = 86_400_000
            case "w": scale = 604_800_000
            default: return nil
            }
            total += number * scale
        }
        guard total.isFinite, total < 9e15 else { return nil }
        return Int64(total)
    }

    /// A sleep target: a duration from `now`, or an absolute RFC 3339 time
    /// (strings of 10+ characters are tried as dates first, as the server does).
    public static func deadline(_ text: String, now: Int64) -> Int64? {
        if text.count >= 10, let date = parseDate(text) {
            return Int64((date.timeIntervalSince1970 * 1000).rounded())
        }
        return milliseconds(text).map { now + $0 }
    }

    static func parseDate(_ text: String) -> Date? {
        let withFraction = ISO8601DateFormatter()
        withFraction.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let d = withFraction.date(from: text) { return d }
        return ISO8601DateFormatter().date(from: text)
    }

    /// RFC 3339 text in UTC with milliseconds, the form Inngest uses in payloads.
    /// Computed arithmetically (days-from-civil inverse): formatters are slow
    /// on Linux and this runs for every run the API reports.
    public static func rfc3339(milliseconds ms: Int64) -> String {
        let millis = ((ms % 1000) + 1000) % 1000
        let seconds = (ms - millis) / 1000
        let secondOfDay = ((seconds % 86_400) + 86_400) % 86_400
        let days = (seconds - secondOfDay) / 86_400
        // Howard Hinnant's civil_from_days.
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yoe + era * 400 + (month <= 2 ? 1 : 0)
        func pad(_ v: Int64, _ width: Int) -> String {
            let text = String(v)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T\(pad(secondOfDay / 3600, 2)):\(pad(secondOfDay / 60 % 60, 2)):\(pad(secondOfDay % 60, 2)).\(pad(millis, 3))Z"
    }
}
