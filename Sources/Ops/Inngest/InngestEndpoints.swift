/// Where the CLI reaches Inngest: the same variables the SDKs read, defaulting
/// to the worker's embedded engine on this machine.
public struct InngestEndpoints: Sendable, Equatable {
    /// The embedded engine's address when nothing else is configured.
    public static let embeddedEngine = "http://127.0.0.1:8288"
    /// The SDKs' dev fallback key (protocol spec A3).
    public static let defaultEventKey = "NO_EVENT_KEY_SET"

    public var eventAPI: String
    public var api: String
    public var eventKey: String
    public var signingKey: String?

    public init(eventAPI: String, api: String, eventKey: String, signingKey: String? = nil) {
        self.eventAPI = eventAPI
        self.api = api
        self.eventKey = eventKey
        self.signingKey = signingKey
    }

    /// `INNGEST_EVENT_API_BASE_URL` / `INNGEST_API_BASE_URL`, each falling back
    /// to `INNGEST_BASE_URL`, then to the embedded engine.
    public init(environment env: [String: String]) {
        func value(_ key: String) -> String? { env[key].flatMap { $0.isEmpty ? nil : $0 } }
        let base = value("INNGEST_BASE_URL") ?? Self.embeddedEngine
        eventAPI = Self.trimmed(value("INNGEST_EVENT_API_BASE_URL") ?? base)
        api = Self.trimmed(value("INNGEST_API_BASE_URL") ?? base)
        eventKey = value("INNGEST_EVENT_KEY") ?? Self.defaultEventKey
        signingKey = value("INNGEST_SIGNING_KEY")
    }

    static func trimmed(_ url: String) -> String {
        var u = url
        while u.hasSuffix("/") { u.removeLast() }
        return u
    }
}
