import Testing
@testable import HTTP
import TestSupport

@Suite struct SocketHTTPClientTests {
    private func url(_ server: HTTPServer, _ path: String) -> String { "http://127.0.0.1:\(server.port)\(path)" }

    @Test func sendsMethodHeadersBodyAndReadsTheResponse() async throws {
        try await withServer(handler: { request in
            var headers = HTTPHeaders()
            headers.add("X-Seen", request.headers["X-Custom"] ?? "none")
            headers.add("X-Host", request.headers["Host"] ?? "none")
            headers.add("X-Query", request.queryValue("q") ?? "none")
            return HTTPResponse(status: 201, headers: headers, body: Array(request.method.utf8) + request.body)
        }) { server in
            let client = SocketHTTPClient()
            let response = try await client.send(HTTPClientRequest(method: "POST", url: url(server, "/x?q=a%20b"),
                                                                   headers: ["X-Custom": "v"], body: Array("-data".utf8)))
            #expect(response.status == 201)
            #expect(response.headers["x-seen"] == "v")
            #expect(response.headers["x-host"] == "127.0.0.1:\(server.port)")
            #expect(response.headers["x-query"] == "a b")
            #expect(response.body == Array("POST-data".utf8))
        }
    }

    @Test func sequentialRequestsShareOneKeptAliveConnection() async throws {
        try await withServer(handler: echoHandler) { server in
            let client = SocketHTTPClient()
            for i in 0..<50 {
                let r = try await client.send(HTTPClientRequest(method: "GET", url: url(server, "/n\(i)")))
                #expect(r.headers["X-Path"] == "/n\(i)")
            }
            #expect(server.openConnections == 1)
        }
    }

    @Test func concurrentRequestsAllSucceed() async throws {
        try await withServer(handler: echoHandler) { server in
            let client = SocketHTTPClient(configuration: .init(maxIdlePerHost: 4))
            let paths = try await withThrowingTaskGroup(of: String?.self) { group in
                for i in 0..<40 {
                    group.addTask { try await client.send(HTTPClientRequest(method: "GET", url: url(server, "/c\(i)"))).headers["X-Path"] }
                }
                var all: [String] = []
                for try await p in group { all.append(p ?? "") }
                return all
            }
            #expect(Set(paths) == Set((0..<40).map { "/c\($0)" }))
            try await waitUntil("at most 4 connections open") { server.openConnections <= 4 }
        }
    }

