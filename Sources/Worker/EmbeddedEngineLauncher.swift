import Engine
import Foundation
import HTTP
import InngestProtocol
import Support

/// Chooses between an external Inngest server and the embedded engine, and
/// runs the embedded one when chosen.
///
/// Rule: with `--engine auto` (the default) the embedded engine runs unless an
/// Inngest server is configured through `INNGEST_DEV`, `INNGEST_BASE_URL`,
/// `INNGEST_API_BASE_URL` or `INNGEST_EVENT_API_BASE_URL`; `embedded` and
/// `external` force the choice. When embedded, the worker's SDK is pointed at
/// the engine by exporting `INNGEST_BASE_URL=<engine URL>` (signed calls,
/// verified as against `inngest start`), or `INNGEST_DEV=<engine URL>` in the
/// open mode, before anything reads the Inngest configuration.
///
/// Closed by default: without `INNGEST_SIGNING_KEY`, the engine's keys come from
/// its key file (`EngineKeys`, generated on first start); only `--engine-open`
/// runs it without keys, with a warning.
final class EmbeddedEngineLauncher: @unchecked Sendable {

    /// nil when an external server is used.
    let engineConfiguration: EmbeddedEngineConfiguration?
    /// One line for the log saying which engine is in use and why.
    private(set) var summary: String
    private(set) var engine: EmbeddedEngine?
    /// The keys from the engine's key file, which the worker's SDK uses too (not
    /// exported to the process environment, so spawned tools never see them).
    private(set) var generatedKeys: EngineKeys?

    init(engineConfiguration: EmbeddedEngineConfiguration?, summary: String) {
        self.engineConfiguration = engineConfiguration
        self.summary = summary
    }

    /// Decides which engine to use; when embedded, opens its database and binds its
    /// API now (so its address is known before the SDK is configured) without
    /// dispatching anything until `beginDispatching()`, called once the worker listens.
    static func prepare(configuration: WorkerConfiguration, environment: [String: String], logger: Logger) throws -> EmbeddedEngineLauncher {
        let mode = configuration.string(.engine)
        let configured = InngestConfiguration.configuredServerVariables(in: environment)
        if mode == "external" || (mode == "auto" && !configured.isEmpty) {
            let target = configured.first.map { "\($0)=\(environment[$0] ?? "")" } ?? "the SDK's default (Inngest Cloud)"
            return EmbeddedEngineLauncher(engineConfiguration: nil, summary: "using an external Inngest server (\(target))")
        }
        var launcherKeys: EngineKeys?
        var engineConfiguration = EmbeddedEngineConfiguration(
            databasePath: configuration.string(.engineDatabase).isEmpty
                ? EmbeddedEngineConfiguration.defaultDatabasePath(environment: environment)
                : configuration.string(.engineDatabase))
        let (host, port) = try Self.address(configuration.string(.engineAddress))
        engineConfiguration.host = host
        engineConfiguration.port = port
        engineConfiguration.synchronous = configuration.string(.engineSync) == "normal" ? .normal : .full
        engineConfiguration.retentionDays = configuration.int(.engineRetentionDays)
        var keyNote = ""
        if let key = environment["INNGEST_SIGNING_KEY"], !key.isEmpty {
            engineConfiguration.signingKey = key
            if let key = environment["INNGEST_EVENT_KEY"], !key.isEmpty { engineConfiguration.eventKeys = [key] }
            keyNote = "keys from INNGEST_SIGNING_KEY/INNGEST_EVENT_KEY"
        } else if configuration.string(.engineOpen) == "true" {
            logger.warn("embedded engine in OPEN mode (--engine-open): calls are unsigned and anyone who can reach its address may send events, register functions and read runs")
            keyNote = "open mode, no keys"
        } else {
            let path = configuration.string(.engineKeys).isEmpty
                ? EngineKeys.defaultPath(databasePath: engineConfiguration.databasePath)
                : configuration.string(.engineKeys)
            let (keys, created) = try EngineKeys.loadOrCreate(path: path)
            engineConfiguration.signingKey = keys.signingKey
            engineConfiguration.eventKeys = [keys.eventKey]
            launcherKeys = keys
            keyNote = (created ? "new keys written to " : "keys from ") + path
        }

        let why = mode == "embedded" ? "--engine embedded" : "no Inngest server configured"
        let launcher = EmbeddedEngineLauncher(engineConfiguration: engineConfiguration, summary: "")
        launcher.generatedKeys = launcherKeys
        try launcher.bind(logger: logger)
        let url = launcher.engine?.baseURL ?? engineConfiguration.baseURL
        Self.pointSDK(at: url, signed: engineConfiguration.signingKey != nil)
        launcher.summary = "using the embedded Inngest engine at \(url) (\(why)); database \(engineConfiguration.databasePath); \(keyNote)"
        return launcher
    }

