import Foundation
import Testing
@testable import HTTP
import TestSupport

/// The server over real loopback sockets.
@Suite struct HTTPServerSocketTests {
    @Test func pipelinedRequestsAreAnsweredInOrder() async throws {
        try await withServer(handler: echoHandler) { server in
            let c = try await RawConnection(port: server.port)
            try await c.send("GET /1 HTTP/1.1\r\nHost: t\r\n\r\nPOST /2 HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\n\r\nabcGET /3 HTTP/1.1\r\nHost: t\r\n\r\n")
            #expect(try await c.response().headers["X-Path"] == "/1")
            #expect(try await c.response().text == "abc")
            #expect(try await c.response().headers["X-Path"] == "/3")
        }
    }

    @Test func chunkedUploadIsDechunked() async throws {
        try await withServer(handler: echoHandler) { server in
            let c = try await RawConnection(port: server.port)
            try await c.send("POST /up HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n")
            try await c.send("1;ext=1\r\n \r\n5\r\nworld\r\n0\r\n\r\n")
            let r = try await c.response()
            #expect(r.text == "hello world")
        }
    }

    @Test func expectContinueGetsInterimResponseBeforeBody() async throws {
        try await withServer(handler: echoHandler) { server in
            let c = try await RawConnection(port: server.port)
            try await c.send("POST /e HTTP/1.1\r\nHost: t\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\n")
            var parser = HTTPResponseParser()
            let interim = try await c.readSome(timeout: 5)
            parser.append(contentsOf: interim)
            #expect(String(decoding: interim, as: UTF8.self).hasPrefix("HTTP/1.1 100 Continue\r\n\r\n"))
            try await c.send("body")
            #expect(try await c.response().text == "body")
        }
    }

    @Test func slowHandlerDoesNotDelayAnotherConnection() async throws {
        let gate = Gate()
        try await withServer(handler: { request in
            if request.path == "/slow" { await gate.wait() }
            return HTTPResponse(status: 200, body: Array(request.path.utf8))
        }) { server in
            let slow = try await RawConnection(port: server.port)
            try await slow.send("GET /slow HTTP/1.1\r\nHost: t\r\n\r\n")
            // Several fast requests complete while /slow is still parked.
            for _ in 0..<5 {
                let fast = try await RawConnection(port: server.port)
                try await fast.send("GET /fast HTTP/1.1\r\nHost: t\r\n\r\n")
                #expect(try await fast.response().text == "/fast")
            }
            gate.open()
            #expect(try await slow.response().text == "/slow")
        }
    }

    @Test func headRequestGetsLengthButNoBody() async throws {
        try await withServer(handler: { _ in HTTPResponse(status: 200, body: Array("twelve bytes".utf8)) }) { server in
            let c = try await RawConnection(port: server.port)
            try await c.send("HEAD / HTTP/1.1\r\nHost: t\r\n\r\nGET / HTTP/1.1\r\nHost: t\r\n\r\n")
            let head = try await c.response(forMethod: "HEAD")
            #expect(head.headers["Content-Length"] == "12" && head.body.isEmpty)
            #expect(try await c.response().text == "twelve bytes")
        }
    }

    @Test func http10ConnectionIsClosedAfterTheResponse() async throws {
        try await withServer(handler: echoHandler) { server in
            let c = try await RawConnection(port: server.port)
            try await c.send("GET /old HTTP/1.0\r\n\r\n")
            let r = try await c.response()
            #expect(r.headers["Connection"] == "close")
            #expect(await c.isClosedByServer())
        }
    }

    @Test func streamedResponseIsChunked() async throws {
        try await withServer(handler: { _ in
            let (stream, continuation) = AsyncStream<[UInt8]>.makeStream()
            Task {
                for piece in ["one,", "", "two,", "three"] { continuation.yield(Array(piece.utf8)) }
                continuation.finish()
            }
            return HTTPResponse(status: 200, body: .stream(stream))
        }) { server in
            let c = try await RawConnection(port: server.port)
            try await c.send("GET /s HTTP/1.1\r\nHost: t\r\n\r\n")
            let r = try await c.response()
            #expect(r.headers["Transfer-Encoding"] == "chunked")
            #expect(r.text == "one,two,three")
            // Still usable afterwards: the chunked framing ended cleanly.
            try await c.send("GET /again HTTP/1.1\r\nHost: t\r\n\r\n")
            #expect(try await c.response().status == 200)
        }
    }

    @Test func clientThatHalfClosesAfterItsRequestStillGetsTheAnswer() async throws {
        try await withServer(handler: echoHandler) { server in
            let c = try await RawConnection(port: server.port)
            try await c.send("POST /half HTTP/1.1\r\nHost: t\r\nContent-Length: 2\r\n\r\nhi")
            c.shutdownWrite()
            #expect(try await c.response().text == "hi")
            #expect(await c.isClosedByServer())
        }
    }

    @Test func handlerConnectionCloseIsHonoured() async throws {
        try await withServer(handler: { _ in HTTPResponse(status: 200, headers: ["Connection": "close"]) }) { server in
            let c = try await RawConnection(port: server.port)
            try await c.send("GET / HTTP/1.1\r\nHost: t\r\n\r\n")
            #expect(try await c.response().headers["Connection"] == "close")
            #expect(await c.isClosedByServer())
        }
    }
}
