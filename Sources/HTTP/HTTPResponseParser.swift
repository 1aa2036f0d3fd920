/// Turns the bytes a server sent into responses, pure and incremental: the
/// client-side twin of `HTTPRequestParser`, used by `SocketHTTPClient` and by
/// tests that talk raw HTTP.
///
/// Bodies are framed by `Transfer-Encoding: chunked`, `Content-Length`, or
/// the end of the connection (`finish()`); HEAD answers, 1xx, 204 and 304
/// have none. Interim 1xx responses are skipped.
public struct HTTPResponseParser: Sendable {
    public enum Outcome: Sendable {
        case needMore
        case response(HTTPClientResponse, keepAlive: Bool)
        case failure(String)
    }

    private enum Stage: Sendable {
        case head
        case fixed(HTTPClientResponse, keepAlive: Bool, length: Int)
        case chunked(HTTPClientResponse, keepAlive: Bool, ChunkedBodyDecoder)
        case untilClose(HTTPClientResponse)
        case failed(String)
    }

    private var buffer: [UInt8] = []
    private var start = 0
    private var stage = Stage.head
    private var closed = false
    private let limits: HTTPParserLimits

    public init(limits: HTTPParserLimits = HTTPParserLimits(maxHeaderBytes: 64 * 1024, maxHeaderCount: 200, maxBodyBytes: 256 * 1024 * 1024)) {
        self.limits = limits
    }

    public mutating func append(_ bytes: UnsafeRawBufferPointer) { buffer.append(contentsOf: bytes) }
    public mutating func append<Bytes: Sequence>(contentsOf bytes: Bytes) where Bytes.Element == UInt8 { buffer.append(contentsOf: bytes) }

    /// Tells the parser the connection ended (a body read to close completes).
    public mutating func finish() { closed = true }

    /// Bytes received beyond the responses returned so far.
    public var bufferedByteCount: Int { buffer.count - start }

    /// Parses the next response to a request with `method` (HEAD answers have no body).
    public mutating func next(forMethod method: String = "GET") -> Outcome {
        switch stage {
        case .failed(let reason):
            return .failure(reason)
        case .head:
            return parseHead(method: method)
        case .fixed(let response, let keepAlive, let length):
            guard buffer.count - start >= length else {
                return closed ? fail("connection closed inside a body") : .needMore
            }
            var r = response
            r.body = Array(buffer[start..<(start + length)])
            start += length
            return done(r, keepAlive: keepAlive)
        case .chunked(let response, let keepAlive, var decoder):
            stage = .head
            let step = buffer.withUnsafeBufferPointer { decoder.decode($0, from: &start, limits: limits) }
            switch step {
            case .needMore:
                stage = .chunked(response, keepAlive: keepAlive, decoder)
                return closed ? fail("connection closed inside a chunked body") : .needMore
            case .done(let body):
                var r = response
                r.body = body
                return done(r, keepAlive: keepAlive)
            case .failure(let e):
                return fail("bad chunked body: \(e.reason)")
            }
        case .untilClose(let response):
            guard closed else { return .needMore }
            var r = response
            r.body = Array(buffer[start...])
            start = buffer.count
            return done(r, keepAlive: false)
        }
    }

    private mutating func parseHead(method: String) -> Outcome {
        let end: Int? = buffer.withUnsafeBufferPointer { buf in
            var i = start + 3
            while i < buf.count {
                if buf[i] == 0x0A, buf[i - 1] == 0x0D, buf[i - 2] == 0x0A, buf[i - 3] == 0x0D { return i - 3 }
                i += 1
            }
            return nil
        }
        guard let end else {
            if buffer.count - start > limits.maxHeaderBytes { return fail("response head too large") }
            return closed ? fail(start == buffer.count ? "connection closed before a response" : "connection closed inside a response head") : .needMore
        }
        let parsed: Result<(Int, HTTPHeaders, Bool), HTTPParseError> = buffer.withUnsafeBufferPointer { buf in
            Self.parseHeadBytes(UnsafeBufferPointer(rebasing: buf[start..<end]))
        }
        guard case .success(let (status, headers, isHTTP11)) = parsed else {
            if case .failure(let e) = parsed { return fail(e.reason) }
            return fail("malformed response head")
        }
        start = end + 4
        if (100..<200).contains(status) { return next(forMethod: method) }  // interim response
        var keepAlive = isHTTP11
        for value in headers.values(for: "Connection") {
            for token in value.split(separator: ",") {
                let t = token.trimmingWhitespace()
                if t.equalsIgnoringASCIICase("close") { keepAlive = false }
                if t.equalsIgnoringASCIICase("keep-alive"), !isHTTP11 { keepAlive = true }
            }
        }
        let response = HTTPClientResponse(status: status, headers: headers)
        if method == "HEAD" || status == 204 || status == 304 { return done(response, keepAlive: keepAlive) }
        if let te = headers["Transfer-Encoding"] {
            guard te.split(separator: ",").last?.trimmingWhitespace().equalsIgnoringASCIICase("chunked") == true else {
                stage = .untilClose(response)
                return next(forMethod: method)
            }
            stage = .chunked(response, keepAlive: keepAlive, ChunkedBodyDecoder())
        } else if let cl = headers["Content-Length"] {
            guard let length = Int(Substring(cl).trimmingWhitespace()), length >= 0 else { return fail("invalid Content-Length \(cl)") }
            guard length <= limits.maxBodyBytes else { return fail("response body of \(length) bytes too large") }
            stage = .fixed(response, keepAlive: keepAlive, length: length)
        } else {
            stage = .untilClose(response)
        }
        return next(forMethod: method)
    }

    private static func parseHeadBytes(_ head: UnsafeBufferPointer<UInt8>) -> Result<(Int, HTTPHeaders, Bool), HTTPParseError> {
        let text = head.split(separator: 0x0A, omittingEmptySubsequences: false).map { line -> ArraySlice<UInt8> in
            var l = ArraySlice(line)
            if l.last == 0x0D { l = l.dropLast() }
            return l
        }
        guard let statusLine = text.first, statusLine.count >= 12 else { return .failure(.badRequest("malformed status line")) }
        let prefix = Array(statusLine.prefix(9))
        let isHTTP11: Bool
        switch prefix {
        case Array("HTTP/1.1 ".utf8): isHTTP11 = true
        case Array("HTTP/1.0 ".utf8): isHTTP11 = false
        default: return .failure(.badRequest("not an HTTP/1.x status line"))
        }
        let codeBytes = statusLine.dropFirst(9).prefix(3)
        guard codeBytes.count == 3, codeBytes.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
              let status = Int(String(decoding: codeBytes, as: UTF8.self)) else { return .failure(.badRequest("malformed status code")) }
        var headers = HTTPHeaders()
        for line in text.dropFirst() {
            let result = line.withUnsafeBufferPointer { HTTPHeadParser.parseField($0) }
            switch result {
            case .success(let field): headers.add(field.name, field.value)
            case .failure(let e): return .failure(e)
            }
        }
        return .success((status, headers, isHTTP11))
    }

    private mutating func done(_ response: HTTPClientResponse, keepAlive: Bool) -> Outcome {
        stage = .head
        if start == buffer.count { buffer.removeAll(keepingCapacity: buffer.capacity <= 256 * 1024); start = 0 }
        return .response(response, keepAlive: keepAlive)
    }

    private mutating func fail(_ reason: String) -> Outcome {
        stage = .failed(reason)
        return .failure(reason)
    }
}
