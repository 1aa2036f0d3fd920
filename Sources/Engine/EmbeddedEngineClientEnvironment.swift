/// How a client on this machine (`joelclaw`) reaches the embedded engine that
/// the worker runs when no Inngest server is configured, by the worker's own
/// rule: the engine listens at `JOELCLAW_ENGINE_ADDRESS` (default
/// `127.0.0.1:8288`); with `INNGEST_SIGNING_KEY` set, that key (and
/// `INNGEST_EVENT_KEY`) are the engine's; otherwise its key file holds them
/// (`JOELCLAW_ENGINE_KEYS`, default `engine-keys.json` beside
/// `JOELCLAW_ENGINE_DB`); without a key file the engine is open (or not yet started).
public enum EmbeddedEngineClientEnvironment {
    /// `environment` plus the variables the Inngest SDK reads to reach the engine:
    /// `INNGEST_BASE_URL` and the keys when it is closed, `INNGEST_DEV` when open.
    /// Throws when the address is malformed or the key file is unusable.
    public static func adjusted(_ environment: [String: String]) throws -> [String: String] {
        func value(_ name: String) -> String? { environment[name].flatMap { $0.isEmpty ? nil : $0 } }
        let addressText = value("JOELCLAW_ENGINE_ADDRESS") ?? EmbeddedEngineConfiguration.defaultAddress
        guard let address = EmbeddedEngineConfiguration.parseAddress(addressText) else {
            throw EngineKeysError("JOELCLAW_ENGINE_ADDRESS=\(addressText) must be host:port")
        }
        var configuration = EmbeddedEngineConfiguration(databasePath: "")
        configuration.host = address.host == "0.0.0.0" || address.host == "::" ? "127.0.0.1" : address.host
        configuration.port = address.port
        let keys = value("INNGEST_SIGNING_KEY") != nil ? nil : try EngineKeys.load(path: keyFilePath(environment))
        return pointing(environment, at: configuration.baseURL, keys: keys)
    }

    /// The one rule, shared with the worker: `environment` with the SDK pointed at
    /// the engine at `baseURL`. Closed (key-file `keys`, or `INNGEST_SIGNING_KEY`
    /// already set): `INNGEST_BASE_URL`, so calls are signed and verified, plus the
    /// file's keys. Open: `INNGEST_DEV`.
    public static func pointing(_ environment: [String: String], at baseURL: String, keys: EngineKeys?) -> [String: String] {
        var adjusted = environment
        if let keys {
            adjusted["INNGEST_BASE_URL"] = baseURL
            adjusted["INNGEST_SIGNING_KEY"] = keys.signingKey
            adjusted["INNGEST_EVENT_KEY"] = keys.eventKey
        } else if !(environment["INNGEST_SIGNING_KEY"] ?? "").isEmpty {
            adjusted["INNGEST_BASE_URL"] = baseURL
        } else {
            adjusted["INNGEST_DEV"] = baseURL
        }
        return adjusted
    }

    /// `JOELCLAW_ENGINE_KEYS`, else `engine-keys.json` beside `JOELCLAW_ENGINE_DB`
    /// or the default database: where the worker keeps the keys when no flag says otherwise.
    public static func keyFilePath(_ environment: [String: String]) -> String {
        if let path = environment["JOELCLAW_ENGINE_KEYS"], !path.isEmpty { return path }
        let database = environment["JOELCLAW_ENGINE_DB"].flatMap { $0.isEmpty ? nil : $0 }
            ?? EmbeddedEngineConfiguration.defaultDatabasePath(environment: environment)
        return EngineKeys.defaultPath(databasePath: database)
    }
}
