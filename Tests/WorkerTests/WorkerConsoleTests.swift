import Foundation
import HTTP
import JSON
import Testing
import TestSupport
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The console as the real `worker` serves it (dev mode here: no signing key,
/// so it is open and says so in the log).
@Suite struct WorkerConsoleTests {
    @Test func theConsoleIsServedUnderItsPathAndCanBeTurnedOff() async throws {
        let worker = try WorkerProcess(arguments: ["--port", "0", "--console-path", "/ops"])
        let port = try await worker.listeningPort()
        let client = SocketHTTPClient()
        let functions = try await client.send(HTTPClientRequest(method: "GET", url: "http://127.0.0.1:\(port)/ops/functions"))
        let page = String(decoding: functions.body, as: UTF8.self)
        #expect(functions.status == 200 && page.contains("system-bus-video-download") && page.contains("id=\"send-form\""))
        #expect(functions.headers["Content-Security-Policy"]?.contains("script-src 'self'") == true)
        // Runs are read through the REST API; the dev server configured here is not running.
        let runs = try await client.send(HTTPClientRequest(method: "GET", url: "http://127.0.0.1:\(port)/ops/runs"))
        #expect(runs.status == 200 && String(decoding: runs.body, as: UTF8.self).contains("Runs could not be read"))
        let warning = try await worker.waitForLog("console open without sign-in (no signing key)")
        #expect(warning["path"]?.stringValue == "/ops")
        worker.signal(SIGTERM)
        #expect(try await worker.exitStatus() == 0)

        let off = try WorkerProcess(arguments: ["--port", "0", "--console-path", "off"])
        let offPort = try await off.listeningPort()
        let none = try await client.send(HTTPClientRequest(method: "GET", url: "http://127.0.0.1:\(offPort)/console/runs"))
        #expect(none.status == 404)
        off.signal(SIGTERM)
        #expect(try await off.exitStatus() == 0)
    }

    @Test func aBadConsolePathIsAConfigurationError() async throws {
        let worker = try WorkerProcess(arguments: ["--console-path", "/api/inngest"])
        #expect(try await worker.exitStatus() == 2)
        #expect(worker.stderr.contains("--console-path=\"/api/inngest\": is taken by another route"))
    }
}
