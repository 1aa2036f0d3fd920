import Testing
@testable import HTTP

@Suite struct HTTPResponseEncoderTests {
    private func head(_ status: Int, _ headers: HTTPHeaders = HTTPHeaders(), framing: HTTPResponseEncoder.Framing,
                      keepAlive: Bool = true, version: String = "HTTP/1.1") -> String {
        var out: [UInt8] = []
        HTTPResponseEncoder.head(status: status, headers: headers, framing: framing, keepAlive: keepAlive, version: version, into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    @Test func serverOwnsFramingHeaders() {
        let text = head(200, ["Content-Length": "999", "Transfer-Encoding": "gzip", "Connection": "keep-alive", "X-A": "b"],
                        framing: .length(5))
        #expect(text == "HTTP/1.1 200 OK\r\nX-A: b\r\nContent-Length: 5\r\n\r\n")
    }

    @Test func closeAndHTTP10KeepAliveAreSpelledOut() {
        #expect(head(404, framing: .length(0), keepAlive: false) == "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
        #expect(head(200, framing: .length(0), version: "HTTP/1.0") == "HTTP/1.0 200 OK\r\nContent-Length: 0\r\nConnection: keep-alive\r\n\r\n")
    }

    @Test func headerInjectionIsNeutralised() {
        let text = head(200, ["X-Evil": "a\r\nSet-Cookie: b"], framing: .length(0))
        #expect(text == "HTTP/1.1 200 OK\r\nX-Evil: a  Set-Cookie: b\r\nContent-Length: 0\r\n\r\n")
    }

    @Test func chunkFramingIsHex() {
        var out: [UInt8] = []
        HTTPResponseEncoder.chunkHeader(size: 4096, into: &out)
        HTTPResponseEncoder.chunkHeader(size: 10, into: &out)
        #expect(String(decoding: out, as: UTF8.self) == "1000\r\na\r\n")
        #expect(head(200, framing: .chunked) == "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n")
    }

    @Test func noBodyStatusesCarryNoLength() {
        #expect(head(204, framing: .noBody) == "HTTP/1.1 204 No Content\r\n\r\n")
        #expect(HTTPResponseEncoder.forbidsBody(304) && HTTPResponseEncoder.forbidsBody(101) && !HTTPResponseEncoder.forbidsBody(200))
    }

    @Test func dateIsIMFFixdate() {
        #expect(String(decoding: HTTPDateCache.format(784_111_777), as: UTF8.self) == "Sun, 06 Nov 1994 08:49:37 GMT")
    }
}
