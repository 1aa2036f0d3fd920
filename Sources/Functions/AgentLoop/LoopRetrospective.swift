import Foundation

/// The retrospective of a finished loop, built from the state store: the
/// vault note and the recommendations the next loop on the project reads.
public struct LoopRetrospective: Sendable {
    public var loopId: String
    public var project: String
    public var summary: String
    public var stories: [StoryRecord]
    public var progress: [String]
    public var date: Date
    /// When the loop started; the note then gives how long it ran until `date`.
    public var startedAt: Date?

    public init(loopId: String, project: String, summary: String, stories: [StoryRecord], progress: [String], date: Date,
                startedAt: Date? = nil) {
        self.loopId = loopId
        self.project = project
        self.summary = summary
        self.stories = stories
        self.progress = progress
        self.date = date
        self.startedAt = startedAt
    }

    public var completed: Int { stories.filter { $0.status == .passed }.count }
    public var failed: Int { stories.filter { $0.status == .failed }.count }

    /// `## Codebase Patterns` text found in the progress log, if any.
    public var codebasePatterns: String? {
        let text = progress.joined(separator: "\n\n")
        guard let start = text.range(of: "## Codebase Patterns") else { return nil }
        let rest = text[start.upperBound...]
        let end = rest.range(of: "\n## ")?.lowerBound ?? rest.endIndex
        let body = rest[..<end].trimmingCharacters(in: .whitespacesAndNewlines)
        return body.isEmpty ? nil : body
    }

    /// Tools ranked by pass rate, then by fewer attempts.
    public var toolRankings: [LoopRecommendations.ToolRanking] {
        let byTool = Dictionary(grouping: stories.filter { $0.tool != nil && $0.status != .pending }, by: { $0.tool! })
        return byTool.map { tool, records in
            let passRate = Double(records.filter { $0.status == .passed }.count) / Double(records.count)
            let avg = Double(records.map(\.attempts).reduce(0, +)) / Double(records.count)
            return .init(tool: tool, passRate: (passRate * 100).rounded() / 100, avgAttempts: (avg * 100).rounded() / 100)
        }.sorted { $0.passRate != $1.passRate ? $0.passRate > $1.passRate : ($0.avgAttempts != $1.avgAttempts ? $0.avgAttempts < $1.avgAttempts : $0.tool < $1.tool) }
    }

    public var recommendations: LoopRecommendations {
        var patterns: [String] = []
        let retried = stories.filter { $0.attempts > 1 }.count
        if retried > 0 { patterns.append("\(retried) story(ies) needed more than one attempt; give the implementor sharper acceptance criteria.") }
        if failed > 0 { patterns.append("\(failed) story(ies) failed for good; decompose into narrower stories on the next loop.") }
        let ranked = toolRankings.filter { $0.passRate > 0 }.map(\.tool)
        return LoopRecommendations(toolRankings: toolRankings, retryPatterns: patterns,
                                   suggestedRetryLadder: ranked.isEmpty ? ["codex", "claude", "pi"] : Array(ranked.prefix(3)),
                                   lastUpdated: TimeFormat.iso8601(date), sourceLoopId: loopId)
    }

    /// The vault note with the LLM's analysis and narrative, when there are any.
    public func note(with reflection: LoopReflection?) -> String {
        guard let reflection, !reflection.isEmpty else { return note }
        var text = note + "\n## Analysis\n" + (reflection.analysis.isEmpty ? "None." : reflection.analysis) + "\n"
        text += "\n## Narrative\n" + (reflection.narrative.isEmpty ? "None." : reflection.narrative) + "\n"
        return text
    }

    /// The vault note: front matter, summary, the outcome table and what to take forward.
    public var note: String {
        var lines = ["---", "loopId: \(loopId)", "project: \(project)", "date: \(TimeFormat.iso8601(date))"]
        if let startedAt {
            lines.append("duration: \(LoopDuration.format(milliseconds: Self.milliseconds(date.timeIntervalSince(startedAt))))")
        }
        lines += ["storiesCompleted: \(completed)", "storiesFailed: \(failed)", "---", "", "## Summary", summary, "",
                     "## Story Outcomes", "", "| id | title | result | attempts | tool |", "| --- | --- | --- | --- | --- |"]
        for r in stories {
            let result = r.status == .passed ? "pass" : r.status == .failed ? "fail" : r.status.rawValue
            lines.append("| \(cell(r.story.id)) | \(cell(r.story.title)) | \(result) | \(r.attempts) | \(cell(r.tool ?? "unknown")) |")
        }
        lines += ["", "## Codebase Patterns", codebasePatterns ?? "None recorded.", "", "## What Worked"]
        let firstTry = stories.filter { $0.status == .passed && $0.attempts <= 1 }
        lines.append(firstTry.isEmpty ? "- No story passed on its first attempt." : firstTry.map { "- \($0.story.id) passed first time (\($0.tool ?? "unknown"))." }.joined(separator: "\n"))
        lines += ["", "## What Struggled"]
        let struggled = stories.filter { $0.status == .failed || $0.attempts > 1 }
        lines.append(struggled.isEmpty ? "- Nothing." : struggled.map { "- \($0.story.id): \($0.status.rawValue) after \($0.attempts) attempt(s)." }.joined(separator: "\n"))
        lines += ["", "## Recommendations"]
        let recs = recommendations
        lines.append((recs.retryPatterns + ["Suggested retry ladder: \(recs.suggestedRetryLadder.joined(separator: ", "))."]).map { "- " + $0 }.joined(separator: "\n"))
        return lines.joined(separator: "\n") + "\n"
    }

    /// Seconds as whole milliseconds, clamped to what an `Int` holds (a
    /// clock set wrong must not trap the conversion).
    private static func milliseconds(_ seconds: TimeInterval) -> Int {
        let ms = (seconds * 1000).rounded(.down)
        guard ms.isFinite else { return 0 }
        return ms >= Double(Int.max) ? Int.max : max(0, Int(ms))
    }

    private func cell(_ text: String) -> String {
        text.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
    }
}
