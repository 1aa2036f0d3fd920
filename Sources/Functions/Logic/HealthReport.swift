/// One checked component's verdict, as the health check records and reports it.
public struct ComponentHealth: Codable, Sendable, Equatable {
    /// `<machine>/<service>`, e.g. `worker/worker` or `nas/ssh`.
    public var name: String
    public var kind: String
    /// `up`, `degraded`, `down` or `unknown` (could not be checked here).
    public var state: String
    public var detail: String

    public init(name: String, kind: String, state: String, detail: String) {
        self.name = name
        self.kind = kind
        self.state = state
        self.detail = detail
    }

    /// Degraded and down count as failing; `unknown` does not (a check that
    /// cannot run on this host is not an outage).
    public var isFailing: Bool { state == "down" || state == "degraded" }
}

public enum HealthReport {
    /// The gateway prompt: a heading and one line per component.
    public static func markdown(_ components: [ComponentHealth]) -> String {
        (["## 🚨 System Health Degradation", ""] + components.map { c in
            let detail = c.detail.isEmpty ? c.state : String(c.detail.prefix(100))
            return "- \(c.isFailing ? "❌" : "✅") **\(c.name)** — \(detail)"
        }).joined(separator: "\n")
    }

    /// `host`, `user@host`, `host:port` or `user@host:port` → (host, port).
    public static func sshTarget(_ text: String) -> (host: String, port: Int) {
        var rest = Substring(text)
        if let at = rest.lastIndex(of: "@") { rest = rest[rest.index(after: at)...] }
        if let colon = rest.lastIndex(of: ":"), let port = Int(rest[rest.index(after: colon)...]), !rest.hasPrefix("[") {
            return (String(rest[..<colon]), port)
        }
        return (String(rest), 22)
    }
}
