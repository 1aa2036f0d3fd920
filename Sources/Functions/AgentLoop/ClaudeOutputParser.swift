import Foundation
import JSON

/// Pulls a JSON value out of what an LLM or a coding agent printed: the
/// whole text, the `result` of claude's `--output-format json` envelope, the
/// first ```json fenced block, or the span from the first `{` to the last `}`.
/// Models wrap JSON in prose and fences, so one lenient reader serves the
/// planner, the reviewer and the judge.
public enum ClaudeOutputParser {
    public static func parse(_ text: String) -> JSON? {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { return nil }
        if let whole = try? JSON(parsing: trimmed) {
            if let result = whole["result"]?.stringValue { return extract(result) }
            return whole
        }
        return extract(trimmed)
    }

    static func extract(_ text: String) -> JSON? {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if let direct = try? JSON(parsing: trimmed) { return direct }
        if let fence = trimmed.range(of: "```json") {
            let rest = trimmed[fence.upperBound...]
            if let end = rest.range(of: "```"), let fenced = try? JSON(parsing: String(rest[..<end.lowerBound])) { return fenced }
        }
        if let open = trimmed.firstIndex(of: "{"), let close = trimmed.lastIndex(of: "}"), open < close,
           let braced = try? JSON(parsing: String(trimmed[open...close])) {
            return braced
        }
        return nil
    }
}
