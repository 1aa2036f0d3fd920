import HTTP
import InngestProtocol
import Monitoring
import Ops

extension WorkerServices {
    /// `GET /metrics`: the Prometheus text exposition of `metrics`.
    func addMetricsRoutes(to router: inout HTTPRouter) {
        let metrics = self.metrics
        router.add("GET", "/metrics") { _ in metrics.response() }
    }

    /// The router wrapped so every request is counted and timed; paths the
    /// router does not serve share the route label "other".
    func instrumented(_ router: HTTPRouter) -> HTTPMetricsHandler {
        HTTPMetricsHandler(wrapping: router, metrics: metrics) { router.serves($0.path) ? $0.path : "other" }
    }
}

extension WorkerServices {
    /// Tells /health what the Inngest side serves and where it syncs to.
    func reportHealth(of serving: InngestServing) {
        health.setFunctionCount(serving.inngest.functions.count)
        health.setEngineURL(serving.inngest.configuration.apiBaseURL)
    }

    /// Records the outcome of the start-up sync for /health.
    @Sendable func recordSync(_ result: Result<RegistrationResult, RegistrationError>) {
        switch result {
        case .success(let r): health.recordSync(succeeded: true, detail: r.message)
        case .failure(let e): health.recordSync(succeeded: false, detail: "\(e)")
        }
    }
}
