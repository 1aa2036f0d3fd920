import Foundation

/// Everything the ported functions need to know about the host: paths, hosts,
/// commands and models. Nothing here names a person's home directory; every
/// default is derived at run time from `HOME` and the XDG variables (see
/// `FunctionsConfig.defaults(environment:)`), then a JSON file and environment
/// overrides are applied on top (see `FunctionsConfig.load`).
public struct FunctionsConfig: Sendable, Equatable {
    /// Obsidian vault root. Video notes go to `<vault>/Resources/videos`, daily
    /// notes to `<vault>/Daily`. Default `$HOME/Vault` (`VAULT_PATH`).
    public var vaultDir: String
    /// The append-only JSON-lines system log. Default `<vault>/system/system-log.jsonl`.
    public var systemLogPath: String
    /// Scratch space for downloads and transcripts; each run gets its own
    /// subdirectory. Default `$TMPDIR/joelclaw` (`/tmp/joelclaw`).
    public var scratchDir: String
    /// The SQLite file holding observations, dedupe locks and health state.
    /// Default `$XDG_STATE_HOME/joelclaw/functions.sqlite`.
    public var databasePath: String
    /// Run-time state that must not live in the vault: lock files (`locks/`)
    /// and the record of spawned process groups. Default `$XDG_STATE_HOME/joelclaw/run`.
    public var runDir: String
    /// Daily observation logs (`<date>.md`). Default `$HOME/.joelclaw/workspace/memory`.
    public var memoryLogDir: String
    /// Where downloaded videos are archived: `<root>/<year>/<slug>/`.
    public var nas: NASDestination
    /// `yt-dlp` argv prefix. Default `["yt-dlp"]`.
    public var ytDlpCommand: [String]
    /// Transcriber argv prefix, called as `<cmd> --model M --output-format json
    /// --output-dir D <audio>`. Default `["mlx_whisper"]`.
    public var transcriberCommand: [String]
    /// Default `mlx-community/whisper-large-v3-turbo`.
    public var transcriberModel: String
    /// Default `["ssh"]` and `["scp"]`; used for the NAS and SSH health probes.
    public var sshCommand: [String]
    public var scpCommand: [String]
    /// Default `["git"]`.
    public var gitCommand: [String]
    /// Grabs screenshots from videos. Default `["ffmpeg"]`.
    public var ffmpegCommand: [String] = ["ffmpeg"]
    public var llm: LLMConfig
    public var contentSync: ContentSyncConfig
    public var health: HealthCheckConfig
    /// Optional Qdrant base URL (e.g. `http://127.0.0.1:6333`); observations
    /// are also written there when set. Default none (SQLite FTS5 only).
    public var qdrantURL: String?
    /// Optional URL that receives gateway notifications (a JSON `SystemEvent`
    /// per POST). Default none: notifications are skipped.
    public var notifyURL: String?
    /// Seconds a single external command may run before its process group is
    /// killed. Default 1800 (downloads and transcription are slow).
    public var commandTimeout: Double
    /// The agent loop: worktrees, coding tools, checks, merge target.
    public var agentLoop: AgentLoopConfig
    /// Folders besides the scratch folder and a local archive from which
    /// `pipeline/transcript.requested` may read its `audioPath` (e.g. a
    /// recordings folder). Default none.
    public var extraMediaInputDirs: [String] = []

    /// Where an `audioPath` from event data may point: the scratch folder
    /// (downloads land there), the archive when it is a local folder, and
    /// `extraMediaInputDirs`. Anything else (`/etc/…`, a link leading out) is refused.
    public var mediaInputRoots: [String] {
        var roots = [scratchDir]
        if case .local(let root) = nas { roots.append(root) }
        return roots + extraMediaInputDirs
    }

    public init(vaultDir: String, systemLogPath: String, scratchDir: String, databasePath: String,
                memoryLogDir: String, nas: NASDestination, ytDlpCommand: [String],
                transcriberCommand: [String], transcriberModel: String, sshCommand: [String],
                scpCommand: [String], gitCommand: [String], llm: LLMConfig,
                contentSync: ContentSyncConfig, health: HealthCheckConfig, qdrantURL: String?,
                notifyURL: String?, commandTimeout: Double) {
        self.vaultDir = vaultDir
        self.systemLogPath = systemLogPath
        self.scratchDir = scratchDir
        self.databasePath = databasePath
        self.runDir = (databasePath as NSString).deletingLastPathComponent + "/run"
        self.memoryLogDir = memoryLogDir
        self.nas = nas
        self.ytDlpCommand = ytDlpCommand
        self.transcriberCommand = transcriberCommand
        self.transcriberModel = transcriberModel
        self.sshCommand = sshCommand
        self.scpCommand = scpCommand
        self.gitCommand = gitCommand
        self.llm = llm
        self.contentSync = contentSync
        self.health = health
        self.qdrantURL = qdrantURL
        self.notifyURL = notifyURL
        self.commandTimeout = commandTimeout
        self.agentLoop = AgentLoopConfig(worktreeRoot: scratchDir + "/agent-loop/worktrees", outputDir: scratchDir + "/agent-loop/runs")
    }
}

