import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import HTTP

/// A small `HTTPClient` over URLSession for the checks and the CLI.
///
/// It exists so Ops does not wait on the HTTP module's client; it keeps to the
/// shared `HTTPClient` protocol, so swapping in that client is a one-line change
/// where it is constructed.
public struct OpsHTTPClient: HTTPClient {
    private let session: URLSession

    public init() {
        let config = URLSessionConfiguration.ephemeral
        config.requestCachePolicy = .reloadIgnoringLocalCacheData
        config.httpShouldSetCookies = false
        config.urlCache = nil
        session = URLSession(configuration: config)
    }

    public func send(_ request: HTTPClientRequest) async throws -> HTTPClientResponse {
        guard let url = URL(string: request.url), url.scheme != nil, url.host != nil else {
            throw HTTPClientError.invalidURL(request.url)
        }
        var r = URLRequest(url: url, timeoutInterval: request.timeout)
        r.httpMethod = request.method
        for field in request.headers { r.addValue(field.value, forHTTPHeaderField: field.name) }
        if !request.body.isEmpty { r.httpBody = Data(request.body) }
        do {
            let (data, response) = try await session.data(for: r)
            guard let http = response as? HTTPURLResponse else { throw HTTPClientError.transport("not an HTTP response") }
            var headers = HTTPHeaders()
            for (k, v) in http.allHeaderFields {
                if let k = k as? String, let v = v as? String { headers.add(k, v) }
            }
            return HTTPClientResponse(status: http.statusCode, headers: headers, body: Array(data))
        } catch let error as URLError {
            if error.code == .timedOut { throw HTTPClientError.timedOut }
            throw HTTPClientError.transport(error.localizedDescription)
        }
    }
}
