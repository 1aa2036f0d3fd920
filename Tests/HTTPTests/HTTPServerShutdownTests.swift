import Foundation
import Testing
@testable import HTTP
import Support
import TestSupport

@Suite struct HTTPServerShutdownTests {
    /// Two loops (on Linux two `SO_REUSEPORT` listeners). The listeners stop
    /// before idle connections are closed, so the first connect after the
    /// idle connection was closed is refused outright: no polling, no window.
    /// The server's clock never moves, so its drain deadline cannot end the
    /// shutdown: it returns because the last request was answered.
    @Test func shutdownDrainsInFlightClosesIdleAndStopsAccepting() async throws {
        let gate = Gate()
        let started = Gate()
        let server = HTTPServer(configuration: HTTPServerConfiguration(eventLoops: 2), handler: ClosureHTTPHandler { request in
            if request.path == "/slow" {
                started.open()
                await gate.wait()
            }
            return HTTPResponse(status: 200, body: Array(request.path.utf8))
        }, clock: TestClock())
        try server.start()
        let port = server.port

        let idle = try await RawConnection(port: port)
        try await idle.send("GET /warm HTTP/1.1\r\nHost: t\r\n\r\n")
        #expect(try await idle.response().status == 200)

        let busy = try await RawConnection(port: port)
        try await busy.send("GET /slow HTTP/1.1\r\nHost: t\r\n\r\n")
        await started.wait()

        let stopping = Task { await server.shutdown(drain: 10) }
        #expect(await idle.isClosedByServer())
        for _ in 0..<20 {
            #expect(await Self.connectOutcome(port: port) == .refused)
        }
        gate.open()
        let last = try await busy.response()
        #expect(last.text == "/slow")
        #expect(last.headers["Connection"] == "close")
        await stopping.value
        #expect(server.openConnections == 0)
    }

    #if os(Linux)
    /// Every loop is held by a handler that blocks its thread, so no acceptor
    /// can run. Shutdown must still refuse new connects at once, and reset the
    /// connections the kernel had queued for the loops (never serve them,
    /// never leave them hanging); once the loops are free, the in-flight
    /// requests are answered and shutdown returns (on a clock that never
    /// moves, so not because its drain deadline passed).
    /// (Elsewhere a listening socket accepts until it is closed, which needs
    /// its loop; `drainingListenerClosesWhatItAcceptsUnserved` covers that.)
    @Test(arguments: [1, 2])
    func listenersStopAtOnceWhileEveryLoopIsBusy(loops: Int) async throws {
        let blocked = Locked<Set<Int>>([])  // the n of each /block/n whose handler runs
        let release = Locked(false)
        let server = HTTPServer(configuration: HTTPServerConfiguration(eventLoops: loops), handler: ClosureHTTPHandler { request in
            if request.path.hasPrefix("/block/"), let n = Int(request.path.dropFirst(7)) {
                _ = blocked.withLock { $0.insert(n) }
                while !release.withLock({ $0 }) { usleep(1000) }
            }
            return HTTPResponse(status: 200, body: Array(request.path.utf8))
        }, clock: TestClock())
        try server.start()
        let port = server.port
        defer { release.withLock { $0 = true } }  // never leave a loop stuck

        // An idle kept-alive connection, then blocking requests until every
        // loop runs one. The kernel picks the loop; a connection sent to a
        // loop already blocked waits in the kernel's queue, unaccepted.
        let idle = try await RawConnection(port: port)
        try await idle.send("GET /warm HTTP/1.1\r\nHost: t\r\n\r\n")
        #expect(try await idle.response().status == 200)
        var sent: [RawConnection] = []
        while blocked.withLock({ $0.count }) < loops {
            try #require(sent.count < 64, "could not block every loop")
            let c = try await RawConnection(port: port)
            try await c.send("GET /block/\(sent.count) HTTP/1.1\r\nHost: t\r\n\r\n")
            sent.append(c)
            let before = blocked.withLock { $0.count }
            for _ in 0..<100 where blocked.withLock({ $0.count }) == before { try await Task.sleep(nanoseconds: 2_000_000) }
        }
        // Every loop is blocked now, so no other handler can start.
        let running = blocked.withLock { $0 }
        let inFlight = sent.indices.filter { running.contains($0) }.map { sent[$0] }
        var queued = sent.indices.filter { !running.contains($0) }.map { sent[$0] }

        let stopping = Task { await server.shutdown(drain: 10) }
        // Until shutdown has begun, a connect still completes (and queues);
        // from then on every connect must be refused.
        var refused = false
        for _ in 0..<500 where !refused {
            switch await Self.connectOutcome(port: port) {
            case .refused: refused = true
            case .reset: break  // queued, then reset by shutdown before connect returned
            case .connected(let c):
                try? await c.send("GET /late HTTP/1.1\r\nHost: t\r\n\r\n")
                queued.append(c)
                try await Task.sleep(nanoseconds: 5_000_000)
            case .failed(let reason): Issue.record("connect failed oddly: \(reason)")
            }
        }
        try #require(refused, "connects must be refused while every loop is busy")
        for _ in 0..<20 {
            #expect(await Self.connectOutcome(port: port) == .refused)
        }
        // The loops are still blocked, so the kernel alone ended the queued ones.
        for c in queued {
            #expect(try await c.readUntilClosed(timeout: 5).isEmpty, "a queued connection is closed unserved")
        }
        #expect(blocked.withLock { $0 } == running)

        release.withLock { $0 = true }
        for c in inFlight {
            let answer = try await c.response()
            #expect(answer.text.hasPrefix("/block/"))
            #expect(answer.headers["Connection"] == "close")
        }
        #expect(await idle.isClosedByServer())
        await stopping.value
        #expect(server.openConnections == 0)
    }
    #endif

