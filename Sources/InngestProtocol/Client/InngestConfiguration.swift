import Foundation

/// Dev server or Inngest Cloud (or a self-hosted `inngest start`, which behaves as Cloud).
public enum InngestMode: String, Sendable {
    /// No signatures are required or checked; the dev server's defaults apply.
    case dev
    /// Every call must carry a valid `X-Inngest-Signature`; responses are signed.
    case cloud
}

/// How the SDK reaches Inngest and proves who it is, read from environment
/// variables (or set directly, for tests and embedding).
///
/// ## Environment variables
/// - `INNGEST_DEV`: unset, empty, `0` or `false` ⇒ **cloud** mode. `1` or `true` ⇒
///   dev mode against `http://127.0.0.1:8288`. Any other value is the dev
///   server's origin (`http://` is assumed when there is no scheme, so
///   `localhost:8288` works) ⇒ dev mode against it. So `INNGEST_DEV=0` means
///   cloud (as in the JS and Python SDKs; the Go SDK treats it as dev).
/// - `INNGEST_SIGNING_KEY`, `INNGEST_SIGNING_KEY_FALLBACK`: hex keys, optionally
///   prefixed `signkey-<env>-`. Required in cloud mode; a non-hex key is a
///   configuration error.
/// - `INNGEST_EVENT_KEY`: key for sending events (dev mode uses `NO_EVENT_KEY_SET` when unset).
/// - `INNGEST_ENV`: branch environment name, sent as `X-Inngest-Env`.
/// - API origin, first set wins: `INNGEST_API_BASE_URL`, `INNGEST_BASE_URL`,
///   the `INNGEST_DEV` origin, then the default (`http://127.0.0.1:8288` in dev,
///   `https://api.inngest.com` in cloud).
/// - Event API origin, first set wins: `INNGEST_EVENT_API_BASE_URL`,
///   `INNGEST_BASE_URL`, the `INNGEST_DEV` origin, then the default
///   (`http://127.0.0.1:8288` in dev, `https://inn.gs` in cloud).
///   For a self-hosted server with signing, leave `INNGEST_DEV` unset and set
///   `INNGEST_BASE_URL` plus the keys.
/// - `INNGEST_SERVE_ORIGIN`, `INNGEST_SERVE_PATH`: override the origin (scheme
///   `https://` assumed when missing) and path of the URL this app advertises at sync.
public struct InngestConfiguration: Sendable {
    public var mode: InngestMode
    public var signingKey: SigningKey?
    public var signingKeyFallback: SigningKey?
    public var eventKey: String?
    /// Branch environment name (`X-Inngest-Env`).
    public var environmentName: String?
    /// Origin of the REST API (`/fn/register`, `/v0/runs/…`), without a trailing slash.
    public var apiBaseURL: String
    /// Origin of the event API (`/e/{key}`), without a trailing slash.
    public var eventAPIBaseURL: String
    public var serveOrigin: String?
    public var servePath: String?

    public static let devServerDefaultOrigin = "http://127.0.0.1:8288"
    public static let cloudAPIOrigin = "https://api.inngest.com"
    public static let cloudEventAPIOrigin = "https://inn.gs"
    /// The event key the dev server accepts when none is configured.
    public static let devEventKey = "NO_EVENT_KEY_SET"

    public init(mode: InngestMode, signingKey: SigningKey? = nil, signingKeyFallback: SigningKey? = nil,
                eventKey: String? = nil, environmentName: String? = nil,
                apiBaseURL: String? = nil, eventAPIBaseURL: String? = nil,
                serveOrigin: String? = nil, servePath: String? = nil) {
        self.mode = mode
        self.signingKey = signingKey
        self.signingKeyFallback = signingKeyFallback
        self.eventKey = eventKey
        self.environmentName = environmentName
        let devDefault = Self.devServerDefaultOrigin
        self.apiBaseURL = Self.trimSlash(apiBaseURL ?? (mode == .dev ? devDefault : Self.cloudAPIOrigin))
        self.eventAPIBaseURL = Self.trimSlash(eventAPIBaseURL ?? (mode == .dev ? devDefault : Self.cloudEventAPIOrigin))
        self.serveOrigin = serveOrigin
        self.servePath = servePath
    }

