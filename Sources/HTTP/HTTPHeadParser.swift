/// Parses a complete request head (request line and header fields, without
/// the blank line that ends it) and decides how the body is framed.
///
/// Strict on purpose: anything that could make two HTTP implementations
/// disagree about where a request ends (bare CR or LF, obs-fold, whitespace
/// before the colon, both Content-Length and Transfer-Encoding, differing
/// Content-Lengths, unknown transfer codings) is refused rather than guessed at.
enum HTTPHeadParser {
    static func parse(_ head: UnsafeBufferPointer<UInt8>, limits: HTTPParserLimits) -> Result<HTTPRequestHead, HTTPParseError> {
        // Split into CRLF-terminated lines; a lone CR or LF is malformed.
        var lines: [Range<Int>] = []
        lines.reserveCapacity(16)
        var lineStart = 0
        var i = 0
        let n = head.count
        while i < n {
            let b = head[i]
            if b == 0x0D {
                guard i + 1 < n, head[i + 1] == 0x0A else { return .failure(.badRequest("bare CR in request head")) }
                lines.append(lineStart..<i)
                i += 2
                lineStart = i
                continue
            }
            if b == 0x0A { return .failure(.badRequest("bare LF in request head")) }
            i += 1
        }
        lines.append(lineStart..<n)
        guard lines.count - 1 <= limits.maxHeaderCount else {
            return .failure(.headerTooLarge("more than \(limits.maxHeaderCount) header fields"))
        }

        var head0: HTTPRequestHead
        switch parseRequestLine(UnsafeBufferPointer(rebasing: head[lines[0]])) {
        case .failure(let e): return .failure(e)
        case .success(let h): head0 = h
        }

        var headers = HTTPHeaders()
        headers.reserveCapacity(lines.count - 1)
        for range in lines.dropFirst() {
            let line = UnsafeBufferPointer(rebasing: head[range])
            switch parseField(line) {
            case .failure(let e): return .failure(e)
            case .success(let field): headers.add(field.name, field.value)
            }
        }
        head0.headers = headers
        if let error = applyFraming(to: &head0, limits: limits) { return .failure(error) }
        return .success(head0)
    }

    private static func parseRequestLine(_ line: UnsafeBufferPointer<UInt8>) -> Result<HTTPRequestHead, HTTPParseError> {
        guard let sp1 = line.firstIndex(of: 0x20), sp1 > 0 else { return .failure(.badRequest("malformed request line")) }
        for b in line[0..<sp1] where !HTTPSyntax.isTokenChar[Int(b)] {
            return .failure(.badRequest("invalid character in method"))
        }
        let rest = sp1 + 1
        guard rest < line.count, let sp2 = line[rest...].firstIndex(of: 0x20), sp2 > rest else {
            return .failure(.badRequest("malformed request line"))
        }
        for b in line[rest..<sp2] where !HTTPSyntax.isTargetChar[Int(b)] {
            return .failure(.badRequest("invalid character in request target"))
        }
        let versionBytes = line[(sp2 + 1)...]
        guard versionBytes.count == 8,
              versionBytes.starts(with: "HTTP/".utf8),
              versionBytes[sp2 + 7] == UInt8(ascii: "."),
              (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(versionBytes[sp2 + 6]),
              (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(versionBytes[sp2 + 8])
        else { return .failure(.badRequest("malformed HTTP version")) }
        let major = versionBytes[sp2 + 6], minor = versionBytes[sp2 + 8]
        guard major == UInt8(ascii: "1"), minor == UInt8(ascii: "0") || minor == UInt8(ascii: "1") else {
            return .failure(.init(status: 505, reason: "HTTP version not supported"))
        }
        let method = String(decoding: UnsafeBufferPointer(rebasing: line[0..<sp1]), as: UTF8.self)
        guard HTTPSyntax.supportedMethods.contains(method) else {
            return .failure(.init(status: 405, reason: "method \(method) not supported"))
        }
        let targetBytes = UnsafeBufferPointer(rebasing: line[rest..<sp2])
        guard let (path, query) = splitTarget(targetBytes, method: method) else {
            return .failure(.badRequest("malformed request target"))
        }
        return .success(HTTPRequestHead(
            method: method,
            target: String(decoding: targetBytes, as: UTF8.self),
            path: path, query: query,
            version: minor == UInt8(ascii: "1") ? "HTTP/1.1" : "HTTP/1.0",
            headers: HTTPHeaders(), keepAlive: minor == UInt8(ascii: "1"),
            framing: .none, expectsContinue: false))
    }

    /// Origin form (`/a/b?q`), absolute form (`http://host/a?q`) and `*` for OPTIONS.
    private static func splitTarget(_ target: UnsafeBufferPointer<UInt8>, method: String) -> (String, [(name: String, value: String)])? {
        if target.count == 1, target[0] == UInt8(ascii: "*") {
            return method == "OPTIONS" ? ("*", []) : nil
        }
        var pathStart = 0
        if target[0] != UInt8(ascii: "/") {
            // Absolute form: scheme "://" authority, then the path (or "/").
            guard let colon = target.firstIndex(of: UInt8(ascii: ":")), colon > 0,
                  target.count >= colon + 3, target[colon + 1] == UInt8(ascii: "/"), target[colon + 2] == UInt8(ascii: "/")
            else { return nil }
            guard let slash = target[(colon + 3)...].firstIndex(where: { $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "?") }) else {
                return ("/", [])
            }
            pathStart = slash
        }
        let question = target[pathStart...].firstIndex(of: UInt8(ascii: "?")) ?? target.count
        let pathBytes = UnsafeBufferPointer(rebasing: target[pathStart..<question])
        let decodedPath = pathBytes.isEmpty ? "/" : PercentDecoding.decode(pathBytes, plusIsSpace: false)
        guard let path = decodedPath else { return nil }
        guard question < target.count else { return (path, []) }
        guard let query = PercentDecoding.decodeQuery(UnsafeBufferPointer(rebasing: target[(question + 1)...])) else { return nil }
        return (path, query)
    }

    static func parseField(_ line: UnsafeBufferPointer<UInt8>) -> Result<(name: String, value: String), HTTPParseError> {
        guard let first = line.first else { return .failure(.badRequest("empty header line")) }
        if HTTPSyntax.isWhitespace(first) { return .failure(.badRequest("obsolete line folding in header")) }
        guard let colon = line.firstIndex(of: UInt8(ascii: ":")), colon > 0 else {
            return .failure(.badRequest("header line without a name and colon"))
        }
        for b in line[0..<colon] where !HTTPSyntax.isTokenChar[Int(b)] {
            return .failure(.badRequest("invalid character in header name"))
        }
        var start = colon + 1, end = line.count
        while start < end, HTTPSyntax.isWhitespace(line[start]) { start += 1 }
        while end > start, HTTPSyntax.isWhitespace(line[end - 1]) { end -= 1 }
        for b in line[start..<end] where !HTTPSyntax.isFieldValueChar[Int(b)] {
            return .failure(.badRequest("invalid character in header value"))
        }
        return .success((String(decoding: UnsafeBufferPointer(rebasing: line[0..<colon]), as: UTF8.self),
                         String(decoding: UnsafeBufferPointer(rebasing: line[start..<end]), as: UTF8.self)))
    }
}
