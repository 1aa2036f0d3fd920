// Linux only: on Apple platforms https goes through URLSession, which trusts
// the system's certificate settings rather than a CA file from configuration.
#if canImport(Glibc)
import Foundation
@testable import HTTP
import Testing
import TestSupport

/// https through `SocketHTTPClient` against a real, independent TLS server
/// (Python's ssl module) on loopback, with the test CA from Fixtures/tls.
@Suite struct SocketHTTPClientTLSTests {
    private let trusting = SocketHTTPClient(configuration: .init(extraTrustedCAFile: TLSPeer.caFile))

    @Test func getOverHTTPSReturnsStatusHeadersAndBody() async throws {
        try await TLSPeer.with(.server) { peer in
            let response = try await trusting.send(HTTPClientRequest(method: "GET", url: "https://localhost:\(peer.port)/hello", timeout: 10))
            #expect(response.status == 200)
            #expect(response.headers["X-Test"] == "yes")
            #expect(response.headers["Content-Type"] == "text/plain")
            #expect(response.text == "hello over tls")
        }
    }

    @Test func postSendsA4KBodyExactly() async throws {
        let body = (0..<4096).map { UInt8(truncatingIfNeeded: $0 * 7 + 3) }
        try await TLSPeer.with(.server) { peer in
            let response = try await trusting.send(HTTPClientRequest(method: "POST", url: "https://localhost:\(peer.port)/echo",
                                                                     body: body, timeout: 10))
            #expect(response.status == 200)
            #expect(response.headers["X-Length"] == "4096")
            #expect(response.body == body)
        }
    }

    @Test func chunkedResponseOverTLS() async throws {
        try await TLSPeer.with(.server) { peer in
            let response = try await trusting.send(HTTPClientRequest(method: "GET", url: "https://localhost:\(peer.port)/chunked", timeout: 10))
            #expect(response.status == 200)
            #expect(response.text == "first,second," + String(repeating: "x", count: 5000))
        }
    }

    @Test func sequentialRequestsReuseOneTLSConnection() async throws {
        try await TLSPeer.with(.server) { peer in
            let client = SocketHTTPClient(configuration: .init(extraTrustedCAFile: TLSPeer.caFile))
            var served: [String?] = []
            for path in ["/hello", "/chunked", "/hello"] {
                let response = try await client.send(HTTPClientRequest(method: "GET", url: "https://localhost:\(peer.port)\(path)", timeout: 10))
                #expect(response.status == 200)
                served.append(response.headers["X-Connection"])
            }
            #expect(served == ["1", "1", "1"])
            #expect(peer.clientSocketsOpen() == 1)  // pooled, not leaked twice
        }
    }

    @Test func idleTLSConnectionClosedByTheServerIsReplaced() async throws {
        try await TLSPeer.with(.server) { peer in
            let client = SocketHTTPClient(configuration: .init(extraTrustedCAFile: TLSPeer.caFile))
            let first = try await client.send(HTTPClientRequest(method: "GET", url: "https://localhost:\(peer.port)/then-close", timeout: 10))
            #expect(first.text == "last on this connection" && first.headers["X-Connection"] == "1")
            try await waitUntil("the server's close reached the pooled socket") { peer.clientSocketsOpen(closedByPeer: true) == 1 }
            let second = try await client.send(HTTPClientRequest(method: "POST", url: "https://localhost:\(peer.port)/echo",
                                                                  body: Array("again".utf8), timeout: 10))
            #expect(second.text == "again" && second.headers["X-Connection"] == "2")
            #expect(peer.clientSocketsOpen() == 1)  // the stale one was closed
        }
    }

