import Foundation
import HTTP
import Testing
import TestSupport
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Hostile requests against the real `worker` process over a real socket.
@Suite struct HostileRequestProcessTests {
    /// A signature timestamp of Int64.min once killed the worker with SIGILL
    /// (the skew check overflowed). In cloud mode it must be answered 401,
    /// repeatedly, with the process still serving afterwards.
    @Test func overflowingSignatureTimestampIsRefusedAndTheWorkerStaysUp() async throws {
        let worker = try WorkerProcess(arguments: ["--port", "0"], environment: [
            "INNGEST_DEV": "0",
            "INNGEST_BASE_URL": "http://127.0.0.1:9",
            "INNGEST_SIGNING_KEY": "signkey-test-0123456789abcdef",
        ])
        let port = try await worker.listeningPort()
        for timestamp in ["-9223372036854775808", "9223372036854775807", "-9223372036854775807"] {
            let socket = try await RawConnection(port: port)
            try await socket.send("POST /api/inngest?fnId=x HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "X-Inngest-Signature: t=\(timestamp)&s=x\r\nContent-Length: 2\r\n\r\n{}")
            #expect(try await socket.response().status == 401, "t=\(timestamp)")
        }
        #expect(worker.process.isRunning)
        let health = try await SocketHTTPClient().send(HTTPClientRequest(method: "GET", url: "http://127.0.0.1:\(port)/health"))
        #expect(health.status == 200)
        worker.signal(SIGTERM)
        #expect(try await worker.exitStatus() == 0)
    }

    /// A declared body over the serve endpoint's limit is refused from the
    /// head alone: the worker never reads (or holds) it.
    @Test func oversizedDeclaredBodyIs413BeforeItIsRead() async throws {
        let worker = try WorkerProcess(arguments: ["--port", "0"])
        let port = try await worker.listeningPort()
        let socket = try await RawConnection(port: port)
        try await socket.send("POST /api/inngest?fnId=x HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 16777217\r\n\r\n")
        #expect(try await socket.response().status == 413)
        worker.signal(SIGTERM)
        #expect(try await worker.exitStatus() == 0)
    }
}
