import Engine

extension WorkerOption {
    public static let engineOptions: [WorkerOption] = [engine, engineAddress, engineDatabase, engineKeys, engineOpen, engineSync,
                                                       engineRetentionDays]

    public static let engine = WorkerOption(flag: "engine", environment: "JOELCLAW_ENGINE", defaultValue: "auto",
                                            summary: "Inngest engine: auto (embedded unless INNGEST_DEV/INNGEST_BASE_URL/... is set), embedded, external",
                                            check: { ["auto", "embedded", "external"].contains($0) ? nil : "must be auto, embedded or external" })
    public static let engineAddress = WorkerOption(flag: "engine-address", environment: "JOELCLAW_ENGINE_ADDRESS",
                                                   defaultValue: EmbeddedEngineConfiguration.defaultAddress,
                                                   summary: "where the embedded engine's API listens",
                                                   check: { value in
        guard let (host, _) = EmbeddedEngineConfiguration.parseAddress(value), hostName(host) == nil else { return "must be host:port" }
        return nil
    })
    public static let engineDatabase = WorkerOption(flag: "engine-db", environment: "JOELCLAW_ENGINE_DB", defaultValue: "",
                                                    summary: "embedded engine SQLite file (empty: $XDG_STATE_HOME/joelclaw/engine.sqlite)",
                                                    check: filePath(allowEmpty: true))
    public static let engineKeys = WorkerOption(flag: "engine-keys", environment: "JOELCLAW_ENGINE_KEYS", defaultValue: "",
                                                summary: "embedded engine key file, created 0600 on first start (empty: engine-keys.json beside the database)",
                                                check: filePath(allowEmpty: true))
    public static let engineOpen = WorkerOption(flag: "engine-open", environment: "JOELCLAW_ENGINE_OPEN", defaultValue: "false",
                                                summary: "true runs the embedded engine without keys (development only: anyone may send events)",
                                                check: { ["true", "false"].contains($0) ? nil : "must be true or false" })
    public static let engineSync = WorkerOption(flag: "engine-sync", environment: "JOELCLAW_ENGINE_SYNC", defaultValue: "full",
                                                summary: "embedded engine commits: full (fsync per group commit; survives power loss) or normal (survives crashes only)",
                                                check: { ["full", "normal"].contains($0) ? nil : "must be full or normal" })
    public static let engineRetentionDays = WorkerOption(flag: "engine-retention-days", environment: "JOELCLAW_ENGINE_RETENTION_DAYS",
                                                         defaultValue: "30", summary: "days finished runs are kept (0: forever)",
                                                         check: integer(in: 0...36_500))
}
