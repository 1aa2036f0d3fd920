import Testing
import HTTP

@Suite struct HTTPRequestParserTests {
    private func single(_ text: String, limits: HTTPParserLimits = HTTPParserLimits()) throws -> (HTTPRequest, Bool) {
        var parser = HTTPRequestParser(limits: limits)
        parser.append(contentsOf: Array(text.utf8))
        guard case .request(let request, let keepAlive) = parser.next() else {
            Issue.record("no request parsed from \(text.debugDescription)")
            throw CancellationError()
        }
        return (request, keepAlive)
    }

    @Test func headersAreCaseInsensitiveAndRepeatsAreKeptInOrder() throws {
        let (r, _) = try single("GET / HTTP/1.1\r\nHost: h\r\nX-Tag: one\r\nx-tag: two\r\nACCEPT:  text/plain  \r\n\r\n")
        #expect(r.headers["x-TAG"] == "one")
        #expect(r.headers.values(for: "X-Tag") == ["one", "two"])
        #expect(r.headers["accept"] == "text/plain")
        #expect(r.headers.count == 4)
    }

    @Test func queryIsSplitAndPercentDecoded() throws {
        let (r, _) = try single("GET /p%2Fq?a=1&b=x%20y&c=a+b&flag&&e=%E2%9C%93 HTTP/1.1\r\nHost: h\r\n\r\n")
        #expect(r.path == "/p/q")
        #expect(r.target == "/p%2Fq?a=1&b=x%20y&c=a+b&flag&&e=%E2%9C%93")
        #expect(r.query.map(\.name) == ["a", "b", "c", "flag", "e"])
        #expect(r.queryValue("b") == "x y")
        #expect(r.queryValue("c") == "a b")
        #expect(r.queryValue("flag") == "")
        #expect(r.queryValue("e") == "✓")
    }

    @Test func keepAliveFollowsVersionAndConnectionHeader() throws {
        #expect(try single("GET / HTTP/1.1\r\nHost: h\r\n\r\n").1 == true)
        #expect(try single("GET / HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n").1 == false)
        #expect(try single("GET / HTTP/1.1\r\nHost: h\r\nConnection: Upgrade, CLOSE\r\n\r\n").1 == false)
        #expect(try single("GET / HTTP/1.0\r\n\r\n").1 == false)
        #expect(try single("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").1 == true)
        #expect(try single("GET / HTTP/1.0\r\nConnection: keep-alive, close\r\n\r\n").1 == false)
    }

    @Test func contentLengthBodyArrivesAcrossAppends() {
        var parser = HTTPRequestParser()
        parser.append(contentsOf: Array("POST /x HTTP/1.1\r\nHost: h\r\nContent-Length: 6\r\n\r\nabc".utf8))
        guard case .needMore = parser.next() else { Issue.record("expected needMore"); return }
        #expect(parser.isReadingBody)
        parser.append(contentsOf: Array("defGET".utf8))
        guard case .request(let r, _) = parser.next() else { Issue.record("expected a request"); return }
        #expect(r.body == Array("abcdef".utf8))
        guard case .needMore = parser.next() else { Issue.record("expected needMore"); return }
        #expect(!parser.isIdle)
        #expect(parser.bufferedByteCount == 3)
    }

    @Test func largeChunkedBodyIsReassembled() {
        let payload = (0..<100_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        var wire = Array("POST /big HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n".utf8)
        var offset = 0
        while offset < payload.count {
            let n = min(7000, payload.count - offset)
            wire += Array(String(n, radix: 16).utf8) + [13, 10] + payload[offset..<offset + n] + [13, 10]
            offset += n
        }
        wire += Array("0\r\n\r\n".utf8)
        var parser = HTTPRequestParser()
        var produced: HTTPRequest?
        var i = 0
        while i < wire.count, produced == nil {
            parser.append(contentsOf: wire[i..<min(i + 1500, wire.count)])
            i += 1500
            if case .request(let r, _) = parser.next() { produced = r }
        }
        #expect(produced?.body == payload)
        #expect(parser.isIdle)
    }

    @Test func failureIsSticky() {
        var parser = HTTPRequestParser()
        parser.append(contentsOf: Array("BAD\r\n\r\nGET / HTTP/1.1\r\nHost: h\r\n\r\n".utf8))
        guard case .failure(let e) = parser.next() else { Issue.record("expected failure"); return }
        #expect(e.status == 400)
        guard case .failure = parser.next() else { Issue.record("failure must stay"); return }
    }

    @Test func defaultBodyLimitAdmitsLargeInngestCalls() {
        #expect(HTTPParserLimits().maxBodyBytes >= 16 * 1024 * 1024)
    }
}
