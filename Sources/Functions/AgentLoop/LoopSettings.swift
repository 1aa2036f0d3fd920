/// Everything fixed when a loop starts, stored once with the loop so the
/// events between stages carry only ids (no stage trusts a path or a tool
/// name that arrives in a later event).
public struct LoopSettings: Codable, Sendable, Equatable {
    public var loopId: String
    /// The project directory as given (absolute), and its normalised key.
    public var project: String
    public var projectKey: String
    /// The git repository holding the project, and the project's path inside it.
    public var repoRoot: String
    public var relativePath: String
    /// The loop's worktree root and the project directory inside it.
    public var worktree: String
    public var workDir: String
    public var branch: String
    public var targetBranch: String
    public var push: Bool
    /// Attempts per story before it is given up (at least 1).
    public var maxRetries: Int
    public var maxIterations: Int
    public var retryLadder: [String]
    /// Per story: the implementor tool for its first attempt.
    public var toolAssignments: [String: String]
    public var originSession: String?

    /// The tool for `attempt` (1-based): the story's assignment first, then the ladder.
    public func tool(storyId: String, attempt: Int) -> String {
        if attempt == 1, let assigned = toolAssignments[storyId] { return assigned }
        guard !retryLadder.isEmpty else { return "codex" }
        return retryLadder[min(max(attempt, 1) - 1, retryLadder.count - 1)]
    }
}
