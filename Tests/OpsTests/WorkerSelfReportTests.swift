import Foundation
import HTTP
import JSON
import Testing
@testable import Ops
import TestSupport

/// The built worker, run for real with its embedded engine on loopback:
/// /health reports its functions, engine and sync; an event sent with
/// `joelclaw send` runs `system-logger`, and /metrics shows the requests,
/// the steps and the run.
@Suite struct WorkerSelfReportTests {
    @Test func healthAndMetricsReportARealRun() async throws {
        let dir = try TemporaryDirectory()
        let worker = try WorkerProcess(arguments: ["--port", "0", "--engine", "embedded", "--engine-address", "127.0.0.1:0",
                                                 "--engine-db", "\(dir.path)/engine.sqlite"],
                                     environment: ["HOME": dir.path, "XDG_CONFIG_HOME": "\(dir.path)/config",
                                                   "XDG_STATE_HOME": "\(dir.path)/state",
                                                   "JOELCLAW_SYSTEM_LOG": "\(dir.path)/system-log.jsonl"],
                                       inngestDev: nil)
        defer { worker.stop() }
        let port = try await worker.listeningPort()
        let http = SocketHTTPClient()
        func get(_ path: String) async throws -> String {
            let r = try await http.send(HTTPClientRequest(method: "GET", url: "http://127.0.0.1:\(port)\(path)", timeout: 10))
            #expect(r.status == 200, "\(path)")
            return String(decoding: r.body, as: UTF8.self)
        }

        // The sync with the embedded engine happens in the background after start.
        var health: JSON = .null
        _ = await eventually(every: 0.05) {
            health = try JSON(parsing: try await get("/health"))
            return health["lastSync"] != .null
        }
        #expect((health["functionCount"]?.intValue ?? 0) > 0)
        #expect(health["lastSync"]?["ok"] == true, "\(health)")
        #expect(health["engine"]?["reachable"] == true)
        let engineURL = try #require(health["engine"]?["url"]?.stringValue)
        #expect(engineURL.hasPrefix("http://127.0.0.1:"))

        // The engine is closed by default: its event key is in the file beside its database.
        let keys = try JSON(parsing: Array(try #require(dir.contents("engine-keys.json")).utf8))
        let eventKey = try #require(keys["eventKey"]?.stringValue)
        let sent = await CLIHarness(environment: ["INNGEST_BASE_URL": engineURL, "INNGEST_EVENT_KEY": eventKey]).run(
            ["send", "system/log.written", "--data", #"{"action":"probe","tool":"ops-test","detail":"self-report"}"#])
        #expect(sent.code == .success, "\(sent.stderr)")
        _ = await eventually(every: 0.05) { (dir.contents("system-log.jsonl") ?? "").contains("self-report") }
        #expect(dir.contents("system-log.jsonl")?.contains(#""tool":"ops-test""#) == true)

        var metrics = ""
        _ = await eventually(every: 0.05) {
            metrics = try await get("/metrics")
            return metrics.contains(#"joelclaw_function_results_total{function="system-logger",outcome="completed"} 1"#)
        }
        #expect(metrics.contains(#"joelclaw_function_results_total{function="system-logger",outcome="completed"} 1"#))
        #expect(metrics.contains(#"joelclaw_step_duration_seconds_count{function="system-logger"}"#))
        #expect(metrics.contains(#"joelclaw_run_duration_seconds_count{function="system-logger",outcome="completed"} 1"#))
        #expect(metrics.contains(#"joelclaw_http_requests_total{method="GET",route="/health",status="200"}"#))
        #expect(metrics.contains(#"joelclaw_http_requests_total{method="POST",route="/api/inngest",status="#))
        #expect(metrics.contains("joelclaw_http_requests_in_flight 1"), "the /metrics request itself")
    }
}
