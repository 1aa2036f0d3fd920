import Foundation
import HTTP
import Support

/// The block appended to `<memoryLogDir>/<date>.md` after each observed
/// session, plus a hidden marker with the dedupe key so
/// the same capture is never appended twice while later captures of the same
/// session still are (a marker per session would drop every capture after the first).
public enum ObservationDailyLog {
    public static func marker(dedupeKey: String) -> String { "<!-- observe:\(dedupeKey) -->" }

    public static func block(sessionId: String, dedupeKey: String, time: String, trigger: String, filesModified: Int,
                             filesRead: Int, output: ObserverOutput, fallbackText: String) -> String {
        var lines = ["", "### 🔭 Observations (session: \(sessionId), \(time)) \(marker(dedupeKey: dedupeKey))", "",
                     "**Trigger**: \(trigger)", "**Files**: \(filesModified) modified, \(filesRead) read", ""]
        if output.segments.isEmpty {
            lines += [fallbackText, ""]
        } else {
            for segment in output.segments {
                lines += ["#### \(segment.narrative)", ""] + segment.facts + [""]
            }
        }
        if let task = output.currentTask { lines.append("**Current task**: \(task)") }
        var text = lines.joined(separator: "\n")
        if !text.hasSuffix("\n") { text += "\n" }
        return text
    }

    /// The file with `block` appended, or unchanged when this capture is already there.
    public static func appending(_ block: String, dedupeKey: String, to existing: String?) -> String {
        let current = existing ?? ""
        if current.contains(marker(dedupeKey: dedupeKey)) { return current }
        return current + block
    }

    /// `HH:MM` (24 h) of an ISO 8601 timestamp in `timeZone`; `00:00` when unparseable.
    public static func clockTime(_ iso: String, timeZone: TimeZone) -> String {
        guard let date = parseISO8601(iso) else { return "00:00" }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let c = calendar.dateComponents([.hour, .minute], from: date)
        return String(format: "%02d:%02d", c.hour ?? 0, c.minute ?? 0)
    }

    /// An RFC 3339 time (`UTCTimestamp`, no date formatter).
    static func parseISO8601(_ s: String) -> Date? {
        UTCTimestamp.milliseconds(rfc3339: s).map { Date(timeIntervalSince1970: Double($0) / 1000) }
    }
}
