/// An agent loop as the console shows it; `LoopConsole` fills these from
/// the functions' loop state store (the console knows nothing of the functions).
public struct ConsoleLoop: Sendable {
    public struct Story: Sendable {
        public var id: String
        public var title: String
        public var status: String
        public var attempts: Int
        public var tool: String?
        public var lastResult: String?
        public init(id: String, title: String, status: String, attempts: Int, tool: String?, lastResult: String?) {
            self.id = id; self.title = title; self.status = status; self.attempts = attempts; self.tool = tool; self.lastResult = lastResult
        }
    }

    public var id: String
    public var project: String
    public var title: String
    public var status: String
    public var reason: String?
    public var createdAt: Int64
    public var stories: [Story]

    public init(id: String, project: String, title: String, status: String, reason: String?, createdAt: Int64, stories: [Story]) {
        self.id = id; self.project = project; self.title = title; self.status = status; self.reason = reason
        self.createdAt = createdAt; self.stories = stories
    }
}
