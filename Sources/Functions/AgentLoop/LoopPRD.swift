/// A loop's plan: a title and the stories to implement, in the shape of a
/// `prd.json` file or of the planner LLM's answer. Unknown fields are ignored.
public struct LoopPRD: Codable, Sendable, Equatable {
    public var title: String
    public var description: String?
    public var stories: [LoopStory]

    public init(title: String, description: String? = nil, stories: [LoopStory]) {
        self.title = title
        self.description = description
        self.stories = stories
    }
}

public struct LoopStory: Codable, Sendable, Equatable {
    public var id: String
    public var title: String
    public var description: String?
    public var acceptance_criteria: [String]?
    /// Lower runs first; stories without one keep their file order after those with one.
    public var priority: Int?

    public init(id: String, title: String, description: String? = nil, acceptance_criteria: [String]? = nil, priority: Int? = nil) {
        self.id = id
        self.title = title
        self.description = description
        self.acceptance_criteria = acceptance_criteria
        self.priority = priority
    }

    public var criteria: [String] { acceptance_criteria ?? [] }
}

/// Where a story stands; the state store keeps one per story.
public enum StoryStatus: String, Codable, Sendable {
    case pending, running, passed, failed
}

/// A story as the state store tracks it (what `joelclaw loop status` shows).
public struct StoryRecord: Codable, Sendable, Equatable {
    public var story: LoopStory
    public var status: StoryStatus
    public var attempts: Int
    public var tool: String?
    public var lastResult: String?
}

/// What retro learned about a project, read by the next loop's planner.
public struct LoopRecommendations: Codable, Sendable, Equatable {
    public struct ToolRanking: Codable, Sendable, Equatable {
        public var tool: String
        public var passRate: Double
        public var avgAttempts: Double
    }
    public var toolRankings: [ToolRanking]
    public var retryPatterns: [String]
    public var suggestedRetryLadder: [String]
    public var lastUpdated: String
    public var sourceLoopId: String
}
