import Foundation

/// Whether an observation may be remembered, as the observer annotated it
/// (`[gate=allow confidence=0.92 category=jc:operations reason=system_fact] text`,
/// in front of each line it returns), plus its category.
public struct WriteGateDecision: Sendable, Equatable, Codable {
    public enum Verdict: String, Sendable, Codable { case allow, hold, discard }
    public var verdict: Verdict
    public var confidence: Double
    public var reason: String
    /// True when the annotation was missing or invalid and the default applied.
    public var fallback: Bool
    public var text: String
    public var category: String
    public var categoryConfidence: Double
    /// `llm` when the observer's hint was valid, `rules` otherwise.
    public var categorySource: String

    /// Only allowed observations feed reflection.
    public var isReflectable: Bool { verdict == .allow }
}

public enum WriteGate {
    public static let version = "v1"
    public static let categories = ["jc:preferences", "jc:rules-conventions", "jc:system-architecture", "jc:operations",
                                    "jc:memory-system", "jc:projects", "jc:people-relationships"]

    public static func decide(_ line: String) -> WriteGateDecision {
        var t = line.trimmingCharacters(in: .whitespaces)
        if let first = t.first, "-*•".contains(first) { t = String(t.dropFirst()).trimmingCharacters(in: .whitespaces) }
        for marker in ["🔴", "🟡", "🟢"] where t.hasPrefix(marker) {
            t = String(t.dropFirst(marker.count)).trimmingCharacters(in: .whitespaces)
        }
        var pairs: [String: String] = [:]
        var text = t
        if t.hasPrefix("["), let close = t.firstIndex(of: "]") {
            for pair in t[t.index(after: t.startIndex)..<close].split(separator: " ") {
                let kv = pair.split(separator: "=", maxSplits: 1)
                if kv.count == 2 { pairs[kv[0].lowercased()] = String(kv[1]) }
            }
            text = t[t.index(after: close)...].trimmingCharacters(in: .whitespaces)
        }
        guard let gate = (pairs["gate"] ?? pairs["verdict"]).flatMap({ WriteGateDecision.Verdict(rawValue: $0.lowercased()) }) else {
            let (category, confidence) = classify(text)
            return WriteGateDecision(verdict: .allow, confidence: 0.35, reason: "parse_fallback", fallback: true, text: text,
                                     category: category, categoryConfidence: confidence, categorySource: "rules")
        }
        let confidence = min(1, max(0, pairs["confidence"].flatMap(Double.init) ?? 0.65))
        let reason = String((pairs["reason"] ?? "llm_classified").prefix(120))
        if let hint = pairs["category"], categories.contains(hint) {
            return WriteGateDecision(verdict: gate, confidence: confidence, reason: reason, fallback: false, text: text,
                                     category: hint, categoryConfidence: max(0.65, confidence), categorySource: "llm")
        }
        let (category, categoryConfidence) = classify(text)
        return WriteGateDecision(verdict: gate, confidence: confidence, reason: reason, fallback: false, text: text,
                                 category: category, categoryConfidence: categoryConfidence, categorySource: "rules")
    }

    /// Keyword rules for observations without a valid category hint.
    static func classify(_ text: String) -> (String, Double) {
        let t = text.lowercased()
        let rules: [(String, [String])] = [
            ("jc:preferences", ["prefer", "likes", "dislikes", "wants", "favorite", "rather"]),
            ("jc:rules-conventions", ["always", "never", "must", "convention", "rule", "should"]),
            ("jc:memory-system", ["memory", "observation", "reflect", "recall"]),
            ("jc:system-architecture", ["architecture", "adr", "design", "module", "schema", "protocol"]),
            ("jc:operations", ["deploy", "restart", "crash", "worker", "launchd", "k8s", "kubectl", "server", "service", "start.sh"]),
            ("jc:people-relationships", ["wife", "kid", "family", "friend", "colleague", "met with"]),
            ("jc:projects", ["project", "feature", "release", "milestone", "repo"]),
        ]
        for (category, words) in rules where words.contains(where: { t.contains($0) }) { return (category, 0.55) }
        return ("jc:projects", 0.3)
    }
}
