/// Decodes a `Transfer-Encoding: chunked` body incrementally (RFC 9112 §7.1).
///
/// Consumes bytes from the parser's buffer as they arrive, so a long chunked
/// upload never sits in memory twice. Chunk extensions are skipped; trailer
/// fields are checked for syntax and dropped (nothing here uses them, and
/// merging them into the headers would let a body smuggle header fields).
struct ChunkedBodyDecoder: Sendable {
    enum Step { case needMore, done([UInt8]), failure(HTTPParseError) }

    private enum Stage { case size, data(remaining: Int), dataEnd, trailers(bytes: Int) }

    private var stage = Stage.size
    private var body: [UInt8] = []
    static let maxSizeLineBytes = 4096

    mutating func decode(_ buf: UnsafeBufferPointer<UInt8>, from start: inout Int, limits: HTTPParserLimits) -> Step {
        while true {
            switch stage {
            case .size:
                guard let line = nextLine(buf, from: start, max: Self.maxSizeLineBytes) else { return .needMore }
                guard case .success(let range) = line else { return .failure(Self.lineError(line)) }
                switch parseSize(UnsafeBufferPointer(rebasing: buf[range]), budget: limits.maxBodyBytes - body.count) {
                case .failure(let e): return .failure(e)
                case .success(let size):
                    start = range.upperBound + 2
                    stage = size == 0 ? .trailers(bytes: 0) : .data(remaining: size)
                    if size > 0 { body.reserveCapacity(body.count + min(size, 1 << 20)) }
                }
            case .data(let remaining):
                let take = min(remaining, buf.count - start)
                if take > 0 {
                    body.append(contentsOf: UnsafeBufferPointer(rebasing: buf[start..<(start + take)]))
                    start += take
                }
                if take == remaining { stage = .dataEnd } else { stage = .data(remaining: remaining - take); return .needMore }
            case .dataEnd:
                guard buf.count - start >= 2 else { return .needMore }
                guard buf[start] == 0x0D, buf[start + 1] == 0x0A else { return .failure(.badRequest("chunk data not followed by CRLF")) }
                start += 2
                stage = .size
            case .trailers(let bytes):
                guard let line = nextLine(buf, from: start, max: limits.maxHeaderBytes - bytes) else { return .needMore }
                guard case .success(let range) = line else {
                    if case .failure(let e) = line, e.status == 400, e.reason == "line too long" {
                        return .failure(.headerTooLarge("trailer section too large"))
                    }
                    return .failure(Self.lineError(line))
                }
                start = range.upperBound + 2
                if range.isEmpty {
                    let result = body
                    body = []
                    stage = .size
                    return .done(result)
                }
                if case .failure(let e) = HTTPHeadParser.parseField(UnsafeBufferPointer(rebasing: buf[range])) { return .failure(e) }
                stage = .trailers(bytes: bytes + range.count + 2)
            }
        }
    }

    /// The range of the next CRLF-terminated line (without the CRLF), nil
    /// when it is not complete yet, a failure on a bare LF or an overlong line.
    private func nextLine(_ buf: UnsafeBufferPointer<UInt8>, from start: Int, max: Int) -> Result<Range<Int>, HTTPParseError>? {
        let longest = Swift.max(max, 0)
        let scanEnd = Swift.min(buf.count, start + longest + 2)
        var i = start
        while i < scanEnd {
            if buf[i] == 0x0A {
                guard i > start, buf[i - 1] == 0x0D else { return .failure(.badRequest("bare LF in chunked body")) }
                return .success(start..<(i - 1))
            }
            i += 1
        }
        return buf.count - start >= longest + 2 ? .failure(.badRequest("line too long")) : nil
    }

    private static func lineError(_ line: Result<Range<Int>, HTTPParseError>) -> HTTPParseError {
        if case .failure(let e) = line { return e.reason == "line too long" ? .badRequest("chunk size line too long") : e }
        return .badRequest("malformed chunk")
    }

    /// `1*HEXDIG [ BWS ";" extensions ]`, refusing sizes beyond `budget`.
    private func parseSize(_ line: UnsafeBufferPointer<UInt8>, budget: Int) -> Result<Int, HTTPParseError> {
        var size = 0
        var i = 0
        while i < line.count, let digit = PercentDecoding.hexValue(line[i]) {
            guard size <= (Int.max >> 4) else { return .failure(.bodyTooLarge("chunk size overflows")) }
            size = size << 4 | Int(digit)
            i += 1
        }
        guard i > 0 else { return .failure(.badRequest("invalid chunk size")) }
        guard size <= budget else { return .failure(.bodyTooLarge("chunked body exceeds the limit")) }
        while i < line.count, HTTPSyntax.isWhitespace(line[i]) { i += 1 }
        if i < line.count {
            guard line[i] == UInt8(ascii: ";") else { return .failure(.badRequest("invalid chunk size")) }
            for b in line[i...] where !HTTPSyntax.isFieldValueChar[Int(b)] {
                return .failure(.badRequest("invalid character in chunk extension"))
            }
        }
        return .success(size)
    }
}