    /// Reads the variables described above from `environment` (pass
    /// `ProcessInfo.processInfo.environment`). Throws on an unusable value, naming it.
    public init(environment env: [String: String]) throws {
        func value(_ name: String) -> String? {
            guard let v = env[name]?.trimmingCharacters(in: .whitespaces), !v.isEmpty else { return nil }
            return v
        }
        var mode = InngestMode.cloud
        var devOrigin: String?
        if let dev = value("INNGEST_DEV") {
            switch dev.lowercased() {
            case "0", "false": mode = .cloud
            case "1", "true": mode = .dev
            default:
                mode = .dev
                guard let origin = Self.normalizeOrigin(dev, defaultScheme: "http") else {
                    throw InngestConfigurationError("INNGEST_DEV=\(dev) is neither 0/1/true/false nor a URL such as http://127.0.0.1:8288")
                }
                devOrigin = origin
            }
        }
        func url(_ name: String) throws -> String? {
            guard let raw = value(name) else { return nil }
            guard let origin = Self.normalizeOrigin(raw, defaultScheme: "http") else {
                throw InngestConfigurationError("\(name)=\(raw) is not a URL")
            }
            return origin
        }
        let base = try url("INNGEST_BASE_URL")
        let api = try url("INNGEST_API_BASE_URL") ?? base ?? devOrigin
        let events = try url("INNGEST_EVENT_API_BASE_URL") ?? base ?? devOrigin
        let signingKey = try value("INNGEST_SIGNING_KEY").map { try SigningKey(parsing: $0, variable: "INNGEST_SIGNING_KEY") }
        let fallback = try value("INNGEST_SIGNING_KEY_FALLBACK").map {
            try SigningKey(parsing: $0, variable: "INNGEST_SIGNING_KEY_FALLBACK")
        }
        var serveOrigin: String?
        if let raw = value("INNGEST_SERVE_ORIGIN") {
            guard let origin = Self.normalizeOrigin(raw, defaultScheme: "https") else {
                throw InngestConfigurationError("INNGEST_SERVE_ORIGIN=\(raw) is not a URL origin")
            }
            serveOrigin = origin
        }
        var servePath = value("INNGEST_SERVE_PATH")
        if let p = servePath, !p.hasPrefix("/") { servePath = "/" + p }
        self.init(mode: mode, signingKey: signingKey, signingKeyFallback: fallback,
                  eventKey: value("INNGEST_EVENT_KEY"), environmentName: value("INNGEST_ENV"),
                  apiBaseURL: api, eventAPIBaseURL: events, serveOrigin: serveOrigin, servePath: servePath)
    }

    /// The variables that name an Inngest server. When none is set, an app may
    /// choose its own default (the worker and `joelclaw` use the embedded engine).
    public static let serverVariables = ["INNGEST_DEV", "INNGEST_BASE_URL", "INNGEST_API_BASE_URL", "INNGEST_EVENT_API_BASE_URL"]

    /// The server variables set (non-empty) in `environment`, in `serverVariables` order.
    public static func configuredServerVariables(in environment: [String: String]) -> [String] {
        serverVariables.filter { !(environment[$0] ?? "").trimmingCharacters(in: .whitespaces).isEmpty }
    }

    /// The event key to use: the configured one, or the dev placeholder in dev mode.
    public var effectiveEventKey: String? { eventKey ?? (mode == .dev ? Self.devEventKey : nil) }

    /// `scheme://host[:port][/path]` without a trailing slash; `nil` when there is no host.
    static func normalizeOrigin(_ raw: String, defaultScheme: String) -> String? {
        let text = raw.contains("://") ? raw : "\(defaultScheme)://\(raw)"
        guard let url = URL(string: text), let scheme = url.scheme, scheme == "http" || scheme == "https",
              let host = url.host, !host.isEmpty else { return nil }
        return trimSlash(text)
    }

    static func trimSlash(_ s: String) -> String {
        var s = s
        while s.hasSuffix("/") { s.removeLast() }
        return s
    }
}

/// A configuration value that cannot be used, with the variable named.
public struct InngestConfigurationError: Error, Sendable, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
