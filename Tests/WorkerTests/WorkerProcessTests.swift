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

/// The real `worker` executable: configuration, /health, logging, signals.
@Suite struct WorkerProcessTests {
    @Test func healthReportsStatusVersionAndUptime() async throws {
        let worker = try WorkerProcess(arguments: ["--port", "0", "--log-level", "debug"])
        let port = try await worker.listeningPort()
        let response = try await SocketHTTPClient().send(HTTPClientRequest(method: "GET", url: "http://127.0.0.1:\(port)/health"))
        #expect(response.status == 200)
        #expect(response.headers["Content-Type"] == "application/json")
        let body = try JSON(parsing: response.body)
        #expect(body["status"]?.stringValue == "ok")
        #expect(body["version"]?.stringValue?.isEmpty == false)
        #expect((body["uptime"]?.doubleValue ?? -1) >= 0)
        let missing = try await SocketHTTPClient().send(HTTPClientRequest(method: "GET", url: "http://127.0.0.1:\(port)/nope"))
        #expect(missing.status == 404)
        // Debug level logs each request.
        let access = try await worker.waitForLog("request")
        #expect(access["path"]?.stringValue == "/health" && access["status"]?.intValue == 200)
        worker.signal(SIGINT)
        #expect(try await worker.exitStatus() == 0)
        // Every line of the log is a JSON object with ts, level and msg.
        let lines = worker.stderr.split(separator: "\n")
        #expect(lines.count >= 3)
        for line in lines {
            let json = try JSON(parsing: String(line))
            #expect(json["ts"]?.stringValue != nil && json["level"]?.stringValue != nil && json["msg"]?.stringValue != nil)
        }
    }

    @Test func everyBadSettingIsReportedAndExitCodeIs2() async throws {
        let worker = try WorkerProcess(arguments: ["--log-level=loud", "--max-connections", "0", "--bogus", "1"],
                                       environment: ["WORKER_PORT": "abc", "WORKER_IDLE_TIMEOUT": "-3"])
        #expect(try await worker.exitStatus() == 2)
        let text = worker.stderr
        #expect(text.contains("WORKER_PORT=\"abc\": must be an integer from 0 to 65535"))
        #expect(text.contains("--log-level=\"loud\": must be one of debug, info, warn, error"))
        #expect(text.contains("--max-connections=\"0\""))
        #expect(text.contains("WORKER_IDLE_TIMEOUT=\"-3\""))
        #expect(text.contains("unknown flag \"--bogus\""))
    }

    @Test func flagsOverrideEnvironmentAndHelpExitsZero() async throws {
        let worker = try WorkerProcess(arguments: ["--port", "0"], environment: ["WORKER_PORT": "not-a-port", "WORKER_HOST": "127.0.0.1"])
        _ = try await worker.listeningPort()
        worker.signal(SIGTERM)
        #expect(try await worker.exitStatus() == 0)
        let help = try WorkerProcess(arguments: ["--help"])
        #expect(try await help.exitStatus() == 0)
    }

    @Test func portInUseExitsWith1() async throws {
        let holder = HTTPServer(configuration: HTTPServerConfiguration(), handler: ClosureHTTPHandler { _ in HTTPResponse(status: 200) })
        try holder.start()
        let worker = try WorkerProcess(arguments: ["--port", String(holder.port)])
        #expect(try await worker.exitStatus() == 1)
        #expect(worker.stderr.contains("cannot start"))
        await holder.shutdown(drain: 0.1)
    }

    @Test func sigtermDrainsInFlightRequestClosesIdleAndExitsZero() async throws {
        let worker = try WorkerProcess(arguments: ["--port", "0", "--drain-timeout", "5"])
        let port = try await worker.listeningPort()

        let idle = try await RawConnection(port: port)
        try await idle.send("GET /health HTTP/1.1\r\nHost: t\r\n\r\n")
        #expect(try await idle.response().status == 200)

        // In flight: the head and half the body are in when SIGTERM arrives.
        // The interim 100 shows the worker has accepted the connection and
        // read the head (a connection still in the kernel's queue would be
        // refused by the drain, rightly).
        let busy = try await RawConnection(port: port)
        try await busy.send("POST /health HTTP/1.1\r\nHost: t\r\nContent-Length: 10\r\nExpect: 100-continue\r\n\r\n")
        let interim = String(decoding: try await busy.readSome(timeout: 20), as: UTF8.self)
        #expect(interim == "HTTP/1.1 100 Continue\r\n\r\n")
        try await busy.send("hello")

        worker.signal(SIGTERM)
        _ = try await worker.waitForLog("stopping")
        #expect(await idle.isClosedByServer())
        #expect((try? await RawConnection(port: port)) == nil, "a new connection must be refused while draining")
        #expect(worker.process.isRunning, "the worker must wait for the in-flight request")

        try await busy.send("world")
        let last = try await busy.response()
        #expect(last.status == 200)
        #expect(last.headers["Connection"] == "close")
        #expect(try await worker.exitStatus() == 0)
        #expect(worker.logLines.contains { $0["msg"]?.stringValue == "stopped" })
    }
}
