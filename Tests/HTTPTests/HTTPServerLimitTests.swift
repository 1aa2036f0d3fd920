import Foundation
import Testing
@testable import HTTP
import TestSupport

/// Limits and timeouts over real sockets, with short configured values.
@Suite struct HTTPServerLimitTests {
    /// Small size limits; timeouts long enough that a test process slowed
    /// down by a busy machine never trips them by accident.
    static let tight = HTTPServerConfiguration(
        limits: HTTPParserLimits(maxHeaderBytes: 512, maxHeaderCount: 20, maxBodyBytes: 1024),
        maxConnections: 3, headerReadTimeout: 10, bodyReadTimeout: 10, idleTimeout: 10, writeTimeout: 5)

    /// Short timeouts, for the tests about timeouts.
    static var impatient: HTTPServerConfiguration {
        var c = tight
        c.headerReadTimeout = 0.8
        c.bodyReadTimeout = 0.8
        c.idleTimeout = 0.3
        return c
    }

    @Test func oversizedHeadGets431AndClose() async throws {
        try await withServer(Self.tight, handler: echoHandler) { server in
            let c = try await RawConnection(port: server.port)
            try await c.send("GET / HTTP/1.1\r\nHost: t\r\nX-Big: \(String(repeating: "b", count: 600))\r\n\r\n")
            let r = try await c.response()
            #expect(r.status == 431)
            #expect(r.headers["Connection"] == "close")
            #expect(await c.isClosedByServer())
        }
    }

    @Test func oversizedBodyGets413BeforeTheBodyIsSent() async throws {
        try await withServer(Self.tight, handler: echoHandler) { server in
            let c = try await RawConnection(port: server.port)
            try await c.send("POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 5000\r\nExpect: 100-continue\r\n\r\n")
            #expect(try await c.response().status == 413)
            #expect(await c.isClosedByServer())
        }
    }

    @Test func malformedRequestGets400AndClose() async throws {
        try await withServer(Self.tight, handler: echoHandler) { server in
            let c = try await RawConnection(port: server.port)
            try await c.send("GET / HTTP/1.1\r\nHost: t\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n")
            #expect(try await c.response().status == 400)
            #expect(await c.isClosedByServer())
        }
    }

    @Test func unsupportedVersionAndMethod() async throws {
        try await withServer(Self.tight, handler: echoHandler) { server in
            let a = try await RawConnection(port: server.port)
            try await a.send("GET / HTTP/3.0\r\nHost: t\r\n\r\n")
            #expect(try await a.response().status == 505)
            let b = try await RawConnection(port: server.port)
            try await b.send("CONNECT / HTTP/1.1\r\nHost: t\r\n\r\n")
            #expect(try await b.response().status == 405)
        }
    }

    @Test func trickledHeadTimesOutWith408() async throws {
        try await withServer(Self.impatient, handler: echoHandler) { server in
            let c = try await RawConnection(port: server.port)
            try await c.send("GET / HTTP/1.1\r\nHo")
            // The read's own limit only keeps a broken server from hanging the test.
            let r = try await c.response(timeout: 30)
            #expect(r.status == 408)
            #expect(await c.isClosedByServer())
        }
    }

    @Test func silentConnectionIsClosedAtHeaderTimeout() async throws {
        try await withServer(Self.impatient, handler: echoHandler) { server in
            let c = try await RawConnection(port: server.port)
            #expect(await c.isClosedByServer(timeout: 5))
        }
    }

    @Test func idleKeptAliveConnectionIsClosedAtIdleTimeout() async throws {
        try await withServer(Self.impatient, handler: echoHandler) { server in
            let c = try await RawConnection(port: server.port)
            try await c.send("GET / HTTP/1.1\r\nHost: t\r\n\r\n")
            #expect(try await c.response().status == 200)
            #expect(await c.isClosedByServer(timeout: 5))
            try await waitUntil("every connection closed") { server.openConnections == 0 }
        }
    }

    @Test func connectionsBeyondTheLimitGet503() async throws {
        try await withServer(Self.tight, handler: echoHandler) { server in
            var held: [RawConnection] = []
            for _ in 0..<3 {
                let c = try await RawConnection(port: server.port)
                try await c.send("GET / HTTP/1.1\r\nHost: t\r\n\r\n")
                #expect(try await c.response().status == 200)
                held.append(c)
            }
            let extra = try await RawConnection(port: server.port)
            try await extra.send("GET / HTTP/1.1\r\nHost: t\r\n\r\n")
            let r = try await extra.response()
            #expect(r.status == 503)
            #expect(await extra.isClosedByServer())
            held.removeAll()  // closing frees slots
            try await waitUntil("every connection closed") { server.openConnections == 0 }
            let again = try await RawConnection(port: server.port)
            try await again.send("GET / HTTP/1.1\r\nHost: t\r\n\r\n")
            #expect(try await again.response().status == 200)
        }
    }

    @Test func hostileInputLeaksNoDescriptors() async throws {
        var port = 0
        try await withServer(Self.impatient, handler: echoHandler) { server in
            port = server.port
            for bad in ["\0\0\0\r\n\r\n", "GET / HTTP/1.1\r\n\r\n", "POST / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
                        String(repeating: "A", count: 2000), "GET / HTTP/1.1\r\nHost: t\r\nContent-Length: 9\r\n\r\nabc"] {
                let c = try await RawConnection(port: server.port)
                try? await c.send(bad)
                #expect(await c.isClosedByServer())
            }
            try await waitUntil("every connection closed") { server.openConnections == 0 }
        }
        // Listener and every accepted socket released: nothing on the port is held.
        try await waitUntil("no socket held on the port") { (heldSocketCount(localPort: port) ?? 0) == 0 }
    }
}
