import Testing
import HTTP

/// Malformed and hostile requests, each with the outcome the parser must
/// reach. Every case is parsed twice, all at once and one byte at a time:
/// the outcome may not depend on how TCP split the bytes.
enum ParserCatalog {
    static let limits = HTTPParserLimits(maxHeaderBytes: 1024, maxHeaderCount: 20, maxBodyBytes: 4096)

    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let bytes: [UInt8]
        let expected: ParseRun
        var testDescription: String { name }
    }

    static func refused(_ name: String, _ text: String, _ status: Int) -> Case {
        Case(name: name, bytes: Array(text.utf8), expected: ParseRun(requests: [], end: .refused(status)))
    }

    static func accepted(_ name: String, _ text: String, _ requests: [String], continues: Int = 0) -> Case {
        Case(name: name, bytes: Array(text.utf8), expected: ParseRun(requests: requests, continues: continues, end: .needMore))
    }

    static let host = "Host: t\r\n"

    static let cases: [Case] = [
        // Request line
        refused("missing Host in HTTP/1.1", "GET / HTTP/1.1\r\n\r\n", 400),
        refused("two Host headers", "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400),
        refused("double space in request line", "GET  / HTTP/1.1\r\n\(host)\r\n", 400),
        refused("trailing garbage after version", "GET / HTTP/1.1 x\r\n\(host)\r\n", 400),
        refused("HTTP/0.9 style request line", "GET /\r\n\r\n", 400),
        refused("invalid character in method", "G@T / HTTP/1.1\r\n\(host)\r\n", 400),
        refused("unknown method", "BREW / HTTP/1.1\r\n\(host)\r\n", 405),
        refused("TRACE is not served", "TRACE / HTTP/1.1\r\n\(host)\r\n", 405),
        refused("HTTP/2.0 over HTTP/1 framing", "GET / HTTP/2.0\r\n\(host)\r\n", 505),
        refused("HTTP/1.2", "GET / HTTP/1.2\r\n\(host)\r\n", 505),
        refused("misspelt protocol", "GET / HTTX/1.1\r\n\(host)\r\n", 400),
        refused("lower-case protocol name", "GET / http/1.1\r\n\(host)\r\n", 400),
        refused("target without leading slash", "GET index.html HTTP/1.1\r\n\(host)\r\n", 400),
        refused("tab inside target", "GET /a\tb HTTP/1.1\r\n\(host)\r\n", 400),
        refused("NUL inside target", "GET /a\0b HTTP/1.1\r\n\(host)\r\n", 400),
        refused("asterisk target with GET", "GET * HTTP/1.1\r\n\(host)\r\n", 400),
        refused("malformed percent escape in path", "GET /a%zz HTTP/1.1\r\n\(host)\r\n", 400),
        refused("percent-encoded NUL in path", "GET /a%00b HTTP/1.1\r\n\(host)\r\n", 400),
        refused("malformed percent escape in query", "GET /a?x=%4 HTTP/1.1\r\n\(host)\r\n", 400),
        refused("bare LF line endings", "GET / HTTP/1.1\nHost: t\n\n", 400),
        refused("bare CR inside a line", "GET / HTTP/1.1\r\nHost: t\rX: y\r\n\r\n", 400),
        // Header fields
        refused("NUL in header value", "GET / HTTP/1.1\r\n\(host)X: a\0b\r\n\r\n", 400),
        refused("DEL in header value", "GET / HTTP/1.1\r\n\(host)X: a\u{7F}b\r\n\r\n", 400),
        refused("obsolete line folding", "GET / HTTP/1.1\r\n\(host)X: a\r\n  folded\r\n\r\n", 400),
        refused("whitespace before colon", "GET / HTTP/1.1\r\nHost : t\r\n\r\n", 400),
        refused("invalid character in header name", "GET / HTTP/1.1\r\n\(host)X(y): z\r\n\r\n", 400),
        refused("header line without colon", "GET / HTTP/1.1\r\n\(host)NoColonHere\r\n\r\n", 400),
        refused("empty header name", "GET / HTTP/1.1\r\n\(host): value\r\n\r\n", 400),
        refused("header block over the limit", "GET / HTTP/1.1\r\n\(host)X: \(String(repeating: "a", count: 1100))\r\n\r\n", 431),
        refused("endless header block without terminator", "GET / HTTP/1.1\r\n\(host)" + String(repeating: "X-A: b\r\n", count: 200), 431),
        refused("too many header fields", "GET / HTTP/1.1\r\n\(host)" + (0..<25).map { "X-\($0): v\r\n" }.joined() + "\r\n", 431),
        refused("unsupported expectation", "POST / HTTP/1.1\r\n\(host)Expect: teapot\r\nContent-Length: 1\r\n\r\nx", 417),
        // Content-Length
        refused("Content-Length and Transfer-Encoding together", "POST / HTTP/1.1\r\n\(host)Content-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400),
        refused("two different Content-Length headers", "POST / HTTP/1.1\r\n\(host)Content-Length: 3\r\nContent-Length: 4\r\n\r\nabcd", 400),
        refused("differing Content-Length list", "POST / HTTP/1.1\r\n\(host)Content-Length: 3, 4\r\n\r\nabcd", 400),
        refused("negative Content-Length", "POST / HTTP/1.1\r\n\(host)Content-Length: -1\r\n\r\n", 400),
        refused("signed Content-Length", "POST / HTTP/1.1\r\n\(host)Content-Length: +3\r\n\r\nabc", 400),
        refused("non-numeric Content-Length", "POST / HTTP/1.1\r\n\(host)Content-Length: abc\r\n\r\n", 400),
        refused("empty Content-Length", "POST / HTTP/1.1\r\n\(host)Content-Length: \r\n\r\n", 400),
        refused("Content-Length overflowing 64 bits", "POST / HTTP/1.1\r\n\(host)Content-Length: 999999999999999999999999\r\n\r\n", 413),
        refused("Content-Length over the body limit", "POST / HTTP/1.1\r\n\(host)Content-Length: 4097\r\n\r\n", 413),
        // Transfer-Encoding and chunks
        refused("unsupported coding before chunked", "POST / HTTP/1.1\r\n\(host)Transfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n", 501),
        refused("chunked not the last coding", "POST / HTTP/1.1\r\n\(host)Transfer-Encoding: chunked, gzip\r\n\r\n", 400),
        refused("identity transfer coding", "POST / HTTP/1.1\r\n\(host)Transfer-Encoding: identity\r\n\r\n", 400),
        refused("Transfer-Encoding in HTTP/1.0", "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400),
        refused("non-hex chunk size", "POST / HTTP/1.1\r\n\(host)Transfer-Encoding: chunked\r\n\r\nzz\r\nab\r\n0\r\n\r\n", 400),
        refused("empty chunk size line", "POST / HTTP/1.1\r\n\(host)Transfer-Encoding: chunked\r\n\r\n\r\nab\r\n0\r\n\r\n", 400),
        refused("negative chunk size", "POST / HTTP/1.1\r\n\(host)Transfer-Encoding: chunked\r\n\r\n-1\r\nab\r\n0\r\n\r\n", 400),
        refused("chunk size overflowing 64 bits", "POST / HTTP/1.1\r\n\(host)Transfer-Encoding: chunked\r\n\r\nfffffffffffffffffffff\r\nab\r\n", 413),
        refused("chunked body over the body limit", "POST / HTTP/1.1\r\n\(host)Transfer-Encoding: chunked\r\n\r\n1001\r\n", 413),
        refused("chunk data longer than its size", "POST / HTTP/1.1\r\n\(host)Transfer-Encoding: chunked\r\n\r\n2\r\nabc\r\n0\r\n\r\n", 400),
        refused("NUL in chunk extension", "POST / HTTP/1.1\r\n\(host)Transfer-Encoding: chunked\r\n\r\n2;x=\0\r\nab\r\n0\r\n\r\n", 400),
        refused("chunk size line too long", "POST / HTTP/1.1\r\n\(host)Transfer-Encoding: chunked\r\n\r\n2;" + String(repeating: "e", count: 5000) + "\r\n", 400),
        refused("bare LF after chunk size", "POST / HTTP/1.1\r\n\(host)Transfer-Encoding: chunked\r\n\r\n2\nab\r\n0\r\n\r\n", 400),
        refused("malformed trailer field", "POST / HTTP/1.1\r\n\(host)Transfer-Encoding: chunked\r\n\r\n0\r\nBad Trailer\r\n\r\n", 400),
        // Incomplete input: nothing is produced, nothing is refused yet
        accepted("truncated fixed-length body", "POST / HTTP/1.1\r\n\(host)Content-Length: 10\r\n\r\nabcde", []),
        accepted("truncated chunked body", "POST / HTTP/1.1\r\n\(host)Transfer-Encoding: chunked\r\n\r\n5\r\nab", []),
        accepted("truncated head", "GET / HTTP/1.1\r\nHost: t\r\n", []),
        // Accepted, with the exact requests produced
        accepted("three pipelined requests in order",
                 "GET /1 HTTP/1.1\r\n\(host)\r\nPOST /2 HTTP/1.1\r\n\(host)Content-Length: 2\r\n\r\nhiGET /3 HTTP/1.1\r\n\(host)\r\n",
                 ["GET /1 ", "POST /2 hi", "GET /3 "]),
        accepted("chunked body with extension and trailer",
                 "POST /c HTTP/1.1\r\n\(host)Transfer-Encoding: chunked\r\n\r\n3;name=v\r\nabc\r\n2\r\nde\r\n0\r\nX-Trailer: t\r\n\r\n",
                 ["POST /c abcde"]),
        accepted("repeated identical Content-Length", "POST / HTTP/1.1\r\n\(host)Content-Length: 2\r\nContent-Length: 2\r\n\r\nok", ["POST / ok"]),
        accepted("Expect: 100-continue asks for a continue", "POST /e HTTP/1.1\r\n\(host)Expect: 100-continue\r\nContent-Length: 2\r\n\r\n", [], continues: 1),
        accepted("empty lines before the request line", "\r\n\r\nGET /x HTTP/1.1\r\n\(host)\r\n", ["GET /x "]),
        accepted("HTTP/1.0 without Host", "GET /old HTTP/1.0\r\n\r\n", ["GET /old "]),
        accepted("absolute-form target", "GET http://t:80/abs/p?q=1 HTTP/1.1\r\n\(host)\r\n", ["GET /abs/p "]),
        accepted("OPTIONS with asterisk", "OPTIONS * HTTP/1.1\r\n\(host)\r\n", ["OPTIONS * "]),
        accepted("obs-text in header value", "GET / HTTP/1.1\r\n\(host)X: caf\u{E9}\r\n\r\n", ["GET / "]),
        accepted("percent-encoded path", "GET /a%20b/%C3%A9 HTTP/1.1\r\n\(host)\r\n", ["GET /a b/é "]),
    ]
}

@Suite struct ParserCatalogTests {
    @Test(arguments: ParserCatalog.cases)
    func outcomeAllAtOnce(_ c: ParserCatalog.Case) {
        #expect(ParseRun.parse(c.bytes) == c.expected)
    }

    @Test(arguments: ParserCatalog.cases)
    func outcomeByteByByte(_ c: ParserCatalog.Case) {
        #expect(ParseRun.parse(c.bytes, step: 1) == c.expected)
    }

    @Test func catalogHasAtLeastThirtyHostileCases() {
        #expect(ParserCatalog.cases.filter { if case .refused = $0.expected.end { return true } else { return false } }.count >= 30)
    }
}
