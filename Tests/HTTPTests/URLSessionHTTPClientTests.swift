// URLSessionHTTPClient is compiled on Apple platforms only (Linux speaks https
// through SocketHTTPClient and OpenSSL, without FoundationNetworking).
#if canImport(Darwin)
import Testing
import HTTP

@Suite struct URLSessionHTTPClientTests {
    @Test func sendsMethodHeadersAndBodyAndReadsTheResponse() async throws {
        try await withServer(handler: { request in
            var headers = HTTPHeaders()
            headers.add("X-Seen", request.headers["X-Custom"] ?? "none")
            return HTTPResponse(status: 201, headers: headers, body: request.body + Array(request.method.utf8))
        }) { server in
            let client = URLSessionHTTPClient()
            var headers = HTTPHeaders()
            headers.add("X-Custom", "abc")
            let response = try await client.send(HTTPClientRequest(
                method: "PUT", url: "http://127.0.0.1:\(server.port)/x", headers: headers, body: Array("data-".utf8)))
            #expect(response.status == 201)
            #expect(response.headers["x-seen"] == "abc")
            #expect(String(decoding: response.body, as: UTF8.self) == "data-PUT")
        }
    }

    @Test func slowServerIsReportedAsTimedOut() async throws {
        try await withServer(handler: { _ in
            try? await Task.sleep(nanoseconds: 800_000_000)
            return HTTPResponse(status: 200)
        }) { server in
            let client = URLSessionHTTPClient()
            await #expect(throws: HTTPClientError.timedOut) {
                _ = try await client.send(HTTPClientRequest(method: "GET", url: "http://127.0.0.1:\(server.port)/", timeout: 0.3))
            }
        }
    }

    @Test func refusedConnectionIsATransportError() async throws {
        // Bind a port, then stop the server so nothing listens there.
        let server = HTTPServer(configuration: HTTPServerConfiguration(), handler: ClosureHTTPHandler { _ in HTTPResponse(status: 200) })
        try server.start()
        let port = server.port
        await server.shutdown(drain: 0.1)
        let client = URLSessionHTTPClient()
        do {
            _ = try await client.send(HTTPClientRequest(method: "GET", url: "http://127.0.0.1:\(port)/", timeout: 5))
            Issue.record("expected a transport error")
        } catch let error as HTTPClientError {
            guard case .transport = error else { Issue.record("expected transport, got \(error)"); return }
        }
    }

    @Test func malformedURLIsRejected() async throws {
        await #expect(throws: HTTPClientError.invalidURL("not a url")) {
            _ = try await URLSessionHTTPClient().send(HTTPClientRequest(method: "GET", url: "not a url"))
        }
    }
}
#endif
