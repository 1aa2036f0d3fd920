import Foundation
import Support
import HTTP
import JSON
import Testing
import TestSupport
@testable import Monitoring

@Suite struct MetricsTests {
    @Test func expositionFormat() {
        let m = Metrics()
        let requests = m.counter("demo_requests_total", help: "Requests.\nSecond line with \\.", labels: ["route", "status"])
        let inFlight = m.gauge("demo_in_flight", help: "In flight.")
        let latency = m.histogram("demo_seconds", help: "Latency.", labels: ["route"], buckets: [0.1, 1])
        requests.increment(["/health", "200"])
        requests.increment(["/health", "200"], by: 2)
        requests.increment(["/a\"b\\c\nd", "500"])
        inFlight.add(3)
        inFlight.add(-1)
        latency.observe(0.05, ["/x"])
        latency.observe(0.5, ["/x"])
        latency.observe(7, ["/x"])
        #expect(m.exposition() == """
        # HELP demo_requests_total Requests.\\nSecond line with \\\\.
        # TYPE demo_requests_total counter
        demo_requests_total{route="/a\\"b\\\\c\\nd",status="500"} 1
        demo_requests_total{route="/health",status="200"} 3
        # HELP demo_in_flight In flight.
        # TYPE demo_in_flight gauge
        demo_in_flight 2
        # HELP demo_seconds Latency.
        # TYPE demo_seconds histogram
        demo_seconds_bucket{route="/x",le="0.1"} 1
        demo_seconds_bucket{route="/x",le="1"} 2
        demo_seconds_bucket{route="/x",le="+Inf"} 3
        demo_seconds_sum{route="/x"} 7.55
        demo_seconds_count{route="/x"} 3

        """)
        #expect(m.value("demo_requests_total", ["/health", "200"]) == 3)
    }

    @Test func unlabelledFamiliesShowZeroBeforeAnyRecording() {
        let m = Metrics()
        _ = m.counter("demo_total", help: "x")
        _ = m.histogram("demo_seconds", help: "y", buckets: [1])
        #expect(m.exposition().contains("demo_total 0\n"))
        #expect(m.exposition().contains("demo_seconds_bucket{le=\"+Inf\"} 0\n"))
        #expect(m.exposition().contains("demo_seconds_count 0\n"))
    }

    @Test func registeringTwiceSharesTheFamily() {
        let m = Metrics()
        m.counter("shared_total", help: "x", labels: ["a"]).increment(["1"])
        m.counter("shared_total", help: "x", labels: ["a"]).increment(["1"])
        #expect(m.value("shared_total", ["1"]) == 2)
    }

    @Test func concurrentRecordingLosesNothing() async {
        let m = Metrics()
        let c = m.counter("concurrent_total", help: "x", labels: ["k"])
        await withTaskGroup(of: Void.self) { g in
            for i in 0..<8 { g.addTask { for _ in 0..<1000 { c.increment(["\(i % 2)"]) } } }
        }
        #expect(m.value("concurrent_total", ["0"]) == 4000)
        #expect(m.value("concurrent_total", ["1"]) == 4000)
    }

    @Test func httpHandlerCountsRoutesStatusesAndInFlight() async throws {
        let m = Metrics()
        let gate = OneShot<Void>()
        let entered = OneShot<Void>()
        let inner = ClosureHTTPHandler { request in
            if request.path == "/slow" { entered.resolve(()); await gate.value }
            return HTTPResponse(status: request.path == "/missing" ? 404 : 200)
        }
        let known: Set<String> = ["/health", "/slow"]
        let handler = HTTPMetricsHandler(wrapping: inner, metrics: m) { known.contains($0.path) ? $0.path : "other" }
        _ = await handler.handle(HTTPRequest(method: "GET", target: "/health"))
        _ = await handler.handle(HTTPRequest(method: "GET", target: "/health?x=1"))
        _ = await handler.handle(HTTPRequest(method: "BREW", target: "/missing"))
        let slow = Task { await handler.handle(HTTPRequest(method: "POST", target: "/slow")) }
        await entered.value
        #expect(m.value("joelclaw_http_requests_in_flight") == 1)
        gate.resolve(())
        _ = await slow.value
        #expect(m.value("joelclaw_http_requests_in_flight") == 0)
        #expect(m.value("joelclaw_http_requests_total", ["GET", "/health", "200"]) == 2)
        #expect(m.value("joelclaw_http_requests_total", ["other", "other", "404"]) == 1)
        #expect(m.value("joelclaw_http_requests_total", ["POST", "/slow", "200"]) == 1)
        let response = m.response()
        #expect(response.headers["Content-Type"] == "text/plain; version=0.0.4; charset=utf-8")
        guard case .bytes(let body) = response.body else { Issue.record("expected bytes"); return }
        let text = String(decoding: body, as: UTF8.self)
        #expect(text.contains("joelclaw_http_request_duration_seconds_count{method=\"GET\",route=\"/health\"} 2"))
        // Every sample line is `name{labels} value`.
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            #expect(line.range(of: #"^[a-zA-Z_:][a-zA-Z0-9_:]*(\{[^}]*\})? [-+0-9.eInfNa]+$"#, options: .regularExpression) != nil, "\(line)")
        }
    }

    @Test func functionMetricsTimeStepsAndRuns() {
        let m = Metrics()
        let clock = ManualSeconds()
        let f = FunctionMetrics(metrics: m, maxTrackedRuns: 2, now: { clock.now })
        f.callStarted(function: "video-download", runId: "r1")
        clock.now = 2
        f.callFinished(function: "video-download", runId: "r1")
        clock.now = 10
        f.callStarted(function: "video-download", runId: "r1")
        clock.now = 10.5
        f.callFinished(function: "video-download", runId: "r1")
        f.runFinished(function: "video-download", runId: "r1", outcome: .completed)
        let text = m.exposition()
        #expect(text.contains("joelclaw_step_duration_seconds_count{function=\"video-download\"} 2"))
        #expect(text.contains("joelclaw_step_duration_seconds_sum{function=\"video-download\"} 2.5"))
        #expect(text.contains("joelclaw_run_duration_seconds_sum{function=\"video-download\",outcome=\"completed\"} 10.5"))
        #expect(m.value("joelclaw_function_results_total", ["video-download", "completed"]) == 1)

        // Only the newest runs are tracked: r2 is forgotten when r3 and r4 start.
        f.callStarted(function: "g", runId: "r2")
        f.callStarted(function: "g", runId: "r3")
        f.callStarted(function: "g", runId: "r4")
        f.runFinished(function: "g", runId: "r2", outcome: .errored)
        #expect(m.value("joelclaw_function_results_total", ["g", "errored"]) == 1)
        #expect(!m.exposition().contains("joelclaw_run_duration_seconds_count{function=\"g\",outcome=\"errored\"}"))
    }

    @Test func workerHealthFields() async throws {
        let engine = try ScriptedTCPServer(.http(status: 200, body: #"{"status":"ok"}"#))
        defer { engine.stop() }
        // A generous probe timeout: the 1 s default failed this check on a loaded machine.
        let health = WorkerHealth(engineURL: "http://127.0.0.1:\(engine.port)", probeTimeout: 10)
        var fields = JSON.object(JSONObject(await health.fields().map { (key: $0.key, value: $0.value) }))
        #expect(fields["functionCount"] == .null)
        #expect(fields["engine"]?["reachable"] == true, "\(fields["engine"] ?? .null)")
        #expect(fields["lastSync"] == .null)
        #expect(engine.requests.first?.hasPrefix("GET /health HTTP/1.1") == true)

        health.setFunctionCount(13)
        health.recordSync(succeeded: false, detail: "HTTP 401 from /fn/register", at: Date(timeIntervalSince1970: 1_771_262_880))
        health.setEngineURL("http://127.0.0.1:\(ScriptedTCPServer.closedPort())")
        fields = JSON.object(JSONObject(await health.fields().map { (key: $0.key, value: $0.value) }))
        #expect(fields.objectValue?.keys == ["functionCount", "engine", "lastSync"])
        #expect(fields["functionCount"] == 13)
        #expect(fields["engine"]?["reachable"] == false)
        #expect(fields["lastSync"] == ["ok": false, "at": "2026-02-16T17:28:00.000Z", "detail": "HTTP 401 from /fn/register"])
    }
}

/// A settable clock in seconds, for deterministic durations.
final class ManualSeconds: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Double = 0
    var now: Double {
        get { lock.withLock { value } }
        set { lock.withLock { value = newValue } }
    }
}
