import Testing
@testable import HTTP

@Suite struct HTTPServerShutdownTests {
    @Test func shutdownDrainsInFlightClosesIdleAndStopsAccepting() async throws {
        let gate = Gate()
        let started = Gate()
        let server = HTTPServer(configuration: HTTPServerConfiguration(), handler: ClosureHTTPHandler { request in
            if request.path == "/slow" {
                started.open()
                await gate.wait()
            }
            return HTTPResponse(status: 200, body: Array(request.path.utf8))
        })
        try server.start()
        let port = server.port

        let idle = try await RawConnection(port: port)
        try await idle.send("GET /warm HTTP/1.1\r\nHost: t\r\n\r\n")
        #expect(try await idle.response().status == 200)

        let busy = try await RawConnection(port: port)
        try await busy.send("GET /slow HTTP/1.1\r\nHost: t\r\n\r\n")
        await started.wait()

        let stopping = Task { await server.shutdown(drain: 5) }
        #expect(await idle.isClosedByServer())
        // A new connection is refused once the listener is closed.
        var refused = false
        for _ in 0..<200 where !refused {
            refused = (try? await RawConnection(port: port)) == nil
            if !refused { try await Task.sleep(nanoseconds: 10_000_000) }
        }
        #expect(refused)
        gate.open()
        let last = try await busy.response()
        #expect(last.text == "/slow")
        #expect(last.headers["Connection"] == "close")
        await stopping.value
        #expect(server.openConnections == 0)
    }

    @Test func drainDeadlineCutsAHandlerThatNeverFinishes() async throws {
        let gate = Gate()
        let server = HTTPServer(configuration: HTTPServerConfiguration(), handler: ClosureHTTPHandler { _ in
            await gate.wait()
            return HTTPResponse(status: 200)
        })
        try server.start()
        let c = try await RawConnection(port: server.port)
        try await c.send("GET / HTTP/1.1\r\nHost: t\r\n\r\n")
        try await Task.sleep(nanoseconds: 50_000_000)
        let start = ContinuousClock.now
        await server.shutdown(drain: 0.2)
        #expect(ContinuousClock.now - start < .seconds(8))
        #expect(await c.isClosedByServer())
        gate.open()
    }
}
