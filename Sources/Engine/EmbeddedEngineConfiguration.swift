import Foundation
import SQLite

/// Everything the embedded engine needs to run; defaults suit one machine.
public struct EmbeddedEngineConfiguration: Sendable {
    /// Address of the engine's API (the Inngest dev server's default).
    public var host = "127.0.0.1"
    public var port = 8288
    /// SQLite file holding events, runs and timers.
    public var databasePath: String
    /// When set, worker calls are signed and /fn/register, /v0 and /v1 need
    /// `Authorization: Bearer` with this key (or its hashed form).
    public var signingKey: String?
    /// Accepted keys for `POST /e/{key}`; empty accepts any key.
    public var eventKeys: [String] = []
    /// `full` survives power loss (an fsync per commit); `normal` survives a
    /// process crash, which is what `kill -9` tests, and is faster.
    public var synchronous: SQLiteDatabase.Synchronous = .full
    public var clock: any EngineClock = SystemClock()
    /// nil = ULIDs from `clock`.
    public var ids: (any IDGenerator)?
    public var settings = EngineSettings()
    /// Finished runs and unreferenced events older than this are deleted
    /// (hourly, and at start); 0 keeps everything.
    public var retentionDays = 30
    public var limits = EngineAPI.Limits()

    public init(databasePath: String = EmbeddedEngineConfiguration.defaultDatabasePath()) {
        self.databasePath = databasePath
    }

    /// `$XDG_STATE_HOME/joelclaw/engine.sqlite`, else `$HOME/.local/state/joelclaw/engine.sqlite`,
    /// else `./joelclaw-engine.sqlite` when no home is known.
    public static func defaultDatabasePath(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let state = environment["XDG_STATE_HOME"], !state.isEmpty { return state + "/joelclaw/engine.sqlite" }
        if let home = environment["HOME"], !home.isEmpty { return home + "/.local/state/joelclaw/engine.sqlite" }
        return "joelclaw-engine.sqlite"
    }

    /// `http://host:port`, what SDKs use as their API and event base URL.
    public var baseURL: String {
        let h = host.contains(":") ? "[\(host)]" : host
        return "http://\(h):\(port)"
    }

    /// The default `host:port` of the API, as `--engine-address` writes it.
    public static var defaultAddress: String {
        let defaults = EmbeddedEngineConfiguration(databasePath: "")
        return "\(defaults.host):\(defaults.port)"
    }

    /// `host:port`, `[v6]:port` or `:port` (host 127.0.0.1), as `--engine-address` and
    /// `JOELCLAW_ENGINE_ADDRESS` take it; nil when it is not that.
    public static func parseAddress(_ text: String) -> (host: String, port: Int)? {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]),
              (0...65_535).contains(port) else { return nil }
        var host = String(text[..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        return (host.isEmpty ? "127.0.0.1" : host, port)
    }
}
