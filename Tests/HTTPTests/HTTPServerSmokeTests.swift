import Testing
@testable import HTTP
import TestSupport

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

@Suite struct HTTPServerStartTests {
    @Test func secondServerOnTheSamePortIsRefused() async throws {
        let config = HTTPServerConfiguration(eventLoops: 2)
        let first = HTTPServer(configuration: config, handler: ClosureHTTPHandler { _ in HTTPResponse(status: 200) })
        try first.start()
        var same = config
        same.port = first.port
        let second = HTTPServer(configuration: same, handler: ClosureHTTPHandler { _ in HTTPResponse(status: 200) })
        #expect(throws: HTTPServer.StartError.self) { try second.start() }
        #expect(throws: HTTPServer.StartError.alreadyStarted) { try first.start() }
        await first.shutdown(drain: 0.1)
    }

    /// Servers started together on port 0 must each get a port of their own:
    /// a shared port would let one server answer another's connections.
    @Test func serversOnEphemeralPortsNeverSharePorts() async throws {
        let config = HTTPServerConfiguration(eventLoops: 2)
        let servers = (0..<16).map { _ in
            HTTPServer(configuration: config, handler: ClosureHTTPHandler { _ in HTTPResponse(status: 200) })
        }
        await withTaskGroup(of: Void.self) { group in
            for server in servers { group.addTask { try? server.start() } }
        }
        let ports = servers.map(\.port)
        #expect(ports.allSatisfy { $0 > 0 })
        #expect(Set(ports).count == servers.count)
        for server in servers { await server.shutdown(drain: 0.1) }
    }

    @Test func everyLoopServesConnections() async throws {
        try await withServer(HTTPServerConfiguration(eventLoops: 3), handler: echoHandler) { server in
            for i in 0..<12 {
                let c = try await RawConnection(port: server.port)
                try await c.send("GET /\(i) HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
                #expect(try await c.response().headers["X-Path"] == "/\(i)")
            }
        }
    }
}
