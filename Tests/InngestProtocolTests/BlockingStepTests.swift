import Foundation
import Testing
import HTTP
import JSON
@testable import InngestProtocol
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A step that blocks its thread (here on a file lock held by the test) must
/// not hold the HTTP event loop: the server keeps answering `/health` while
/// the step waits. The server runs one event loop, so a body run on it would
/// stall every other request until the lock is released.
@Suite struct BlockingStepTests {
    final class Flag: @unchecked Sendable {
        private let lock = NSLock()
        private var set = false
        func raise() { lock.withLock { set = true } }
        var isRaised: Bool { lock.withLock { set } }
    }

    @Test func healthAnswersWhileAStepWaitsOnAFileLock() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("blocking-\(UUID().uuidString).lock").path
        let held = open(path, O_CREAT | O_RDWR, 0o600)
        #expect(held >= 0)
        #expect(flock(held, LOCK_EX) == 0)
        defer { flock(held, LOCK_UN); close(held); unlink(path) }

        let started = Flag(), released = Flag()
        let function = InngestFunction(id: "locker", triggers: [.event("test/lock")]) { ctx -> String in
            try await ctx.step.run("wait-for-lock") { () -> String in
                started.raise()
                let fd = open(path, O_RDWR)
                defer { close(fd) }
                flock(fd, LOCK_EX)              // blocks this thread until the test unlocks
                return released.isRaised ? "got the lock after release" : "got the lock early"
            }
        }
        let handler = devInngest([function]).handler
        var router = HTTPRouter()
        router.add("GET", "/health") { _ in HTTPResponse(status: 200, contentType: "text/plain", text: "ok") }
        router.add("POST", "/api/inngest", handler: handler)
        let server = HTTPServer(configuration: HTTPServerConfiguration(host: "127.0.0.1", port: 0, eventLoops: 1), handler: router)
        try server.start()
        let base = "http://127.0.0.1:\(server.port)"
        let client = SocketHTTPClient()

        let call = Task {
            try await client.send(HTTPClientRequest(method: "POST", url: "\(base)/api/inngest?fnId=test-app-locker&stepId=step",
                                                    headers: ["Content-Type": "application/json"],
                                                    body: CallBody.make(event: ["name": "test/lock", "data": [:], "id": "e1", "ts": 1, "user": [:]]),
                                                    timeout: 30))
        }
        while !started.isRaised { try await Task.sleep(nanoseconds: 1_000_000) }

        var latencies: [Double] = []
        for _ in 0..<200 {
            let t0 = DispatchTime.now().uptimeNanoseconds
            let health = try await client.send(HTTPClientRequest(method: "GET", url: "\(base)/health", timeout: 2))
            latencies.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e6)
            #expect(health.status == 200)
        }
        #expect(!released.isRaised, "the step is still waiting on its lock")
        let p99 = latencies.sorted()[Int(Double(latencies.count) * 0.99) - 1]
        // A loose bound that only a blocked loop breaks; bench/http/blocking-step.sh measures the real p99.
        #expect(p99 < 500, "health p99 \(p99) ms while a step blocks")

        released.raise()
        flock(held, LOCK_UN)
        let response = try await call.value
        #expect(response.status == 206)
        #expect(String(decoding: response.body, as: UTF8.self).contains("got the lock after release"))
        await server.shutdown(drain: 1)
    }
}
