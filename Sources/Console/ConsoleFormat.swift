import JSON
import Support

/// How values read from the API are shown: times, durations, JSON. Returns
/// plain text; callers escape it with `HTML.escape`.
enum ConsoleFormat {
    /// `2026-12-05T23:50:05.123Z` → `2026-12-05 23:50:05` (UTC); anything else as given.
    static func time(_ value: JSON?) -> String {
        guard let text = value?.stringValue, !text.isEmpty else { return "" }
        guard let ms = UTCTimestamp.milliseconds(rfc3339: text) else { return text }
        let full = UTCTimestamp.rfc3339(milliseconds: ms, alwaysMilliseconds: false)
        return String(full.prefix(19)).replacingFirst("T", with: " ")
    }

    static func milliseconds(_ value: JSON?) -> Int64? {
        value?.stringValue.flatMap { UTCTimestamp.milliseconds(rfc3339: $0) }
    }

    /// Between two RFC 3339 times (`end` nil: still going, measured to `now`).
    static func duration(from start: JSON?, to end: JSON?, now: Int64) -> String {
        guard let a = milliseconds(start) else { return "" }
        let b = milliseconds(end) ?? now
        return duration(milliseconds: b - a) + (milliseconds(end) == nil ? "…" : "")
    }

    static func duration(milliseconds ms: Int64) -> String {
        let ms = max(0, ms)
        if ms < 1000 { return "\(ms) ms" }
        if ms < 60_000 { return "\(ms / 1000).\((ms % 1000) / 100) s" }
        if ms < 3_600_000 { return "\(ms / 60_000) m \((ms % 60_000) / 1000) s" }
        return "\(ms / 3_600_000) h \((ms % 3_600_000) / 60_000) m"
    }

    /// Indented JSON, for `<pre>` blocks.
    static func pretty(_ value: JSON, indent: String = "") -> String {
        let inner = indent + "  "
        switch value {
        case .object(let object):
            if object.isEmpty { return "{}" }
            let items = object.map { inner + JSON.string($0.key).serialized() + ": " + pretty($0.value, indent: inner) }
            return "{\n" + items.joined(separator: ",\n") + "\n" + indent + "}"
        case .array(let array):
            if array.isEmpty { return "[]" }
            return "[\n" + array.map { inner + pretty($0, indent: inner) }.joined(separator: ",\n") + "\n" + indent + "]"
        default:
            return value.serialized()
        }
    }
}

extension String {
    func replacingFirst(_ target: Character, with replacement: String) -> String {
        guard let found = firstIndex(of: target) else { return self }
        return String(self[..<found]) + replacement + String(self[self.index(after: found)...])
    }
}
