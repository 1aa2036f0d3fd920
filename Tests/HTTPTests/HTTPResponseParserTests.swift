import Testing
import HTTP

@Suite struct HTTPResponseParserTests {
    private func parse(_ text: String, method: String = "GET", close: Bool = false) -> HTTPResponseParser.Outcome {
        var parser = HTTPResponseParser()
        parser.append(contentsOf: Array(text.utf8))
        if close { parser.finish() }
        return parser.next(forMethod: method)
    }

    @Test func contentLengthResponse() {
        guard case .response(let r, let keepAlive) = parse("HTTP/1.1 201 Created\r\nContent-Length: 2\r\nX-A: b\r\n\r\nok") else {
            Issue.record("no response"); return
        }
        #expect(r.status == 201 && r.body == Array("ok".utf8) && r.headers["x-a"] == "b" && keepAlive)
    }

    @Test func chunkedResponseAndInterimContinueIsSkipped() {
        guard case .response(let r, _) = parse("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nab\r\n1\r\nc\r\n0\r\n\r\n") else {
            Issue.record("no response"); return
        }
        #expect(r.status == 200 && r.body == Array("abc".utf8))
    }

    @Test func headResponseHasNoBodyDespiteLength() {
        guard case .response(let r, _) = parse("HTTP/1.1 200 OK\r\nContent-Length: 50\r\n\r\n", method: "HEAD") else {
            Issue.record("no response"); return
        }
        #expect(r.body.isEmpty)
    }

    @Test func bodyUntilCloseAndHTTP10() {
        guard case .needMore = parse("HTTP/1.0 200 OK\r\n\r\nstream") else { Issue.record("must wait for close"); return }
        guard case .response(let r, let keepAlive) = parse("HTTP/1.0 200 OK\r\n\r\nstream", close: true) else { Issue.record("no response"); return }
        #expect(r.body == Array("stream".utf8) && !keepAlive)
    }

    @Test func truncatedBodyAtCloseIsAFailure() {
        guard case .failure = parse("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc", close: true) else { Issue.record("expected failure"); return }
        guard case .failure = parse("garbage\r\n\r\n") else { Issue.record("expected failure"); return }
    }
}
