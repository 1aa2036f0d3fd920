import Foundation
import HTTP

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
        if text.count >= 10, let milliseconds = UTCTimestamp.milliseconds(rfc3339: text) {
            return milliseconds
        }
        return milliseconds(text).map { now + $0 }
    }
}
