import Foundation
import Testing
@testable import HTTP
import TestSupport

/// The server-wide bound on request bodies held at once (read before any
/// handler, so before any authentication), over real sockets.
@Suite struct HTTPServerBodyBudgetTests {
    static var budgeted: HTTPServerConfiguration {
        var c = HTTPServerConfiguration(limits: HTTPParserLimits(maxHeaderBytes: 1024, maxHeaderCount: 20, maxBodyBytes: 1024),
                                        maxConnections: 8, headerReadTimeout: 10, bodyReadTimeout: 10, idleTimeout: 10,
                                        writeTimeout: 5)
        c.maxBufferedBodyBytes = 1000
        return c
    }

    static func head(_ length: Int) -> String { "POST / HTTP/1.1\r\nHost: t\r\nContent-Length: \(length)\r\n\r\n" }

    @Test func bodiesPastTheTotalAre503AndTheBudgetComesBack() async throws {
        try await withServer(Self.budgeted, handler: echoHandler) { server in
            // Holds 800 of the 1000 bytes while its body trickles in.
            let slow = try await RawConnection(port: server.port)
            try await slow.send(Self.head(800) + "x")
            try await waitUntil("800 body bytes held") { server.heldBodyBytes == 800 }
            // 300 more would pass the total: refused before its body is read.
            let second = try await RawConnection(port: server.port)
            try await second.send(Self.head(300) + "y")
            #expect(try await second.response(forMethod: "POST").status == 503)
            #expect(await second.isClosedByServer())
            // 200 still fit.
            let small = try await RawConnection(port: server.port)
            try await small.send(Self.head(200) + "z")
            try await waitUntil("1000 body bytes held") { server.heldBodyBytes == 1000 }
            try await small.send(String(repeating: "z", count: 199))
            #expect(try await small.response(forMethod: "POST").status == 200)
            try await waitUntil("800 body bytes held") { server.heldBodyBytes == 800 }
            // The slow body completes; afterwards its 800 bytes are free again.
            try await slow.send(String(repeating: "x", count: 799))
            #expect(try await slow.response(forMethod: "POST").status == 200)
            try await waitUntil("0 body bytes held") { server.heldBodyBytes == 0 }
            let third = try await RawConnection(port: server.port)
            try await third.send(Self.head(900) + "w")
            try await waitUntil("900 body bytes held") { server.heldBodyBytes == 900 }
            try await third.send(String(repeating: "w", count: 899))
            #expect(try await third.response(forMethod: "POST").status == 200)
            try await waitUntil("0 body bytes held") { server.heldBodyBytes == 0 }
        }
    }

    @Test func budgetAccounting() {
        let budget = BodyBudget(limit: 100)
        #expect(budget.reserve(60))
        #expect(!budget.reserve(41))
        #expect(budget.reserve(40))
        budget.release(100)
        #expect(budget.heldBytes == 0)
        #expect(!budget.reserve(Int.max))
    }
}
