import HTTP

/// The `HTTPClient` the checks and the CLI use: plain `http://` over the HTTP
/// module's `SocketHTTPClient` (no URLSession start-up cost, event-loop waits
/// that stay prompt on a loaded machine), anything else over
/// `URLSessionHTTPClient` (https to tailnet endpoints).
public struct OpsHTTPClient: HTTPClient {
    private let plain: SocketHTTPClient
    private let secure: URLSessionHTTPClient

    public init() {
        plain = SocketHTTPClient()
        secure = URLSessionHTTPClient()
    }

    public func send(_ request: HTTPClientRequest) async throws -> HTTPClientResponse {
        if request.url.lowercased().hasPrefix("http://") { return try await plain.send(request) }
        return try await secure.send(request)
    }
}