    @Test func untrustedCAIsACertificateVerificationError() async throws {
        try await TLSPeer.with(.server) { peer in
            let error = await #expect(throws: HTTPClientError.self) {
                try await SocketHTTPClient().send(HTTPClientRequest(method: "GET", url: "https://localhost:\(peer.port)/hello", timeout: 10))
            }
            guard case .transport(let reason) = error else { Issue.record("not a transport error: \(String(describing: error))"); return }
            #expect(reason.contains("certificate verify failed"))
            #expect(reason.contains("local issuer certificate"))
            #expect(peer.clientSocketsOpen() == 0)
        }
    }

    @Test func hostnameMismatchIsRefused() async throws {
        try await TLSPeer.with(.wrong) { peer in
            let error = await #expect(throws: HTTPClientError.self) {
                try await trusting.send(HTTPClientRequest(method: "GET", url: "https://localhost:\(peer.port)/hello", timeout: 10))
            }
            guard case .transport(let reason) = error else { Issue.record("not a transport error: \(String(describing: error))"); return }
            #expect(reason.contains("certificate verify failed: hostname mismatch"))
            #expect(peer.clientSocketsOpen() == 0)
        }
    }

    @Test func ipLiteralIsVerifiedAgainstTheIPAddressSAN() async throws {
        try await TLSPeer.with(.server) { peer in
            let response = try await trusting.send(HTTPClientRequest(method: "GET", url: "https://127.0.0.1:\(peer.port)/hello", timeout: 10))
            #expect(response.text == "hello over tls")
        }
        try await TLSPeer.with(.wrong) { peer in
            let error = await #expect(throws: HTTPClientError.self) {
                try await trusting.send(HTTPClientRequest(method: "GET", url: "https://127.0.0.1:\(peer.port)/hello", timeout: 10))
            }
            guard case .transport(let reason) = error else { Issue.record("not a transport error: \(String(describing: error))"); return }
            #expect(reason.contains("certificate verify failed: IP address mismatch"))
        }
    }

    @Test func peerThatNeverSpeaksTLSTimesOutByTheDeadline() async throws {
        try await TLSPeer.with(nil) { peer in
            let started = MonotonicClock.now()
            await #expect(throws: HTTPClientError.timedOut) {
                try await trusting.send(HTTPClientRequest(method: "GET", url: "https://127.0.0.1:\(peer.port)/hello", timeout: 0.3))
            }
            #expect(MonotonicClock.now() - started < 5_000_000_000)
            #expect(peer.clientSocketsOpen() == 0)
        }
    }

    @Test func serverClosingMidResponseIsATransportError() async throws {
        try await TLSPeer.with(.server) { peer in
            let error = await #expect(throws: HTTPClientError.self) {
                try await trusting.send(HTTPClientRequest(method: "GET", url: "https://localhost:\(peer.port)/truncated", timeout: 10))
            }
            guard case .transport(let reason) = error else { Issue.record("not a transport error: \(String(describing: error))"); return }
            #expect(reason.contains("connection closed inside a body"))
            #expect(peer.clientSocketsOpen() == 0)
        }
    }

    /// The test process keeps SIGPIPE's default action (terminate), so this
    /// only passes if OpenSSL's writes into the reset connection are guarded.
    @Test func peerResettingWhileTheClientSendsIsATransportErrorNotSIGPIPE() async throws {
        let body = [UInt8](repeating: 0x61, count: 4 << 20)
        try await TLSPeer.with(.server) { peer in
            do {
                let response = try await trusting.send(HTTPClientRequest(method: "POST", url: "https://localhost:\(peer.port)/reject",
                                                                         body: body, timeout: 10))
                #expect(response.status == 413)  // the whole body fit in the socket buffers before the reset
            } catch let error as HTTPClientError {
                guard case .transport = error else { Issue.record("not a transport error: \(error)"); return }
            }
            #expect(peer.clientSocketsOpen() == 0)
        }
    }

    @Test func responseLargerThanTheLimitIsRefused() async throws {
        let client = SocketHTTPClient(configuration: .init(maxResponseBytes: 1000, extraTrustedCAFile: TLSPeer.caFile))
        try await TLSPeer.with(.server) { peer in
            let error = await #expect(throws: HTTPClientError.self) {
                try await client.send(HTTPClientRequest(method: "GET", url: "https://localhost:\(peer.port)/chunked", timeout: 10))
            }
            guard case .transport(let reason) = error else { Issue.record("not a transport error: \(String(describing: error))"); return }
            #expect(reason.contains("exceeds the limit"))
            #expect(peer.clientSocketsOpen() == 0)
        }
    }

    @Test func missingExtraCAFileIsAClearError() async throws {
        let client = SocketHTTPClient(configuration: .init(extraTrustedCAFile: "/nonexistent/ca.pem"))
        let error = await #expect(throws: HTTPClientError.self) {
            try await client.send(HTTPClientRequest(method: "GET", url: "https://127.0.0.1:9/", timeout: 2))
        }
        #expect(error.map { "\($0)" }?.contains("/nonexistent/ca.pem") == true)
    }
}
#endif
