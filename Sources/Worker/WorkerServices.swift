import HTTP
import InngestProtocol
import Monitoring
import Ops
import Support
import WorkerSettings

/// What the worker's routes and background jobs share, built once at start.
///
/// To add a feature: put its routes in `Sources/Worker/<Feature>Routes.swift`
/// as `extension WorkerServices { func add<Feature>Routes(to router: inout HTTPRouter) }`
/// and add one line to `makeRouter()`.
struct WorkerServices: Sendable {
    /// The worker ships with the SDK it is built on, from one repository: one version.
    static let version = SDKIdentity.version

    let configuration: WorkerConfiguration
    let logger: Logger
    /// Monotonic start time, for uptime.
    let startedAt: ContinuousClock.Instant
    /// Served at GET /metrics; every request is recorded (MetricsRoutes.swift).
    let metrics = Metrics()
    /// What /health reports beyond liveness: function count, engine, last sync.
    let health = WorkerHealth()

    init(configuration: WorkerConfiguration, logger: Logger, startedAt: ContinuousClock.Instant = .now) {
        self.configuration = configuration
        self.logger = logger
        self.startedAt = startedAt
    }

    func makeRouter() -> HTTPRouter {
        var router = HTTPRouter()
        addHealthRoutes(to: &router)
        addMetricsRoutes(to: &router)
        return router
    }
}
