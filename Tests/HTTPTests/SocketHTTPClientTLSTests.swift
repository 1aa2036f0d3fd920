import Foundation
@testable import HTTP
import Testing

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
        }
    }

    @Test func idleTLSConnectionClosedByTheServerIsReplaced() async throws {
        try await TLSPeer.with(.server) { peer in
            let client = SocketHTTPClient(configuration: .init(extraTrustedCAFile: TLSPeer.caFile))
            let first = try await client.send(HTTPClientRequest(method: "GET", url: "https://localhost:\(peer.port)/then-close", timeout: 10))
            #expect(first.text == "last on this connection" && first.headers["X-Connection"] == "1")
            try await Task.sleep(nanoseconds: 100_000_000)  // the server's close reaches the pooled socket
            let second = try await client.send(HTTPClientRequest(method: "POST", url: "https://localhost:\(peer.port)/echo",
                                                                  body: Array("again".utf8), timeout: 10))
            #expect(second.text == "again" && second.headers["X-Connection"] == "2")
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
        }
    }

    @Test func hostnameMismatchIsRefused() async throws {
        try await TLSPeer.with(.wrong) { peer in
            let error = await #expect(throws: HTTPClientError.self) {
                try await trusting.send(HTTPClientRequest(method: "GET", url: "https://localhost:\(peer.port)/hello", timeout: 10))
            }
            guard case .transport(let reason) = error else { Issue.record("not a transport error: \(String(describing: error))"); return }
            #expect(reason.contains("certificate verify failed: hostname mismatch"))
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
        }
    }

    @Test func serverClosingMidResponseIsATransportError() async throws {
        try await TLSPeer.with(.server) { peer in
            let error = await #expect(throws: HTTPClientError.self) {
                try await trusting.send(HTTPClientRequest(method: "GET", url: "https://localhost:\(peer.port)/truncated", timeout: 10))
            }
            guard case .transport(let reason) = error else { Issue.record("not a transport error: \(String(describing: error))"); return }
            #expect(reason.contains("connection closed inside a body"))
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
        }
    }

    @Test func missingExtraCAFileIsAClearError() async throws {
        let client = SocketHTTPClient(configuration: .init(extraTrustedCAFile: "/nonexistent/ca.pem"))
        let error = await #expect(throws: HTTPClientError.self) {
            try await client.send(HTTPClientRequest(method: "GET", url: "https://127.0.0.1:9/", timeout: 2))
        }
        #expect(error.map { "\($0)" }?.contains("/nonexistent/ca.pem") == true)
    }

    @Test func httpsURLsDefaultToPort443AndOmitItFromHost() throws {
        let endpoint = try #require(HTTPEndpoint("HTTPS://example.test/a?b=1"))
        #expect(endpoint.isSecure && endpoint.host == "example.test" && endpoint.port == 443 && endpoint.target == "/a?b=1")
        #expect(endpoint.hostHeader == "example.test")
        #expect(endpoint.poolKey == "https://example.test:443")
        let explicit = try #require(HTTPEndpoint("https://[::1]:8443"))
        #expect(explicit.host == "::1" && explicit.port == 8443 && explicit.hostHeader == "[::1]:8443")
        #expect(HTTPEndpoint("https://example.test:443/")?.hostHeader == "example.test")
        #expect(HTTPEndpoint("http://example.test:443/")?.hostHeader == "example.test:443")
        #expect(HTTPEndpoint("http://example.test/")?.poolKey == "http://example.test:80")
        #expect(HTTPEndpoint("https://") == nil)
        let wire = SocketHTTPClient.encode(HTTPClientRequest(method: "GET", url: ""), endpoint: endpoint)
        #expect(String(decoding: wire, as: UTF8.self) == "GET /a?b=1 HTTP/1.1\r\nHost: example.test\r\n\r\n")
    }
}
