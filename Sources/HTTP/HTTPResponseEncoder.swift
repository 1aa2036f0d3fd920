/// Serialises response heads and chunk framing. Pure: bytes in, bytes out.
///
/// The server owns framing, so `Content-Length`, `Transfer-Encoding` and
/// `Connection` set by a handler are replaced by the ones that match what
/// is actually sent. CR, LF and NUL in handler-supplied names or values are
/// turned into spaces so a handler can never split a response.
public enum HTTPResponseEncoder {
    public enum Framing: Sendable, Equatable {
        /// `Content-Length: n` (also for HEAD, where the body is not sent).
        case length(Int)
        /// `Transfer-Encoding: chunked`.
        case chunked
        /// No length and no chunking: the body ends when the connection
        /// closes (HTTP/1.0 clients of a streamed response).
        case untilClose
        /// 1xx, 204 and 304 carry neither a body nor a length.
        case noBody
    }

    public static func head(status: Int, headers: HTTPHeaders, framing: Framing, keepAlive: Bool,
                            version: String = "HTTP/1.1", date: [UInt8] = [], into out: inout [UInt8]) {
        out.append(contentsOf: version == "HTTP/1.0" ? httpVersion10 : httpVersion11)
        appendStatus(status, into: &out)
        for (name, value) in headers {
            if isFramingHeader(name) { continue }
            appendSanitised(name, into: &out)
            out.append(contentsOf: colonSpace)
            appendSanitised(value, into: &out)
            out.append(contentsOf: crlf)
        }
        switch framing {
        case .length(let n):
            out.append(contentsOf: contentLengthPrefix)
            appendDecimal(n, into: &out)
            out.append(contentsOf: crlf)
        case .chunked:
            out.append(contentsOf: chunkedHeader)
        case .untilClose, .noBody:
            break
        }
        if !keepAlive {
            out.append(contentsOf: connectionClose)
        } else if version == "HTTP/1.0" {
            out.append(contentsOf: connectionKeepAlive)
        }
        if !date.isEmpty {
            out.append(contentsOf: datePrefix)
            out.append(contentsOf: date)
            out.append(contentsOf: crlf)
        }
        out.append(contentsOf: crlf)
    }

    /// Whether a status forbids a body (RFC 9110 §6.4.1).
    public static func forbidsBody(_ status: Int) -> Bool { (100..<200).contains(status) || status == 204 || status == 304 }

    /// The framing of one chunk; empty chunks are skipped by the caller,
    /// since a zero-size chunk would end the body.
    public static func chunkHeader(size: Int, into out: inout [UInt8]) {
        appendHex(size, into: &out)
        out.append(contentsOf: crlf)
    }

    public static let chunkTrailer: [UInt8] = Array("\r\n".utf8)
    public static let lastChunk: [UInt8] = Array("0\r\n\r\n".utf8)
    public static let continueResponse: [UInt8] = Array("HTTP/1.1 100 Continue\r\n\r\n".utf8)

    static func isFramingHeader(_ name: String) -> Bool {
        switch name.utf8.count {
        case 10: return name.equalsIgnoringASCIICase("connection")
        case 14: return name.equalsIgnoringASCIICase("content-length")
        case 17: return name.equalsIgnoringASCIICase("transfer-encoding")
        case 4: return name.equalsIgnoringASCIICase("date")
        default: return false
        }
    }

    private static func appendStatus(_ status: Int, into out: inout [UInt8]) {
        appendDecimal(status, into: &out)
        out.append(0x20)
        out.append(contentsOf: HTTPStatus.reason(status).utf8)
        out.append(contentsOf: crlf)
    }

    private static func appendSanitised(_ text: String, into out: inout [UInt8]) {
        for b in text.utf8 {
            out.append(b == 0x0D || b == 0x0A || b == 0x00 ? 0x20 : b)
        }
    }

    static func appendDecimal(_ value: Int, into out: inout [UInt8]) {
        if value == 0 { out.append(UInt8(ascii: "0")); return }
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var v = value.magnitude
        var count = 0
        withUnsafeMutableBytes(of: &digits) { d in
            while v > 0 {
                d[count] = UInt8(ascii: "0") + UInt8(v % 10)
                v /= 10
                count += 1
            }
            if value < 0 { out.append(UInt8(ascii: "-")) }
            for i in stride(from: count - 1, through: 0, by: -1) { out.append(d[i]) }
        }
    }

    private static func appendHex(_ value: Int, into out: inout [UInt8]) {
        let hex = Array("0123456789abcdef".utf8)
        var shift = (Int.bitWidth - 4)
        while shift > 0 && (value >> shift) & 0xF == 0 { shift -= 4 }
        while shift >= 0 {
            out.append(hex[(value >> shift) & 0xF])
            shift -= 4
        }
    }

    private static let httpVersion11: [UInt8] = Array("HTTP/1.1 ".utf8)
    private static let httpVersion10: [UInt8] = Array("HTTP/1.0 ".utf8)
    private static let crlf: [UInt8] = [0x0D, 0x0A]
    private static let colonSpace: [UInt8] = [UInt8(ascii: ":"), 0x20]
    private static let contentLengthPrefix: [UInt8] = Array("Content-Length: ".utf8)
    private static let chunkedHeader: [UInt8] = Array("Transfer-Encoding: chunked\r\n".utf8)
    private static let connectionClose: [UInt8] = Array("Connection: close\r\n".utf8)
    private static let connectionKeepAlive: [UInt8] = Array("Connection: keep-alive\r\n".utf8)
    private static let datePrefix: [UInt8] = Array("Date: ".utf8)
}
