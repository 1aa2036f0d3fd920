import Foundation
import HTTP
import JSON
import Testing
@testable import Ops

/// The built worker, run for real with its embedded engine on loopback:
/// /health reports its functions, engine and sync; an event sent with
/// `joelclaw send` runs `system-logger`, and /metrics shows the requests,
/// the steps and the run.
@Suite struct WorkerSelfReportTests {
    @Test func healthAndMetricsReportARealRun() async throws {
        let dir = try TemporaryDirectory()
        let worker = try ChildWorker(arguments: ["--port", "0", "--engine", "embedded", "--engine-address", "127.0.0.1:0",
                                                 "--engine-db", "\(dir.path)/engine.sqlite"],
                                     environment: ["HOME": dir.path, "XDG_CONFIG_HOME": "\(dir.path)/config",
                                                   "XDG_STATE_HOME": "\(dir.path)/state",
                                                   "JOELCLAW_SYSTEM_LOG": "\(dir.path)/system-log.jsonl"])
        defer { worker.stop() }
        let port = try await worker.port()
        let http = SocketHTTPClient()
        func get(_ path: String) async throws -> String {
            let r = try await http.send(HTTPClientRequest(method: "GET", url: "http://127.0.0.1:\(port)\(path)", timeout: 10))
            #expect(r.status == 200, "\(path)")
            return String(decoding: r.body, as: UTF8.self)
        }

        // The sync with the embedded engine happens in the background after start.
        var health = try JSON(parsing: try await get("/health"))
        let deadline = Date().addingTimeInterval(20)
        while health["lastSync"] == .null, Date() < deadline {
            try await Task.sleep(nanoseconds: 50_000_000)
            health = try JSON(parsing: try await get("/health"))
        }
        #expect((health["functionCount"]?.intValue ?? 0) > 0)
        #expect(health["lastSync"]?["ok"] == true, "\(health)")
        #expect(health["engine"]?["reachable"] == true)
        let engineURL = try #require(health["engine"]?["url"]?.stringValue)
        #expect(engineURL.hasPrefix("http://127.0.0.1:"))

        // The engine is closed by default: its event key is in the file beside its database.
        let keys = try JSON(parsing: Array(try #require(dir.read("engine-keys.json")).utf8))
        let eventKey = try #require(keys["eventKey"]?.stringValue)
        let sent = await CLIHarness(environment: ["INNGEST_BASE_URL": engineURL, "INNGEST_EVENT_KEY": eventKey]).run(
            ["send", "system/log.written", "--data", #"{"action":"probe","tool":"ops-test","detail":"self-report"}"#])
        #expect(sent.code == .success, "\(sent.stderr)")
        let logged = Date().addingTimeInterval(20)
        while !(dir.read("system-log.jsonl") ?? "").contains("self-report"), Date() < logged {
            try await Task.sleep(nanoseconds: 50_000_000)
        }
        #expect(dir.read("system-log.jsonl")?.contains(#""tool":"ops-test""#) == true)

        var metrics = try await get("/metrics")
        let counted = Date().addingTimeInterval(10)
        while !metrics.contains(#"joelclaw_function_results_total{function="system-logger",outcome="completed"} 1"#), Date() < counted {
            try await Task.sleep(nanoseconds: 50_000_000)
            metrics = try await get("/metrics")
        }
        #expect(metrics.contains(#"joelclaw_function_results_total{function="system-logger",outcome="completed"} 1"#))
        #expect(metrics.contains(#"joelclaw_step_duration_seconds_count{function="system-logger"}"#))
        #expect(metrics.contains(#"joelclaw_run_duration_seconds_count{function="system-logger",outcome="completed"} 1"#))
        #expect(metrics.contains(#"joelclaw_http_requests_total{method="GET",route="/health",status="200"}"#))
        #expect(metrics.contains(#"joelclaw_http_requests_total{method="POST",route="/api/inngest",status="#))
        #expect(metrics.contains("joelclaw_http_requests_in_flight 1"), "the /metrics request itself")
    }
}

/// The `worker` executable next to the test bundle, as a child process that
/// a watchdog kills if this test process dies first.
final class ChildWorker: @unchecked Sendable {
    let process = Process()
    private let stderr = Pipe()
    private let lock = NSLock()
    private var log = ""

    init(arguments: [String], environment: [String: String]) throws {
        var dirs = [URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()]
        dirs += Bundle.allBundles.filter { $0.bundlePath.hasSuffix(".xctest") }.map { $0.bundleURL.deletingLastPathComponent() }
        guard let binary = dirs.map({ $0.appendingPathComponent("worker") }).first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) else {
            throw InfraError("worker binary not found near \(dirs.map(\.path)); build with `swift build --build-tests`")
        }
        process.executableURL = binary
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("INNGEST_") && !$0.key.hasPrefix("WORKER_") && !$0.key.hasPrefix("JOELCLAW_") }
        env.merge(environment) { $1 }
        process.environment = env
        process.standardOutput = FileHandle.nullDevice
        process.standardError = stderr
        stderr.fileHandleForReading.readabilityHandler = { [weak self] h in
            let data = h.availableData
            guard let self, !data.isEmpty else { return }
            self.lock.withLock { self.log += String(decoding: data, as: UTF8.self) }
        }
        try process.run()
        let watchdog = Process()
        watchdog.executableURL = URL(fileURLWithPath: "/bin/sh")
        watchdog.arguments = ["-c", "while kill -0 \(getpid()) 2>/dev/null && kill -0 \(process.processIdentifier) 2>/dev/null; do sleep 1; done; kill -KILL \(process.processIdentifier) 2>/dev/null; exit 0"]
        watchdog.standardOutput = FileHandle.nullDevice
        watchdog.standardError = FileHandle.nullDevice
        try watchdog.run()
    }

    /// The port from the worker's `listening` log line.
    func port(timeout: Double = 20) async throws -> Int {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            let lines = lock.withLock { log }.split(separator: "\n").compactMap { try? JSON(parsing: String($0)) }
            if let port = lines.first(where: { $0["msg"] == "listening" })?["port"]?.intValue { return port }
            if !process.isRunning { throw InfraError("worker exited: \(lock.withLock { log })") }
            try await Task.sleep(nanoseconds: 20_000_000)
        }
        throw InfraError("worker did not log 'listening' within \(timeout) s: \(lock.withLock { log })")
    }

    func stop() {
        if process.isRunning { process.terminate() }
        stderr.fileHandleForReading.readabilityHandler = nil
    }
}
