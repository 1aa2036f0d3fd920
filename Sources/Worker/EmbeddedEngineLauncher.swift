import Engine
import Foundation
import HTTP
import InngestProtocol
import Support
import WorkerSettings

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
        guard let (host, port) = configuration.engineAddress else {
            throw LauncherError("engine address \(configuration.string(.engineAddress).debugDescription) must be host:port")
        }
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
}

struct LauncherError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
