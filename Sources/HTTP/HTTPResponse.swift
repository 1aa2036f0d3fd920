/// A response a handler returns: status, headers and a body.
///
/// `Content-Length` (or chunked framing for streams), `Date`-free framing and
/// `Connection` handling are added by the server; handlers set only what is
/// specific to them.
public struct HTTPResponse: Sendable {
    public var status: Int
    public var headers: HTTPHeaders
    public var body: HTTPBody

    public init(status: Int, headers: HTTPHeaders = HTTPHeaders(), body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = .bytes(body)
    }

    public init(status: Int, headers: HTTPHeaders = HTTPHeaders(), body: HTTPBody) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// A response with a UTF-8 body and the given content type.
    public init(status: Int, contentType: String, text: String, headers: HTTPHeaders = HTTPHeaders()) {
        var h = headers
        h.set("Content-Type", contentType)
        self.init(status: status, headers: h, body: Array(text.utf8))
    }
}

/// A response body: either complete bytes (sent with `Content-Length`) or a
/// stream of chunks (sent with `Transfer-Encoding: chunked`).
public enum HTTPBody: Sendable {
    case bytes([UInt8])
    case stream(AsyncStream<[UInt8]>)
}
