/// An outgoing HTTP request for `HTTPClient`.
public struct HTTPClientRequest: Sendable {
    public var method: String
    /// Absolute URL, e.g. `http://127.0.0.1:8288/fn/register`.
    public var url: String
    public var headers: HTTPHeaders
    public var body: [UInt8]
    /// Seconds before the request is abandoned with `HTTPClientError.timedOut`
    /// (zero, negative or NaN: no limit of the client's own).
    public var timeout: Double

    public init(method: String, url: String, headers: HTTPHeaders = HTTPHeaders(), body: [UInt8] = [], timeout: Double = 30) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeout = timeout
    }
}

public struct HTTPClientResponse: Sendable {
    public var status: Int
    public var headers: HTTPHeaders
    public var body: [UInt8]

    public init(status: Int, headers: HTTPHeaders = HTTPHeaders(), body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }
}

/// Errors name a URL only by its origin (`scheme://host:port`, then `/…`):
/// paths and queries can carry credentials (Inngest's event API takes its key
/// in the path), and error text ends up in logs and stored run errors.
public enum HTTPClientError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Holds `HTTPClientError.origin(of:)` of the URL, never the whole URL.
    case invalidURL(String)
    case timedOut
    /// Connection refused, reset, DNS failure and the like.
    case transport(String)

    /// The text `"\(error)"` gave before (`transport("…")`), spelled out:
    /// without it, interpolating the error reflects it through `Mirror`, whose
    /// first use pulls megabytes of runtime metadata into resident memory
    /// (the worker logs these errors while it waits for the Inngest server).
    public var description: String {
        switch self {
        case .invalidURL(let url): "invalidURL(\(url.debugDescription))"
        case .timedOut: "timedOut"
        case .transport(let reason): "transport(\(reason.debugDescription))"
        }
    }

    /// `url` cut after its authority (`http://host:8288/…`): enough to say where a
    /// request went, without the path or query that may hold a key.
    public static func origin(of url: String) -> String {
        let utf8 = Array(url.utf8)
        var start = 0
        if let colon = utf8.firstIndex(of: UInt8(ascii: ":")), colon + 2 < utf8.count,
           utf8[colon + 1] == UInt8(ascii: "/"), utf8[colon + 2] == UInt8(ascii: "/") { start = colon + 3 }
        guard let cut = utf8[start...].firstIndex(where: { $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "#") })
        else { return url }
        if cut == utf8.count - 1 && utf8[cut] == UInt8(ascii: "/") { return url }  // nothing after the authority but `/`
        return String(decoding: utf8[..<cut], as: UTF8.self) + "/…"
    }
}

/// Sends HTTP requests. One real implementation per transport; tests use the
/// real one against a loopback server.
public protocol HTTPClient: Sendable {
    func send(_ request: HTTPClientRequest) async throws -> HTTPClientResponse
}
