/// Turns the bytes of one connection into requests, pure and incremental.
///
/// Feed it whatever the socket delivered with `append`, then call `next()`
/// until it answers `.needMore`. Pipelined requests come out one at a time
/// in arrival order. After a `.failure` the parser stays failed: the caller
/// answers with the error's status and closes the connection.
///
/// It knows nothing of sockets or time, so tests and the fuzzer drive it
/// directly with byte strings.
public struct HTTPRequestParser: Sendable {
    public enum Outcome: Sendable {
        /// Not enough bytes yet.
        case needMore
        /// The head asked for `Expect: 100-continue`; send
        /// `HTTP/1.1 100 Continue` and call `next()` again.
        case sendContinue
        /// A complete request, and whether the connection may stay open after it.
        case request(HTTPRequest, keepAlive: Bool)
        case failure(HTTPParseError)
    }

    private enum Stage: Sendable {
        case head
        case fixedBody(HTTPRequestHead, length: Int)
        case chunkedBody(HTTPRequestHead, ChunkedBodyDecoder)
        case failed(HTTPParseError)
    }

    public let limits: HTTPParserLimits
    private var buffer: [UInt8] = []
    private var start = 0
    private var scanFrom = 0
    private var stage = Stage.head

    public init(limits: HTTPParserLimits = HTTPParserLimits()) {
        self.limits = limits
        buffer.reserveCapacity(4096)
    }

    public mutating func append(_ bytes: UnsafeRawBufferPointer) {
        buffer.append(contentsOf: bytes)
    }

    public mutating func append<Bytes: Sequence>(contentsOf bytes: Bytes) where Bytes.Element == UInt8 {
        buffer.append(contentsOf: bytes)
    }

    /// Bytes received but not yet part of a returned request.
    public var bufferedByteCount: Int { buffer.count - start }

    /// True between requests with nothing buffered: the connection is idle.
    public var isIdle: Bool {
        if case .head = stage { return start == buffer.count }
        return false
    }

    /// True once a head is in and its body is still arriving.
    public var isReadingBody: Bool {
        switch stage {
        case .fixedBody, .chunkedBody: return true
        case .head, .failed: return false
        }
    }

    /// The `Content-Length` of the body being read, once its head is in.
    public var declaredBodyLength: Int? {
        if case .fixedBody(_, let length) = stage { return length }
        return nil
    }

    public mutating func next() -> Outcome {
        switch stage {
        case .failed(let error):
            return .failure(error)
        case .head:
            return parseHead()
        case .fixedBody(let head, let length):
            guard buffer.count - start >= length else { return .needMore }
            let body = Array(buffer[start..<(start + length)])
            start += length
            return complete(head, body: body)
        case .chunkedBody(let head, var decoder):
            stage = .head  // drop the decoder's copy from `stage` so it mutates in place
            let step = buffer.withUnsafeBufferPointer { decoder.decode($0, from: &start, limits: limits) }
            switch step {
            case .needMore:
                stage = .chunkedBody(head, decoder)
                compact()
                return .needMore
            case .done(let body):
                return complete(head, body: body)
            case .failure(let error):
                return fail(error)
            }
        }
    }

    private mutating func parseHead() -> Outcome {
        // RFC 9112 §2.2: ignore empty lines before the request line.
        while buffer.count - start >= 2, buffer[start] == 0x0D, buffer[start + 1] == 0x0A {
            start += 2
            scanFrom = start
        }
        let end: Int
        switch findHeadEnd() {
        case .found(let index):
            end = index
        case .bareLF:
            return fail(.badRequest("bare LF in request head"))
        case .notYet:
            if buffer.count - start > limits.maxHeaderBytes { return fail(.headerTooLarge("request head exceeds \(limits.maxHeaderBytes) bytes")) }
            compact()
            return .needMore
        }
        guard end - start <= limits.maxHeaderBytes else { return fail(.headerTooLarge("request head exceeds \(limits.maxHeaderBytes) bytes")) }
        let parsed = buffer.withUnsafeBufferPointer {
            HTTPHeadParser.parse(UnsafeBufferPointer(rebasing: $0[start..<end]), limits: limits)
        }
        guard case .success(let head) = parsed else {
            if case .failure(let error) = parsed { return fail(error) }
            return fail(.badRequest("malformed request head"))
        }
        start = end + 4
        scanFrom = start
        switch head.framing {
        case .none:
            return complete(head, body: [])
        case .length(let length):
            stage = .fixedBody(head, length: length)
            if buffer.count - start < length { buffer.reserveCapacity(start + length) }
        case .chunked:
            stage = .chunkedBody(head, ChunkedBodyDecoder())
        }
        if head.expectsContinue && start == buffer.count { return .sendContinue }
        return next()
    }

    private enum HeadEnd { case found(Int), notYet, bareLF }

    /// Index of the CRLFCRLF that ends the head, scanning only new bytes. A
    /// LF without its CR is refused as soon as it arrives.
    private mutating func findHeadEnd() -> HeadEnd {
        let result: HeadEnd = buffer.withUnsafeBufferPointer { buf in
            var i = Swift.max(scanFrom, start)
            while i < buf.count {
                if buf[i] == 0x0A {
                    if i == start || buf[i - 1] != 0x0D { return .bareLF }
                    if i >= start + 3, buf[i - 2] == 0x0A, buf[i - 3] == 0x0D { return .found(i - 3) }
                }
                i += 1
            }
            return .notYet
        }
        if case .notYet = result { scanFrom = buffer.count }
        return result
    }

    private mutating func complete(_ head: HTTPRequestHead, body: [UInt8]) -> Outcome {
        stage = .head
        compact()
        return .request(head.request(body: body), keepAlive: head.keepAlive)
    }

    private mutating func fail(_ error: HTTPParseError) -> Outcome {
        stage = .failed(error)
        buffer = []
        start = 0
        scanFrom = 0
        return .failure(error)
    }

    /// Drops consumed bytes so a long-lived connection's buffer stays small.
    private mutating func compact() {
        if start == buffer.count {
            if buffer.capacity > 256 * 1024 { buffer = []; buffer.reserveCapacity(4096) } else { buffer.removeAll(keepingCapacity: true) }
            scanFrom = 0
            start = 0
        } else if start > 64 * 1024 {
            buffer.removeSubrange(0..<start)
            scanFrom -= start
            start = 0
        }
    }
}
