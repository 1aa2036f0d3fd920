import Testing
@testable import HTTP

@Suite struct HTTPServerSmokeTests {
    @Test func answersTwoRequestsOnOneKeptAliveConnection() async throws {
        try await withServer(handler: echoHandler) { server in
            let c = try await RawConnection(port: server.port)
            try await c.send("GET /a HTTP/1.1\r\nHost: x\r\n\r\n")
            let first = try await c.response()
            #expect(first.status == 200)
            #expect(first.headers["X-Path"] == "/a")
            try await c.send("POST /b HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello")
            let second = try await c.response()
            #expect(second.text == "hello")
            #expect(second.headers["X-Method"] == "POST")
        }
    }
}