    @Test func chunkedAndLargeResponses() async throws {
        let big = (0..<(5 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        try await withServer(handler: { request in
            if request.path == "/big" { return HTTPResponse(status: 200, body: request.body) }
            let (stream, c) = AsyncStream<[UInt8]>.makeStream()
            c.yield(Array("ab".utf8)); c.yield(Array("cd".utf8)); c.finish()
            return HTTPResponse(status: 200, body: .stream(stream))
        }) { server in
            let client = SocketHTTPClient()
            let streamed = try await client.send(HTTPClientRequest(method: "GET", url: url(server, "/stream")))
            #expect(streamed.body == Array("abcd".utf8))
            let echoed = try await client.send(HTTPClientRequest(method: "POST", url: url(server, "/big"), body: big))
            #expect(echoed.body == big)
        }
    }

    /// The server holds the request until the test ends, so only the
    /// client's timeout can end the call (how late it fires is measured by
    /// bench/timeouts, not asserted here).
    @Test(.timeLimit(.minutes(1))) func slowServerTimesOut() async throws {
        let gate = Gate()
        try await withServer(handler: { _ in await gate.wait(); return HTTPResponse(status: 200) }) { server in
            await #expect(throws: HTTPClientError.timedOut) {
                _ = try await SocketHTTPClient().send(HTTPClientRequest(method: "GET", url: url(server, "/"), timeout: 0.2))
            }
            gate.open()
        }
    }

    @Test func connectionClosedByTheServerWhileIdleIsNotReused() async throws {
        var config = HTTPServerConfiguration()
        config.idleTimeout = 0.1
        try await withServer(config, handler: echoHandler) { server in
            let client = SocketHTTPClient()
            #expect(try await client.send(HTTPClientRequest(method: "POST", url: url(server, "/1"), body: [1])).status == 200)
            try await waitUntil("every connection closed") { server.openConnections == 0 }  // the server dropped the pooled connection
            #expect(try await client.send(HTTPClientRequest(method: "POST", url: url(server, "/2"), body: [2])).body == [2])
        }
    }

    @Test func refusedAndInvalidTargets() async throws {
        let server = HTTPServer(configuration: HTTPServerConfiguration(), handler: ClosureHTTPHandler { _ in HTTPResponse(status: 200) })
        try server.start()
        let port = server.port
        await server.shutdown(drain: 0.1)
        let client = SocketHTTPClient()
        do {
            _ = try await client.send(HTTPClientRequest(method: "GET", url: "http://127.0.0.1:\(port)/"))
            Issue.record("expected a transport error")
        } catch let error as HTTPClientError {
            guard case .transport = error else { Issue.record("expected transport, got \(error)"); return }
        }
        for bad in ["ftp://x/", "http://", "https://", "https://u@127.0.0.1/", "http://u@127.0.0.1/", "http://127.0.0.1:99999/", "http://127.0.0.1/a b"] {
            // The error names the URL without its path (which may hold a key).
            let named = bad == "http://127.0.0.1/a b" ? "http://127.0.0.1/…" : bad
            await #expect(throws: HTTPClientError.invalidURL(named)) {
                _ = try await client.send(HTTPClientRequest(method: "GET", url: bad))
            }
        }
    }

    @Test func endpointParsing() throws {
        let a = try #require(HTTPEndpoint("http://127.0.0.1:8288/fn/register?x=1#frag"))
        #expect(a.host == "127.0.0.1" && a.port == 8288 && a.target == "/fn/register?x=1" && a.hostHeader == "127.0.0.1:8288")
        let b = try #require(HTTPEndpoint("HTTP://localhost"))
        #expect(b.host == "localhost" && b.port == 80 && b.target == "/" && b.hostHeader == "localhost")
        let c = try #require(HTTPEndpoint("http://[::1]:3111?q"))
        #expect(c.host == "::1" && c.port == 3111 && c.target == "/?q" && c.hostHeader == "[::1]:3111")
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

    @Test func requestEncodingSetsHostAndLength() throws {
        let endpoint = try #require(HTTPEndpoint("http://127.0.0.1:9/p"))
        let wire = SocketHTTPClient.encode(HTTPClientRequest(method: "PUT", url: "", headers: ["Content-Length": "99", "X": "y"], body: [65]), endpoint: endpoint)
        #expect(String(decoding: wire, as: UTF8.self) == "PUT /p HTTP/1.1\r\nHost: 127.0.0.1:9\r\nX: y\r\nContent-Length: 1\r\n\r\nA")
    }
}

@Suite struct ClientTimeoutEdgeTests {
    @Test func extremeTimeoutsNeitherTrapNorHang() async throws {
        try await withServer(handler: echoHandler) { server in
            for timeout in [Double.infinity, .nan, 0, -5, 1e300] {
                let socket = try await SocketHTTPClient().send(HTTPClientRequest(method: "GET", url: "http://127.0.0.1:\(server.port)/t", timeout: timeout))
                #expect(socket.status == 200)
            }
            #if canImport(Darwin)
            let session = try await URLSessionHTTPClient().send(HTTPClientRequest(method: "GET", url: "http://127.0.0.1:\(server.port)/t", timeout: .infinity))
            #expect(session.status == 200)
            #endif
        }
        #expect(MonotonicClock.deadline(after: .infinity) > MonotonicClock.now())
        #expect(MonotonicClock.deadline(after: .nan) == 0)
    }
}
