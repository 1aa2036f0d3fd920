/// How one service is checked. Each case is a probe the `HealthChecker` knows
/// how to run; the inventory picks one per service (or takes its kind's default).
public enum HealthCheck: Sendable, Equatable {
    /// `GET url`; healthy when the status is in `expectStatus`. With `report`,
    /// a number is read from the JSON body (e.g. the worker's function `count`).
    case http(url: String, expectStatus: [ClosedRange<Int>], report: JSONReport?)
    /// TCP connect; with `send`/`expect`, writes bytes and requires the reply to
    /// start with `expect` (Redis: send `PING\r\n`, expect `+PONG`).
    case tcp(host: String, port: Int, send: String?, expect: String?)
    /// TCP connect plus reading the `SSH-` banner; proves sshd answers without
    /// logging in (no keys needed, nothing executed on the host).
    case ssh(host: String, port: Int)
    /// `launchctl list <label>`: running when it has a PID. A job launchd
    /// starts on demand (`WatchPaths`) sets `mustRun` false: loaded with a
    /// clean last exit is healthy.
    case launchd(label: String, mustRun: Bool)
    /// `docker inspect <container>`: state and health status.
    case docker(container: String)
    /// `systemctl show <unit>`: ActiveState/SubState and MemoryCurrent.
    case systemd(unit: String)
    /// `kubectl get pod <pod> -n <namespace>`: phase and readiness.
    case kubernetes(namespace: String, pod: String)

    /// The statuses an HTTP check accepts when the inventory names none.
    public static let successStatuses = [200...299]
}

/// Reads a number from an HTTP check's JSON body for the status line, and
/// optionally requires a minimum ("13 functions", degraded below 13).
public struct JSONReport: Sendable, Equatable {
    /// Dotted path into the body, e.g. `count`.
    public var path: String
    /// Word after the number, e.g. `functions`.
    public var label: String
    public var minimum: Double?

    public init(path: String, label: String, minimum: Double? = nil) {
        self.path = path
        self.label = label
        self.minimum = minimum
    }
}