    /// The acceptor's own guard, which is what keeps late connections from
    /// being served where the socket cannot be taken out of listening early:
    /// a connection accepted once draining has begun is closed unserved and
    /// the listener stops.
    @Test func drainingListenerClosesWhatItAcceptsUnserved() async throws {
        let served = Locked(0)
        let (fd, port) = try SocketAddress.listen(host: "127.0.0.1", port: 0, backlog: 16)
        defer { Socket.close(fd) }
        let poller = try EventPoller(tick: 0.05)
        poller.start(name: "test-listener-loop")
        defer { poller.stop() }
        let registry = ConnectionRegistry(maxConnections: 8)
        let listener = HTTPListener(fd: fd, poller: poller, handler: ClosureHTTPHandler { _ in
            served.withLock { $0 += 1 }
            return HTTPResponse(status: 200)
        }, configuration: HTTPServerConfiguration(), registry: registry)

        let late = try await RawConnection(port: port)
        try await late.send("GET / HTTP/1.1\r\nHost: t\r\n\r\n")
        registry.startDraining()
        // A listener that serves and keeps waiting would never return; the
        // watchdog then cancels its wait, so the test fails instead of hanging.
        let cutByWatchdog = Locked(false)
        let watchdog = Task {
            try await Task.sleep(nanoseconds: 5_000_000_000)
            cutByWatchdog.withLock { $0 = true }
            poller.cancelAll()
        }
        await listener.run()
        watchdog.cancel()
        #expect(!cutByWatchdog.withLock { $0 }, "the listener must stop on its own")
        #expect(try await late.readUntilClosed(timeout: 5).isEmpty)
        #expect(served.withLock { $0 } == 0)
        #expect(registry.openCount == 0)
    }

    /// A second shutdown (here while the first is still draining, then after
    /// it) waits for the first and touches nothing: it must not close the
    /// old descriptor numbers, which a server started since may now hold.
    @Test func repeatedShutdownWaitsForTheFirstAndClosesNothingTwice() async throws {
        let gate = Gate()
        let started = Gate()
        let clock = TestClock()
        let first = HTTPServer(configuration: HTTPServerConfiguration(), handler: ClosureHTTPHandler { _ in
            started.open()
            await gate.wait()
            return HTTPResponse(status: 200)
        }, clock: clock)
        try first.start()
        let busy = try await RawConnection(port: first.port)
        try await busy.send("GET / HTTP/1.1\r\nHost: t\r\n\r\n")
        await started.wait()
        let returned = Locked(0)
        let one = Task { await first.shutdown(drain: 10); returned.withLock { $0 += 1 } }
        let two = Task { await first.shutdown(drain: 10); returned.withLock { $0 += 1 } }
        // The first call is draining (asleep on the clock) and the request is
        // held, so nothing can end either call until the drain's last instant.
        try #require(await clock.waitForSleepers(1), "the shutdown never began its drain")
        clock.advance(by: .milliseconds(9_999))
        #expect(returned.withLock { $0 } == 0, "neither call returns while a request is still in flight")
        gate.open()
        #expect(try await busy.response().status == 200)
        await one.value
        await two.value
        #expect(first.openConnections == 0)

        try await withServer(handler: echoHandler) { second in
            await first.shutdown(drain: 10)
            for _ in 0..<4 {
                let c = try await RawConnection(port: second.port)
                try await c.send("GET /still HTTP/1.1\r\nHost: t\r\n\r\n")
                #expect(try await c.response().headers["X-Path"] == "/still")
            }
        }
    }

