/// The author and committer of commits a function makes, whatever the host's
/// git configuration says (the agent loop's commits are told apart by it).
public struct GitCommitter: Sendable, Equatable {
    public var name: String
    public var email: String

    public init(name: String, email: String) {
        self.name = name
        self.email = email
    }

    /// The agent loop's identity on every commit it makes.
    public static let agentLoop = GitCommitter(name: "agent-loop", email: "agent-loop@localhost")

    /// The variables git reads before any configuration file.
    public var environment: [String: String] {
        ["GIT_AUTHOR_NAME": name, "GIT_AUTHOR_EMAIL": email, "GIT_COMMITTER_NAME": name, "GIT_COMMITTER_EMAIL": email]
    }
}
