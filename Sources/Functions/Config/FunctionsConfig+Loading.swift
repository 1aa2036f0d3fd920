import Foundation
import JSON

/// A configuration problem, named precisely enough to fix it without reading code.
public struct ConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { "configuration: \(message)" }
}

extension FunctionsConfig {
    /// Environment variables that override single settings. They win over the file.
    ///
    /// | variable | setting |
    /// |---|---|
    /// | `JOELCLAW_CONFIG` | path of the JSON file (default `$XDG_CONFIG_HOME/joelclaw/functions.json`, read only if present) |
    /// | `VAULT_PATH` | `vaultDir` |
    /// | `JOELCLAW_SYSTEM_LOG` | `systemLogPath` |
    /// | `JOELCLAW_SCRATCH_DIR` | `scratchDir` |
    /// | `JOELCLAW_FUNCTIONS_DB` | `databasePath` |
    /// | `JOELCLAW_RUN_DIR` | `runDir` |
    /// | `JOELCLAW_MEMORY_DIR` | `memoryLogDir` |
    /// | `JOELCLAW_NAS_HOST`, `JOELCLAW_NAS_ROOT` | `nas` (a host makes it an SSH destination) |
    /// | `JOELCLAW_YTDLP`, `JOELCLAW_TRANSCRIBER` | command argv, split on spaces |
    /// | `JOELCLAW_REPO_DIR` | `contentSync.repoDir` |
    /// | `ANTHROPIC_BASE_URL`, `JOELCLAW_LLM_MODEL` | `llm.baseURL`, `llm.model` |
    /// | `JOELCLAW_LLM_COMMAND` | `llm.command` (e.g. `pi -p --no-session`), split on spaces |
    /// | `JOELCLAW_WORKER_URL` | `health.workerURL` |
    /// | `QDRANT_URL`, `JOELCLAW_NOTIFY_URL` | `qdrantURL`, `notifyURL` |
    static let environmentOverrides: [(variable: String, path: [String], isCommand: Bool)] = [
        ("VAULT_PATH", ["vaultDir"], false),
        ("JOELCLAW_SYSTEM_LOG", ["systemLogPath"], false),
        ("JOELCLAW_SCRATCH_DIR", ["scratchDir"], false),
        ("JOELCLAW_FUNCTIONS_DB", ["databasePath"], false),
        ("JOELCLAW_RUN_DIR", ["runDir"], false),
        ("JOELCLAW_MEMORY_DIR", ["memoryLogDir"], false),
        ("JOELCLAW_NAS_HOST", ["nas", "host"], false),
        ("JOELCLAW_NAS_ROOT", ["nas", "root"], false),
        ("JOELCLAW_YTDLP", ["commands", "ytDlp"], true),
        ("JOELCLAW_TRANSCRIBER", ["commands", "transcriber"], true),
        ("JOELCLAW_REPO_DIR", ["contentSync", "repoDir"], false),
        ("ANTHROPIC_BASE_URL", ["llm", "baseURL"], false),
        ("JOELCLAW_LLM_MODEL", ["llm", "model"], false),
        ("JOELCLAW_LLM_COMMAND", ["llm", "command"], true),
        ("JOELCLAW_WORKER_URL", ["health", "workerURL"], false),
        ("QDRANT_URL", ["qdrantURL"], false),
        ("JOELCLAW_NOTIFY_URL", ["notifyURL"], false),
    ]

