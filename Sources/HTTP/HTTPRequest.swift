/// A parsed HTTP/1.x request, independent of any socket.
///
/// Handlers receive this value and return an `HTTPResponse`; nothing in it
/// refers to the connection, so handlers can be driven directly by tests.
public struct HTTPRequest: Sendable {
    /// The method token as sent, e.g. `GET` (methods are case-sensitive).
    public var method: String
    /// The request target as sent (path plus optional `?query`), not decoded.
    public var target: String
    /// The percent-decoded path, without the query.
    public var path: String
    /// Query parameters in order, names and values percent-decoded (`+` is a space).
    public var query: [(name: String, value: String)]
    /// `HTTP/1.1` or `HTTP/1.0`.
    public var version: String
    public var headers: HTTPHeaders
    /// The complete body (de-chunked when it arrived chunked).
    public var body: [UInt8]

    public init(method: String, target: String, path: String? = nil,
                query: [(name: String, value: String)] = [], version: String = "HTTP/1.1",
                headers: HTTPHeaders = HTTPHeaders(), body: [UInt8] = []) {
        self.method = method
        self.target = target
        self.path = path ?? String(target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first ?? "")
        self.query = query
        self.version = version
        self.headers = headers
        self.body = body
    }

    /// The first value of the query parameter `name`.
    public func queryValue(_ name: String) -> String? { query.first { $0.name == name }?.value }
}