/// The video archive: a directory on this machine, or a path on an SSH host.
public enum NASDestination: Sendable, Equatable {
    case local(root: String)
    case ssh(host: String, root: String)

    public var root: String {
        switch self {
        case .local(let root), .ssh(_, let root): return root
        }
    }
}

/// The LLM used by summarize and observe: an Anthropic Messages API endpoint,
/// or (when `command` is set) a command-line agent such as `pi -p`.
public struct LLMConfig: Sendable, Equatable {
    /// When set, prompts go to this argv (prompt appended as the last
    /// argument, answer read from stdout) instead of the HTTP API. Default none.
    public var command: [String]?
    /// Default `https://api.anthropic.com`.
    public var baseURL: String
    /// Default `claude-sonnet-4-20250514`.
    public var model: String
    /// The *name* of the environment variable holding the key (the key itself
    /// never sits in a config file). Default `ANTHROPIC_API_KEY`.
    public var apiKeyEnv: String
    /// Default 4096.
    public var maxTokens: Int
    /// Seconds per request. Default 120.
    public var timeout: Double

    public init(baseURL: String, model: String, apiKeyEnv: String, maxTokens: Int, timeout: Double, command: [String]? = nil) {
        self.command = command
        self.baseURL = baseURL
        self.model = model
        self.apiKeyEnv = apiKeyEnv
        self.maxTokens = maxTokens
        self.timeout = timeout
    }
}

/// The website repository that ADRs and discoveries are copied into.
public struct ContentSyncConfig: Sendable, Equatable {
    /// Working tree of the website monorepo. Default `$HOME/Code/joelclaw`.
    public var repoDir: String
    /// Directories copied into the repo (source absolute, destination relative to `repoDir`).
    public var directories: [ContentDirectory]
    /// Remote pushed to. Default `origin`.
    public var remote: String
    /// Branch pushed. Default `main`.
    public var branch: String

    public init(repoDir: String, directories: [ContentDirectory], remote: String, branch: String) {
        self.repoDir = repoDir
        self.directories = directories
        self.remote = remote
        self.branch = branch
    }
}

public struct ContentDirectory: Sendable, Equatable {
    /// `adrs` or `discoveries`: the label used in commit messages.
    public var name: String
    public var source: String
    /// Relative to the repository root.
    public var destination: String
    /// Lowercased file names never copied nor deleted (e.g. `readme.md`).
    public var skipFiles: [String]

    public init(name: String, source: String, destination: String, skipFiles: [String]) {
        self.name = name
        self.source = source
        self.destination = destination
        self.skipFiles = skipFiles
    }
}

/// What `system/health-check` probes besides the ops inventory.
public struct HealthCheckConfig: Sendable, Equatable {
    /// The ops inventory (`joelclaw status` reads the same file); every service
    /// in it is checked. Default `$XDG_CONFIG_HOME/joelclaw/inventory.json`,
    /// skipped when absent.
    public var inventoryPath: String
    /// The worker's own serve endpoint, whose unauthenticated `GET` answers
    /// `{"function_count": N, …}`. Default `http://127.0.0.1:3111/api/inngest`.
    public var workerURL: String
    /// Dotted path of the function count in that body. Default `function_count`.
    public var workerCountPath: String
    /// Expected function count at `workerURL`; nil means "the number this worker registers".
    public var expectedFunctionCount: Int?
    /// Remote HTTP services (pdf-brain and the like): 2xx means healthy.
    public var httpServices: [HTTPServiceCheck]
    /// SSH hosts (`host` or `host:port`, a `user@` prefix is ignored) whose
    /// sshd must answer with its banner (no login, no keys needed).
    public var sshHosts: [String]
    /// Seconds per probe before it counts as failed. Default 5.
    public var timeout: Double
    /// `tailscale` argv prefix; when set, `<cmd> status --json` is read and
    /// each peer's `Online` flag checked. Default none (not checked).
    public var tailscaleCommand: [String]? = nil
    /// Tailnet host names that must be online; empty means every peer. Default empty.
    public var tailscalePeers: [String] = []

    public init(inventoryPath: String, workerURL: String, workerCountPath: String = "function_count", expectedFunctionCount: Int?,
                httpServices: [HTTPServiceCheck], sshHosts: [String], timeout: Double) {
        self.inventoryPath = inventoryPath
        self.workerURL = workerURL
        self.workerCountPath = workerCountPath
        self.expectedFunctionCount = expectedFunctionCount
        self.httpServices = httpServices
        self.sshHosts = sshHosts
        self.timeout = timeout
    }
}

public struct HTTPServiceCheck: Sendable, Equatable {
    public var name: String
    public var url: String
    public init(name: String, url: String) {
        self.name = name
        self.url = url
    }
}
