/// How the agent loop runs on this host: where worktrees and tool output go,
/// which coding agents exist, what proves a story in each project, and where
/// finished loops merge. See docs/agent-loop.md.
public struct AgentLoopConfig: Sendable, Equatable {
    /// Parent of each loop's git worktree (`<root>/<loopId>`). Default `<scratch>/agent-loop/worktrees`.
    public var worktreeRoot: String
    /// Prompts and tool output (`<dir>/<loopId>/…`), kept outside the worktree
    /// so nothing of ours is ever committed. Default `<scratch>/agent-loop/runs`.
    public var outputDir: String
    /// The branch a finished loop merges into. Default `main`. It is merged
    /// without a checkout, so a branch checked out in someone's working tree
    /// is refused rather than changed underneath them.
    public var targetBranch: String
    /// The remote a loop pushes the target branch to when its start event asks. Default `origin`.
    public var remote: String
    /// The coding agents by name (`codex`, `claude`, `pi` by default).
    public var tools: [String: CodingToolConfig]
    /// Tools tried per attempt when neither the start event nor a previous
    /// loop's recommendations say otherwise. Default `codex, claude, codex`.
    public var defaultLadder: [String]
    /// Commands that prove a story, per project directory; `"*"` applies to
    /// projects without their own entry. Default none: with no checks, no story passes.
    public var checks: [String: [CheckCommand]]
    /// Seconds a story claim lasts without renewal. Default 1800.
    public var leaseSeconds: Double
    /// Seconds loop state is kept after the loop starts. Default 7 days.
    public var stateTTLSeconds: Double
    /// What the judge decides when the LLM cannot be asked: `false` (default)
    /// fails the attempt, so an outage never lets unreviewed code merge.
    public var judgePassesWhenLLMUnavailable: Bool
    /// Seconds a check command may run. Default 600.
    public var checkTimeout: Double

    public init(worktreeRoot: String, outputDir: String, targetBranch: String = "main", remote: String = "origin",
                tools: [String: CodingToolConfig] = CodingToolConfig.defaults, defaultLadder: [String] = ["codex", "claude", "codex"],
                checks: [String: [CheckCommand]] = [:], leaseSeconds: Double = 1800, stateTTLSeconds: Double = 7 * 86_400,
                judgePassesWhenLLMUnavailable: Bool = false, checkTimeout: Double = 600) {
        self.worktreeRoot = worktreeRoot
        self.outputDir = outputDir
        self.targetBranch = targetBranch
        self.remote = remote
        self.tools = tools
        self.defaultLadder = defaultLadder
        self.checks = checks
        self.leaseSeconds = leaseSeconds
        self.stateTTLSeconds = stateTTLSeconds
        self.judgePassesWhenLLMUnavailable = judgePassesWhenLLMUnavailable
        self.checkTimeout = checkTimeout
    }

    /// The checks for `projectKey` (a normalised project path), else the `"*"` entry.
    public func checks(for projectKey: String) -> [CheckCommand] {
        checks[projectKey] ?? checks["*"] ?? []
    }
}

/// One coding agent: an argv that reads its prompt on standard input, run
/// with the story's worktree as its working directory.
public struct CodingToolConfig: Sendable, Equatable {
    public var argv: [String]
    /// Seconds before the tool's process group is stopped (TERM, then KILL).
    public var timeout: Double

    public init(argv: [String], timeout: Double) {
        self.argv = argv
        self.timeout = timeout
    }

    /// The three agents the loop knows, each reading the prompt from stdin.
    public static let defaults: [String: CodingToolConfig] = [
        "codex": CodingToolConfig(argv: ["codex", "exec", "--full-auto", "-"], timeout: 900),
        "claude": CodingToolConfig(argv: ["claude", "-p", "--output-format", "text", "--dangerously-skip-permissions"], timeout: 1200),
        "pi": CodingToolConfig(argv: ["pi", "--no-tui", "-p"], timeout: 1200),
    ]
}

/// A command run in the worktree during review. `kind` says which gate its
/// exit code feeds; test output is also parsed for pass/fail counts.
public struct CheckCommand: Sendable, Equatable, Codable {
    public enum Kind: String, Sendable, Codable { case typecheck, lint, test }
    public var kind: Kind
    public var argv: [String]

    public init(kind: Kind, argv: [String]) {
        self.kind = kind
        self.argv = argv
    }
}
