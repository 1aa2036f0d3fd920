import Foundation
import Subprocess
import HTTP
import JSON
import Ops

/// Everything the functions touch outside their own memory, built once at
/// start-up from the configuration. Tests build the same value with the
/// same real implementations pointed at temporary directories and loopback
/// servers.
public struct FunctionServices: Sendable {
    public var config: FunctionsConfig
    public var commands: any CommandRunner
    public var http: any HTTPClient
    public var llm: any LLMClient
    public var transcriber: any Transcriber
    public var transfer: any FileTransfer
    public var vault: any Vault
    public var systemLog: any SystemLog
    /// Nil when no notify URL is configured: notifications are skipped.
    public var notifier: (any Notifier)?
    public var database: FunctionsDatabase
    public var observations: any ObservationStore
    /// Nil unless a Qdrant URL is configured.
    public var observationIndex: (any ObservationIndex)?
    public var healthChecker: HealthChecker
    /// A git repository at a path (the content repo).
    public var git: @Sendable (String) -> any GitRepository
    public var now: @Sendable () -> Date

    public init(config: FunctionsConfig, commands: any CommandRunner, http: any HTTPClient, llm: any LLMClient,
                transcriber: any Transcriber, transfer: any FileTransfer, vault: any Vault, systemLog: any SystemLog,
                notifier: (any Notifier)?, database: FunctionsDatabase, observations: any ObservationStore,
                observationIndex: (any ObservationIndex)? = nil, healthChecker: HealthChecker, git: @escaping @Sendable (String) -> any GitRepository,
                now: @escaping @Sendable () -> Date) {
        self.config = config
        self.commands = commands
        self.http = http
        self.llm = llm
        self.transcriber = transcriber
        self.transfer = transfer
        self.vault = vault
        self.systemLog = systemLog
        self.notifier = notifier
        self.database = database
        self.observations = observations
        self.observationIndex = observationIndex
        self.healthChecker = healthChecker
        self.git = git
        self.now = now
    }

    /// The real services for `config`. `environment` supplies the LLM key
    /// (read from the variable the config names, never from a file).
    public static func live(config: FunctionsConfig, http: any HTTPClient,
                            environment: [String: String] = ProcessInfo.processInfo.environment) throws -> FunctionServices {
        // Programs a killed predecessor left running (macOS has no parent-death
        // signal) are ended before this worker starts its own.
        let groups = ProcessGroupRecord(directory: config.runDir + "/process-groups")
        groups.endLeftovers()
        let runner = ProcessCommandRunner(groupRecord: groups)
        let database = try FunctionsDatabase(path: config.databasePath)
        let gitCommand = config.gitCommand
        return FunctionServices(
            config: config,
            commands: runner,
            http: http,
            llm: config.llm.command.map { CommandLLMClient(command: $0, runner: runner, timeout: config.llm.timeout) as any LLMClient }
                ?? AnthropicMessagesClient(config: config.llm, apiKey: environment[config.llm.apiKeyEnv], http: http),
            transcriber: CommandTranscriber(command: config.transcriberCommand, model: config.transcriberModel,
                                            runner: runner, timeout: config.commandTimeout),
            transfer: NASFileTransfer(destination: config.nas, ssh: config.sshCommand, scp: config.scpCommand,
                                      runner: runner, timeout: config.commandTimeout),
            vault: FileVault(root: config.vaultDir, lockDirectory: config.runDir + "/locks"),
            systemLog: JSONLinesSystemLog(path: config.systemLogPath),
            notifier: config.notifyURL.map { HTTPGatewayNotifier(url: $0, http: http) },
            database: database,
            observations: SQLiteObservationStore(database: database),
            observationIndex: config.qdrantURL.map { QdrantObservationIndex(baseURL: $0, http: http) },
            healthChecker: HealthChecker(commands: runner, http: http),
            git: { GitCLIRepository(directory: $0, git: gitCommand, runner: runner) },
            now: { Date() })
    }

    /// Sends a gateway notification if one is configured; failures are
    /// reported in the result, never thrown (notifications are best effort).
    func notify(_ type: String, _ payload: JSON) async -> NotifyOutcome {
        guard let notifier else { return NotifyOutcome(sent: false, error: nil) }
        do {
            try await notifier.notify(type: type, payload: payload)
            return NotifyOutcome(sent: true, error: nil)
        } catch {
            return NotifyOutcome(sent: false, error: "\(error)")
        }
    }

    /// Appends a system-log line stamped now.
    func log(id: String, action: String, tool: String, detail: String, reason: String? = nil) throws {
        try systemLog.append(SystemLogEntry(id: id, timestamp: TimeFormat.iso8601(now()), action: action, tool: tool,
                                            detail: detail, reason: reason))
    }
}

/// What a best-effort notification step did, kept as its memoized result.
public struct NotifyOutcome: Sendable, Codable, Equatable {
    public var sent: Bool
    public var error: String?
}
