import Foundation

/// The prompts given to the coding agents and the planner LLM. Pure text
/// assembly, so what an agent is told can be read and tested in one place.
public enum LoopPrompts {
    /// Context sections together stay under this many characters.
    static let contextBudget = 8000

    public static func testWriter(_ story: LoopStory) -> String {
        """
        ## Write Acceptance Tests: \(story.title) (\(story.id))

        \(story.description ?? "")

        ## Acceptance Criteria
        \(story.criteria.enumerated().map { "\($0.offset + 1). \($0.element)" }.joined(separator: "\n"))

        ## Instructions
        - Write tests for the public behaviour these criteria describe, not for internals; never match source text.
        - Prefer integration-style tests and follow the project's existing test conventions.
        - Do not write or change implementation code. Do not run the tests. Commit nothing.
        """
    }

    /// The implementor's prompt: optional context (patterns, recommendations,
    /// lessons, file listing, project instructions) in priority order while
    /// it fits the budget, then the story itself, never truncated.
    public static func implement(_ story: LoopStory, feedback: String?, patterns: String?, recommendations: String?,
                                 lessons: [String], fileListing: [String], instructions: [(name: String, text: String)]) -> String {
        var core = """
        ## Story: \(story.title) (\(story.id))

        \(story.description ?? "")

        ## Acceptance Criteria
        \(story.criteria.map { "- " + $0 }.joined(separator: "\n"))
        """
        if let feedback, !feedback.isEmpty { core += "\n\n## Feedback from Previous Attempt\n\(feedback)" }
        core += """


        ## Instructions
        Implement the story so the acceptance tests pass. Do not write tests. Commit nothing.
        Fix any existing test your change breaks.
        """
        var candidates: [String] = []
        if let patterns, !patterns.isEmpty { candidates.append("## Codebase Patterns\n\(patterns)") }
        if let recommendations, !recommendations.isEmpty { candidates.append("## Prior Loop Recommendations\n\(recommendations.prefix(2000))") }
        if !lessons.isEmpty { candidates.append("## Lessons from Prior Loops\n" + lessons.prefix(5).joined(separator: "\n").prefix(3000)) }
        if !fileListing.isEmpty { candidates.append("## Project File Listing\n" + fileListing.prefix(50).joined(separator: "\n")) }
        for (name, text) in instructions where !text.isEmpty { candidates.append("## Project Instructions (\(name))\n\(text.prefix(2000))") }
        var context: [String] = []
        var used = 0
        for section in candidates where used + section.count <= contextBudget {
            context.append(section)
            used += section.count
        }
        return context.isEmpty ? core : context.joined(separator: "\n\n") + "\n\n---\n\n" + core
    }

    /// Asks the LLM for a PRD for `goal` in `LoopPRD`'s JSON shape.
    public static func planner(goal: String, listing: [String], context: [String], maxStories: Int) -> String {
        """
        You are a technical project planner. Break the goal into at most \(maxStories) small stories, ordered by dependency.
        Output ONLY JSON: {"title": "...", "stories": [{"id": "SHORT-1", "title": "...", "description": "...",
        "acceptance_criteria": ["..."], "priority": 1}]}. Ids are an uppercase prefix and a number. Do not use tools.

        ## Goal
        \(goal)

        ## Project files
        \(listing.prefix(100).joined(separator: "\n"))
        \(context.isEmpty ? "" : "\n## Context\n" + context.joined(separator: "\n\n").prefix(6000))
        """
    }

    /// The commit message of an implementation attempt; also the fixed
    /// string that finds the commit again after a crash.
    public static func attemptCommitMessage(loopId: String, storyId: String, attempt: Int, title: String) -> String {
        "feat: \(attemptMarker(loopId: loopId, storyId: storyId, attempt: attempt)) — \(title)"
    }

    public static func attemptMarker(loopId: String, storyId: String, attempt: Int) -> String {
        "[\(loopId)] [\(storyId)] attempt-\(attempt)"
    }

    public static func testsCommitMessage(loopId: String, storyId: String) -> String {
        "test: [\(loopId)] [\(storyId)] acceptance tests"
    }
}
