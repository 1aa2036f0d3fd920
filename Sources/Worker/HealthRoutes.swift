import HTTP
import JSON

extension WorkerServices {
    /// `GET /health`: liveness for launchd checks and the ops CLI. POST is
    /// answered the same way (the body is read and ignored) so load tests can
    /// push request bodies through the whole server path.
    func addHealthRoutes(to router: inout HTTPRouter) {
        let startedAt = self.startedAt
        let health: HTTPRouter.Route = { _ in
            let uptime = ContinuousClock.now - startedAt
            let seconds = Double(uptime.components.seconds) + Double(uptime.components.attoseconds) / 1e18
            let body: JSON = [
                "status": "ok",
                "version": .string(WorkerServices.version),
                "uptime": .number(JSONNumber((seconds * 1000).rounded() / 1000)),
            ]
            return HTTPResponse(status: 200, headers: ["Content-Type": "application/json"], body: body.serializedBytes())
        }
        router.add("GET", "/health", health)
        router.add("POST", "/health", health)
    }
}
