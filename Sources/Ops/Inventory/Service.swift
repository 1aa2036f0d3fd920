/// What sort of thing a service is: this decides how it is managed and, unless
/// the inventory says otherwise, how it is checked.
public enum ServiceKind: String, Sendable, CaseIterable {
    case docker      // a Docker (Compose) container
    case launchd     // a launchd job (macOS)
    case systemd     // a systemd unit (Linux)
    case kubernetes  // a pod in a Kubernetes namespace
    case http        // an HTTP endpoint nothing here manages
    case ssh         // a host reached over SSH (e.g. the NAS)
    case tcp         // a bare TCP port
}

/// One service in the inventory.
public struct Service: Sendable, Equatable {
    public var name: String
    public var kind: ServiceKind
    /// The manager's name for it: launchd label, container name, systemd unit
    /// or pod name. Defaults to `name`.
    public var unit: String
    /// Ports the service is expected to listen on; the first is shown in `status`.
    public var ports: [Int]
    /// One or more probes; the service's state is the worst of them (a
    /// launchd job that runs but whose HTTP endpoint fails is degraded).
    public var checks: [HealthCheck]
    /// Seconds this service's check may take before it counts as failed.
    public var timeout: Double
    /// Sites this service proxies (only for a reverse proxy such as Caddy).
    public var routes: [ProxyRoute]
    /// Short free text shown when the check has nothing better to say ("TLS proxy").
    public var note: String?

    public init(name: String, kind: ServiceKind, unit: String? = nil, ports: [Int] = [],
                checks: [HealthCheck], timeout: Double = Service.defaultTimeout, routes: [ProxyRoute] = [], note: String? = nil) {
        self.name = name
        self.kind = kind
        self.unit = unit ?? name
        self.ports = ports
        self.checks = checks
        self.timeout = timeout
        self.routes = routes
        self.note = note
    }

    /// Two seconds keeps `status` under its 3-second budget with hosts down.
    public static let defaultTimeout = 2.0
}
