import Foundation

/// The observer model's answer, parsed.
public struct ObserverOutput: Sendable, Equatable, Codable {
    public struct Segment: Sendable, Equatable, Codable {
        public var narrative: String
        public var facts: [String]
        public init(narrative: String, facts: [String]) {
            self.narrative = narrative
            self.facts = facts
        }
    }

    /// True when the answer had the expected structure (or at least priority-marked lines).
    public var parsed: Bool
    /// The inner text of `<observations>`, or the raw answer when absent.
    public var observations: String
    public var segments: [Segment]
    public var currentTask: String?
    public var suggestedResponse: String?

    public init(parsed: Bool, observations: String, segments: [Segment], currentTask: String?, suggestedResponse: String?) {
        self.parsed = parsed
        self.observations = observations
        self.segments = segments
        self.currentTask = currentTask
        self.suggestedResponse = suggestedResponse
    }

    /// ```
    /// <observations><segment><narrative>…</narrative><facts>- 🔴 [gate=…] fact</facts></segment></observations>
    /// <current-task>…</current-task><suggested-response>…</suggested-response>
    /// ```
    public static func parse(_ raw: String) -> ObserverOutput {
        let text = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        let currentTask = tag("current-task", in: text).first.flatMap(nonEmpty)
        let suggested = tag("suggested-response", in: text).first.flatMap(nonEmpty)
        guard !text.isEmpty else {
            return ObserverOutput(parsed: false, observations: "", segments: [], currentTask: nil, suggestedResponse: nil)
        }
        if let inner = tag("observations", in: text).first {
            let segments = tag("segment", in: inner).map { segment in
                Segment(narrative: tag("narrative", in: segment).first.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) } ?? "",
                        facts: (tag("facts", in: segment).first ?? "").split(separator: "\n").compactMap(factLine))
            }
            return ObserverOutput(parsed: true, observations: inner.trimmingCharacters(in: .whitespacesAndNewlines),
                                  segments: segments, currentTask: currentTask, suggestedResponse: suggested)
        }
        let marked = text.contains("🔴") || text.contains("🟡") || text.contains("🟢")
        return ObserverOutput(parsed: marked, observations: text, segments: [], currentTask: currentTask, suggestedResponse: suggested)
    }

    private static func nonEmpty(_ s: String) -> String? {
        let t = s.trimmingCharacters(in: .whitespacesAndNewlines)
        return t.isEmpty ? nil : t
    }

    private static func factLine(_ line: Substring) -> String? {
        var t = line.trimmingCharacters(in: .whitespaces)
        if let first = t.first, "-*•".contains(first) { t = String(t.dropFirst()).trimmingCharacters(in: .whitespaces) }
        return t.isEmpty ? nil : t
    }

    /// Inner texts of every `<name>…</name>`, case-insensitive, in order.
    static func tag(_ name: String, in text: String) -> [String] {
        let regex = try! NSRegularExpression(pattern: "<\(name)>([\\s\\S]*?)</\(name)>", options: [.caseInsensitive])
        return regex.matches(in: text, range: NSRange(text.startIndex..., in: text)).compactMap {
            Range($0.range(at: 1), in: text).map { String(text[$0]) }
        }
    }
}
