/// The verdict of one check.
public enum HealthState: String, Sendable, CaseIterable, Comparable {
    /// Running and answering as expected.
    case up
    /// Reachable but not right: wrong HTTP status, container unhealthy, job
    /// loaded but not running, fewer functions than expected.
    case degraded
    /// Not running, refused, unreachable, or silent past its timeout.
    case down
    /// Could not be checked here (e.g. `launchctl` missing on this machine).
    case unknown

    /// Worse states sort later, so `max()` of a set of states is the summary.
    private var severity: Int {
        switch self {
        case .up: return 0
        case .unknown: return 1
        case .degraded: return 2
        case .down: return 3
        }
    }

    public static func < (lhs: HealthState, rhs: HealthState) -> Bool { lhs.severity < rhs.severity }
}

/// The result of checking one service.
public struct ServiceStatus: Sendable, Equatable {
    public var machine: String
    public var service: String
    public var kind: ServiceKind
    public var state: HealthState
    /// Seconds the check took (up to its timeout).
    public var latency: Double
    /// One short line: why it is not up, or what it reports ("13 functions").
    public var detail: String
    /// The service's main port from the inventory, shown as `:8288`.
    public var port: Int?
    /// Resident memory when the manager reports it (docker, launchd via ps, systemd).
    public var memoryBytes: UInt64?

    public init(machine: String, service: String, kind: ServiceKind, state: HealthState, latency: Double,
                detail: String, port: Int? = nil, memoryBytes: UInt64? = nil) {
        self.machine = machine
        self.service = service
        self.kind = kind
        self.state = state
        self.latency = latency
        self.detail = detail
        self.port = port
        self.memoryBytes = memoryBytes
    }
}

/// What a single probe found, before it is attached to its service.
public struct ProbeResult: Sendable, Equatable {
    public var state: HealthState
    public var detail: String
    public var memoryBytes: UInt64?

    public init(_ state: HealthState, _ detail: String, memoryBytes: UInt64? = nil) {
        self.state = state
        self.detail = detail
        self.memoryBytes = memoryBytes
    }
}
