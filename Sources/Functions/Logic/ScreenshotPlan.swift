/// Where to grab frames from a video and what to call them, from its
/// transcript alone (no video analysis: the words say where the topics change).
public enum ScreenshotPlan {
    public struct Shot: Sendable, Equatable, Codable {
        /// Seconds into the video.
        public var seconds: Double
        /// File name without extension, unique within the plan.
        public var name: String
    }

    /// Between 4 and 10 evenly spaced frames (one per two minutes), each
    /// named after the words spoken within 30 s of it. Empty without segments.
    public static func shots(for segments: [TranscriptSegment]) -> [Shot] {
        guard let total = segments.last?.end, total > 0 else { return [] }
        let count = min(10, max(4, Int(total / 120)))
        let interval = total / Double(count + 1)
        var used: [String: Int] = [:]
        return (1...count).map { i in
            let at = interval * Double(i)
            let nearby = segments.filter { $0.end >= at - 30 && $0.start <= at + 30 }.map(\.text).joined(separator: " ")
            var name = name(from: nearby)
            used[name, default: 0] += 1
            if let n = used[name], n > 1 { name += "-\(n)" }
            return Shot(seconds: at, name: name)
        }
    }

    /// Up to four distinct meaningful words joined by `-`, at most 50
    /// characters; `scene` when nothing meaningful was said.
    static func name(from text: String) -> String {
        let cleaned = String(text.lowercased().unicodeScalars.filter {
            ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0.properties.isWhitespace
        }.map(Character.init))
        var seen = Set<String>()
        let words = cleaned.split(whereSeparator: \.isWhitespace).map(String.init)
            .filter { $0.count > 3 && !stopWords.contains($0) && seen.insert($0).inserted }
        let name = String(words.prefix(4).joined(separator: "-").prefix(50))
        return name.isEmpty ? "scene" : (name.hasSuffix("-") ? String(name.dropLast()) : name)
    }

    /// Words too common to describe a frame.
    static let stopWords: Set<String> = [
        "about", "above", "after", "again", "also", "always", "another", "anything", "around", "because", "been",
        "before", "being", "below", "between", "both", "cannot", "come", "could", "does", "doing", "done", "down",
        "during", "each", "even", "every", "everything", "first", "from", "going", "gonna", "good", "great", "have",
        "having", "here", "hello", "into", "just", "kind", "know", "like", "look", "looking", "made", "make", "many",
        "maybe", "mean", "more", "most", "much", "must", "need", "never", "next", "okay", "once", "only", "other",
        "over", "pretty", "really", "right", "said", "same", "say", "says", "should", "show", "some", "something",
        "sort", "still", "such", "sure", "take", "talk", "than", "thank", "thanks", "that", "thats", "their", "them",
        "then", "there", "these", "they", "thing", "things", "think", "this", "those", "through", "time", "today",
        "very", "want", "wanted", "welcome", "well", "were", "what", "when", "where", "which", "while", "will",
        "with", "without", "would", "yeah", "your", "youre",
    ]
}
