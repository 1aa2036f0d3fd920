/// The header-level rules of RFC 9112 §6 and §9: Host, body framing,
/// Expect and persistence. Kept apart from the byte-level parsing.
extension HTTPHeadParser {
    static func applyFraming(to head: inout HTTPRequestHead, limits: HTTPParserLimits) -> HTTPParseError? {
        let isHTTP11 = head.version == "HTTP/1.1"
        var hostCount = 0
        var contentLength: Int?
        var codings: [String] = []
        var expect: String?
        for (name, value) in head.headers {
            switch name.count {
            case 4 where name.equalsIgnoringASCIICase("host"):
                hostCount += 1
            case 6 where name.equalsIgnoringASCIICase("expect"):
                expect = value
            case 10 where name.equalsIgnoringASCIICase("connection"):
                for token in value.split(separator: ",") {
                    let t = token.trimmingWhitespace()
                    if t.equalsIgnoringASCIICase("close") { head.keepAlive = false }
                    if t.equalsIgnoringASCIICase("keep-alive"), !isHTTP11 { head.keepAlive = true }
                }
            case 14 where name.equalsIgnoringASCIICase("content-length"):
                for item in value.split(separator: ",", omittingEmptySubsequences: false) {
                    guard let n = parseLength(item.trimmingWhitespace()) else { return .badRequest("invalid Content-Length") }
                    if let previous = contentLength, previous != n { return .badRequest("conflicting Content-Length values") }
                    contentLength = n
                }
            case 17 where name.equalsIgnoringASCIICase("transfer-encoding"):
                for item in value.split(separator: ",", omittingEmptySubsequences: false) {
                    codings.append(item.trimmingWhitespace().lowercased())
                }
            default:
                break
            }
        }
        if isHTTP11 && hostCount != 1 {
            return .badRequest(hostCount == 0 ? "missing Host header" : "more than one Host header")
        }
        if hostCount > 1 { return .badRequest("more than one Host header") }

        if !codings.isEmpty {
            guard contentLength == nil else { return .badRequest("both Content-Length and Transfer-Encoding") }
            guard isHTTP11 else { return .badRequest("Transfer-Encoding in an HTTP/1.0 request") }
            guard codings.last == "chunked", !codings.contains("") else { return .badRequest("request body not chunked last") }
            guard codings.count == 1 else { return .init(status: 501, reason: "transfer coding not supported") }
            head.framing = .chunked
        } else if let length = contentLength {
            guard length <= limits.maxBodyBytes else { return .bodyTooLarge("body of \(length) bytes exceeds \(limits.maxBodyBytes)") }
            head.framing = length > 0 ? .length(length) : .none
        }
        if let expect {
            guard expect.equalsIgnoringASCIICase("100-continue") else { return .init(status: 417, reason: "unsupported expectation") }
            head.expectsContinue = isHTTP11 && head.framing != .none
        }
        return nil
    }

    /// Decimal digits only; nil when malformed, `Int.max` when it overflows
    /// (which the size limit then refuses with 413).
    private static func parseLength(_ text: Substring) -> Int? {
        guard !text.isEmpty else { return nil }
        var value = 0
        for b in text.utf8 {
            guard b >= UInt8(ascii: "0"), b <= UInt8(ascii: "9") else { return nil }
            let (m, o1) = value.multipliedReportingOverflow(by: 10)
            let (s, o2) = m.addingReportingOverflow(Int(b - UInt8(ascii: "0")))
            if o1 || o2 { return Int.max }
            value = s
        }
        return value
    }
}

extension Substring {
    func trimmingWhitespace() -> Substring {
        var s = self
        while let f = s.utf8.first, f == 0x20 || f == 0x09 { s = s.dropFirst() }
        while let l = s.utf8.last, l == 0x20 || l == 0x09 { s = s.dropLast() }
        return s
    }

    func equalsIgnoringASCIICase(_ other: String) -> Bool { String(self).equalsIgnoringASCIICase(other) }
}