    /// Reads the JSON file (when present), applies environment overrides and
    /// fills every remaining setting with its documented default.
    public static func load(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> FunctionsConfig {
        var file = JSONObject()
        let explicit = environment["JOELCLAW_CONFIG"].flatMap { $0.isEmpty ? nil : $0 }
        let path = explicit ?? XDGPaths(environment: environment).configHome + "/joelclaw/functions.json"
        if FileManager.default.fileExists(atPath: path) {
            guard let data = FileManager.default.contents(atPath: path) else {
                throw ConfigError("cannot read \(path)")
            }
            let parsed: JSON
            do { parsed = try JSON(parsing: [UInt8](data)) } catch {
                throw ConfigError("\(path) is not valid JSON: \(error)")
            }
            guard case .object(let object) = parsed else { throw ConfigError("\(path) must hold a JSON object") }
            file = object
        } else if explicit != nil {
            throw ConfigError("JOELCLAW_CONFIG names \(path), which does not exist")
        }
        for override in environmentOverrides {
            guard let raw = environment[override.variable], !raw.isEmpty else { continue }
            let value: JSON = override.isCommand
                ? .array(raw.split(separator: " ").map { .string(String($0)) })
                : .string(raw)
            file.setValue(value, at: override.path)
        }
        return try FunctionsConfig(settings: file, environment: environment)
    }

    /// Builds a configuration from a settings object (the file's shape), with
    /// defaults for everything missing. Unknown keys are rejected so a typo
    /// never silently falls back to a default.
    public init(settings: JSONObject, environment: [String: String]) throws {
        let xdg = XDGPaths(environment: environment)
        let s = SettingsReader(settings, path: "")
        try s.rejectUnknown(["vaultDir", "systemLogPath", "scratchDir", "databasePath", "memoryLogDir", "nas",
                             "commands", "transcriberModel", "llm", "contentSync", "health", "qdrantURL",
                             "notifyURL", "commandTimeout", "agentLoop", "mediaInputDirs", "runDir"])
        let vault = try s.path("vaultDir", xdg) ?? xdg.home + "/Vault"
        let nasReader = try s.object("nas")
        try nasReader.rejectUnknown(["host", "root"])
        let nasRoot = try nasReader.path("root", xdg) ?? xdg.dataHome + "/joelclaw/video"
        let nas: NASDestination = try nasReader.string("host").map { .ssh(host: $0, root: nasRoot) } ?? .local(root: nasRoot)

        let commands = try s.object("commands")
        try commands.rejectUnknown(["ytDlp", "transcriber", "ssh", "scp", "git", "ffmpeg"])

        let llm = try s.object("llm")
        try llm.rejectUnknown(["baseURL", "model", "apiKeyEnv", "maxTokens", "timeout", "command"])

        let sync = try s.object("contentSync")
        try sync.rejectUnknown(["repoDir", "directories", "remote", "branch"])
        let repo = try sync.path("repoDir", xdg) ?? xdg.home + "/Code/joelclaw"
        let directories = try sync.directories("directories", xdg) ?? [
            ContentDirectory(name: "adrs", source: vault + "/docs/decisions",
                             destination: "apps/web/content/adrs", skipFiles: ["readme.md"]),
            ContentDirectory(name: "discoveries", source: vault + "/Resources/discoveries",
                             destination: "apps/web/content/discoveries", skipFiles: []),
        ]

        let health = try s.object("health")
        try health.rejectUnknown(["inventoryPath", "workerURL", "workerCountPath", "tailscaleCommand", "tailscalePeers", "expectedFunctionCount", "httpServices", "sshHosts", "timeout"])

        self.init(
            vaultDir: vault,
            systemLogPath: try s.path("systemLogPath", xdg) ?? vault + "/system/system-log.jsonl",
            scratchDir: try s.path("scratchDir", xdg) ?? xdg.tmp + "/joelclaw",
            databasePath: try s.path("databasePath", xdg) ?? xdg.stateHome + "/joelclaw/functions.sqlite",
            memoryLogDir: try s.path("memoryLogDir", xdg) ?? xdg.home + "/.joelclaw/workspace/memory",
            nas: nas,
            ytDlpCommand: try commands.command("ytDlp") ?? ["yt-dlp"],
            transcriberCommand: try commands.command("transcriber") ?? ["mlx_whisper"],
            transcriberModel: try s.string("transcriberModel") ?? "mlx-community/whisper-large-v3-turbo",
            sshCommand: try commands.command("ssh") ?? ["ssh"],
            scpCommand: try commands.command("scp") ?? ["scp"],
            gitCommand: try commands.command("git") ?? ["git"],
            llm: LLMConfig(baseURL: try llm.string("baseURL") ?? "https://api.anthropic.com",
                           model: try llm.string("model") ?? "claude-sonnet-4-20250514",
                           apiKeyEnv: try llm.string("apiKeyEnv") ?? "ANTHROPIC_API_KEY",
                           maxTokens: try llm.int("maxTokens") ?? 4096,
                           timeout: try llm.double("timeout") ?? 120,
                           command: try llm.command("command")),
            contentSync: ContentSyncConfig(repoDir: repo, directories: directories,
                                           remote: try sync.string("remote") ?? "origin",
                                           branch: try sync.string("branch") ?? "main"),
            health: HealthCheckConfig(inventoryPath: try health.path("inventoryPath", xdg) ?? xdg.configHome + "/joelclaw/inventory.json",
                                      workerURL: try health.string("workerURL") ?? "http://127.0.0.1:3111/api/inngest",
                                      workerCountPath: try health.string("workerCountPath") ?? "function_count",
                                      expectedFunctionCount: try health.int("expectedFunctionCount"),
                                      httpServices: try health.httpServices("httpServices") ?? [],
                                      sshHosts: try health.strings("sshHosts") ?? [],
                                      timeout: try health.double("timeout") ?? 5),
            qdrantURL: try s.string("qdrantURL"),
            notifyURL: try s.string("notifyURL"),
            commandTimeout: try s.double("commandTimeout") ?? 1800)
        ffmpegCommand = try commands.command("ffmpeg") ?? ["ffmpeg"]
        runDir = try s.path("runDir", xdg) ?? xdg.stateHome + "/joelclaw/run"
        extraMediaInputDirs = try (s.strings("mediaInputDirs") ?? []).map { dir in
            let expanded = xdg.expand(dir)
            guard expanded.hasPrefix("/") else { throw ConfigError("mediaInputDirs must hold absolute paths or ~/ paths, got \(dir)") }
            return expanded
        }
        self.health.tailscaleCommand = try health.command("tailscaleCommand")
        self.health.tailscalePeers = try health.strings("tailscalePeers") ?? []
        agentLoop = try AgentLoopConfig(try s.object("agentLoop"), scratchDir: scratchDir, xdg: xdg)
    }
}

extension JSONObject {
    /// Sets a value at a nested key path, creating intermediate objects.
    mutating func setValue(_ value: JSON, at path: [String]) {
        guard let first = path.first else { return }
        if path.count == 1 { self[first] = value; return }
        var child = self[first]?.objectValue ?? JSONObject()
        child.setValue(value, at: Array(path.dropFirst()))
        self[first] = .object(child)
    }
}