    /// At the drain deadline the server cuts the connection whose handler
    /// never finishes, then gives that handler's task its grace second and
    /// returns: the moments are set by advancing the server's clock.
    @Test func drainDeadlineCutsAHandlerThatNeverFinishes() async throws {
        let (server, c, gate, clock) = try await Self.serverHoldingOneRequest()
        defer { gate.open() }
        let returned = Locked(false)
        let stopping = Task { await server.shutdown(drain: 0.2); returned.withLock { $0 = true } }

        try #require(await clock.waitForSleepers(1), "the shutdown never began its drain")
        clock.advance(by: .milliseconds(199))
        #expect(server.openConnections == 1 && !returned.withLock { $0 }, "cut before the drain deadline")
        clock.advance(by: .milliseconds(1))
        #expect(await c.isClosedByServer(), "the connection is cut at the deadline")
        // The handler is still held, so its task never ends: shutdown waits
        // out the grace second and returns anyway.
        try #require(await clock.waitForSleepers(1), "no grace period after the cut")
        #expect(!returned.withLock { $0 })
        clock.advance(by: .seconds(1))
        await stopping.value
    }

    /// Drain values no `Duration` can hold (NaN, infinity, a negative
    /// number) must not trap the shutdown: NaN and negatives mean "at once"
    /// (a millisecond), infinity the longest drain (about 30 years).
    @Test(arguments: [Double.nan, -5, Double.infinity])
    func drainValuesOutsideADurationDoNotTrap(drain: Double) async throws {
        let (server, c, gate, clock) = try await Self.serverHoldingOneRequest()
        defer { gate.open() }
        let stopping = Task { await server.shutdown(drain: drain) }
        try #require(await clock.waitForSleepers(1), "the shutdown never began its drain")
        if drain.isFinite || drain.isNaN {
            clock.advance(by: .milliseconds(1))
            #expect(await c.isClosedByServer(), "cut after a millisecond")
            try #require(await clock.waitForSleepers(1))
            clock.advance(by: .seconds(1))
        } else {
            clock.advance(by: .seconds(86_400 * 365))
            #expect(server.openConnections == 1, "a year into a 30-year drain the request is still held")
            gate.open()
            #expect(try await c.response().status == 200)
        }
        await stopping.value
    }

    /// A server on a `TestClock` whose one connection has a request in its
    /// handler, held there until `gate` opens.
    static func serverHoldingOneRequest() async throws -> (HTTPServer, RawConnection, gate: Gate, clock: TestClock) {
        let gate = Gate()
        let started = Gate()
        let clock = TestClock()
        let server = HTTPServer(configuration: HTTPServerConfiguration(), handler: ClosureHTTPHandler { _ in
            started.open()
            await gate.wait()
            return HTTPResponse(status: 200)
        }, clock: clock)
        try server.start()
        let c = try await RawConnection(port: server.port)
        try await c.send("GET / HTTP/1.1\r\nHost: t\r\n\r\n")
        await started.wait()
        return (server, c, gate, clock)
    }

    enum ConnectOutcome: Equatable {
        /// `reset`: the handshake completed, then the server reset the
        /// connection before the connect call returned (closed, unserved).
        case refused, reset, connected(RawConnection), failed(String)

        static func == (a: Self, b: Self) -> Bool {
            switch (a, b) {
            case (.refused, .refused), (.reset, .reset): true
            case (.connected(let x), .connected(let y)): x === y
            case (.failed(let x), .failed(let y)): x == y
            default: false
            }
        }
    }

    static func connectOutcome(port: Int) async -> ConnectOutcome {
        do {
            return .connected(try await RawConnection(port: port))
        } catch let failure as RawConnection.Failure where failure.code == ECONNREFUSED {
            return .refused
        } catch let failure as RawConnection.Failure where failure.code == ECONNRESET {
            return .reset
        } catch {
            return .failed("\(error)")
        }
    }
}