    /// Logs the choice and lets the embedded engine dispatch (call once the worker
    /// listens, so resumed runs can reach it).
    func beginDispatching(logger: Logger) {
        logger.info(summary)
        engine?.beginDispatching()
    }

    private func bind(logger: Logger) throws {
        guard let engineConfiguration else { return }
        let engineLogger = logger.with(["component": "engine"])
        // Keep-alive socket client: the engine calls the worker several times per run.
        let engine = EmbeddedEngine(configuration: engineConfiguration, client: SocketHTTPClient(configuration: .init(maxIdlePerHost: 64)),
                                    logger: engineLogger)
        try engine.start(dispatching: false)
        self.engine = engine
    }

    func stop() async { await engine?.stop() }

    /// `environment` with the SDK pointed at the embedded engine (unchanged when external).
    func sdkEnvironment(_ environment: [String: String]) -> [String: String] {
        guard engineConfiguration != nil, let engine else { return environment }
        return EmbeddedEngineClientEnvironment.pointing(environment, at: engine.baseURL, keys: generatedKeys)
    }

    /// Exports the variable the SDK reads: `INNGEST_DEV=<url>` (dev mode, unsigned), or
    /// `INNGEST_BASE_URL=<url>` with a signing key (cloud mode: signed calls, verified).
    private static func pointSDK(at url: String, signed: Bool) {
        setenv(signed ? "INNGEST_BASE_URL" : "INNGEST_DEV", url, 1)
    }

    /// `host:port`, `[v6]:port` or `:port` (see `EmbeddedEngineConfiguration.parseAddress`).
    static func address(_ text: String) throws -> (String, Int) {
        guard let address = EmbeddedEngineConfiguration.parseAddress(text) else {
            throw LauncherError("engine address \(text.debugDescription) must be host:port")
        }
        return address
    }
}

struct LauncherError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

extension WorkerOption {
    static let engineOptions: [WorkerOption] = [engine, engineAddress, engineDatabase, engineKeys, engineOpen, engineSync,
                                                engineRetentionDays]

    static let engine = WorkerOption(flag: "engine", environment: "JOELCLAW_ENGINE", defaultValue: "auto",
                                     summary: "Inngest engine: auto (embedded unless INNGEST_DEV/INNGEST_BASE_URL/... is set), embedded, external",
                                     check: { ["auto", "embedded", "external"].contains($0) ? nil : "must be auto, embedded or external" })
    static let engineAddress = WorkerOption(flag: "engine-address", environment: "JOELCLAW_ENGINE_ADDRESS",
                                            defaultValue: EmbeddedEngineConfiguration.defaultAddress,
                                            summary: "where the embedded engine's API listens",
                                            check: { (try? EmbeddedEngineLauncher.address($0)) == nil ? "must be host:port" : nil })
    static let engineDatabase = WorkerOption(flag: "engine-db", environment: "JOELCLAW_ENGINE_DB", defaultValue: "",
                                             summary: "embedded engine SQLite file (empty: $XDG_STATE_HOME/joelclaw/engine.sqlite)",
                                             check: { _ in nil })
    static let engineKeys = WorkerOption(flag: "engine-keys", environment: "JOELCLAW_ENGINE_KEYS", defaultValue: "",
                                         summary: "embedded engine key file, created 0600 on first start (empty: engine-keys.json beside the database)",
                                         check: { _ in nil })
    static let engineOpen = WorkerOption(flag: "engine-open", environment: "JOELCLAW_ENGINE_OPEN", defaultValue: "false",
                                         summary: "true runs the embedded engine without keys (development only: anyone may send events)",
                                         check: { ["true", "false"].contains($0) ? nil : "must be true or false" })
    static let engineSync = WorkerOption(flag: "engine-sync", environment: "JOELCLAW_ENGINE_SYNC", defaultValue: "full",
                                         summary: "embedded engine commits: full (fsync per group commit; survives power loss) or normal (survives crashes only)",
                                         check: { ["full", "normal"].contains($0) ? nil : "must be full or normal" })
    static let engineRetentionDays = WorkerOption(flag: "engine-retention-days", environment: "JOELCLAW_ENGINE_RETENTION_DAYS",
                                                  defaultValue: "30", summary: "days finished runs are kept (0: forever)",
                                                  check: integer(in: 0...36_500))
}
