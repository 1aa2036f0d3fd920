import Foundation
import HTTP

/// Wraps the worker's handler to count requests by method, route and status,
/// time them, and track how many are in flight. `route` maps a request to a
/// bounded label (the router's path, or "other"), so a scan of random URLs
/// cannot create unbounded series.
public struct HTTPMetricsHandler: HTTPHandler {
    let inner: any HTTPHandler
    let route: @Sendable (HTTPRequest) -> String
    let requests: Counter
    let durations: Histogram
    let inFlight: Gauge

    static let knownMethods: Set<String> = ["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"]

    public init(wrapping inner: any HTTPHandler, metrics: Metrics, route: @escaping @Sendable (HTTPRequest) -> String) {
        self.inner = inner
        self.route = route
        requests = metrics.counter("joelclaw_http_requests_total", help: "HTTP requests answered, by method, route and status.",
                                   labels: ["method", "route", "status"])
        durations = metrics.histogram("joelclaw_http_request_duration_seconds", help: "Time to produce a response, by method and route.",
                                      labels: ["method", "route"])
        inFlight = metrics.gauge("joelclaw_http_requests_in_flight", help: "Requests being handled right now.")
    }

    public func handle(_ request: HTTPRequest) async -> HTTPResponse {
        inFlight.add(1)
        let start = ContinuousClock.now
        let response = await inner.handle(request)
        let elapsed = ContinuousClock.now - start
        let method = Self.knownMethods.contains(request.method) ? request.method : "other"
        let label = route(request)
        requests.increment([method, label, String(response.status)])
        durations.observe(Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18, [method, label])
        inFlight.add(-1)
        return response
    }
}

extension Metrics {
    /// The `GET /metrics` response.
    public func response() -> HTTPResponse {
        HTTPResponse(status: 200, contentType: Metrics.contentType, text: exposition())
    }
}
