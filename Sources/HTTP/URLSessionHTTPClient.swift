#if canImport(Darwin)
import Foundation
import Support

/// `HTTPClient` over URLSession, compiled on Apple platforms only: there
/// Foundation has TLS built in, and `SocketHTTPClient` sends its https
/// requests here. On Linux URLSession lives in FoundationNetworking, which
/// links libcurl and its TLS, Kerberos and LDAP libraries (megabytes of
/// resident memory), so Linux speaks https through `TLSConnection` instead.
///
/// Redirects are not followed (the caller sees the 3xx), nothing is cached,
/// and cookies are not stored: every call is exactly the request given.
public final class URLSessionHTTPClient: HTTPClient, @unchecked Sendable {
    /// Created on the first call, not in `init`: a process whose calls are
    /// all plain `http://` never starts a session.
    private let lazySession = Locked<URLSession?>(nil)
    private let delegate = NoRedirects()

    public init() {}

    deinit { lazySession.withLock { $0 }?.finishTasksAndInvalidate() }

    private var session: URLSession {
        lazySession.withLock { session in
            if let session { return session }
            let configuration = URLSessionConfiguration.ephemeral
            configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
            configuration.urlCache = nil
            configuration.httpCookieStorage = nil
            configuration.httpShouldSetCookies = false
            let created = URLSession(configuration: configuration, delegate: delegate, delegateQueue: nil)
            session = created
            return created
        }
    }

    public func send(_ request: HTTPClientRequest) async throws -> HTTPClientResponse {
        guard let url = URL(string: request.url), let scheme = url.scheme?.lowercased(),
              scheme == "http" || scheme == "https", url.host != nil
        else { throw HTTPClientError.invalidURL(HTTPClientError.origin(of: request.url)) }
        var urlRequest = URLRequest(url: url, cachePolicy: .reloadIgnoringLocalCacheData,
                                    timeoutInterval: request.timeout.isFinite && request.timeout > 0 ? request.timeout : 1e9)
        urlRequest.httpMethod = request.method
        for (name, value) in request.headers { urlRequest.addValue(value, forHTTPHeaderField: name) }
        if !request.body.isEmpty { urlRequest.httpBody = Data(request.body) }

        let (data, response): (Data, URLResponse)
        let session = self.session
        do {
            (data, response) = try await withTimeout(request.timeout) { [session, urlRequest] in
                try await session.data(for: urlRequest)
            }
        } catch let error as HTTPClientError {
            throw error
        } catch let error as URLError where error.code == .timedOut {
            throw HTTPClientError.timedOut
        } catch let error as URLError where error.code == .badURL || error.code == .unsupportedURL {
            throw HTTPClientError.invalidURL(HTTPClientError.origin(of: request.url))
        } catch {
            throw HTTPClientError.transport("\(request.method) \(HTTPClientError.origin(of: request.url)): \(error.localizedDescription)")
        }
        guard let http = response as? HTTPURLResponse else {
            throw HTTPClientError.transport("\(HTTPClientError.origin(of: request.url)): not an HTTP response")
        }
        var headers = HTTPHeaders()
        for (name, value) in http.allHeaderFields {
            headers.add(String(describing: name), String(describing: value))
        }
        return HTTPClientResponse(status: http.statusCode, headers: headers, body: [UInt8](data))
    }

    /// URLSession's own timeout is per idle interval, not per request, so the
    /// whole call is bounded here as well.
    private func withTimeout<T: Sendable>(_ seconds: Double, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
        guard seconds > 0, seconds.isFinite else { return try await body() }
        return try await withThrowingTaskGroup(of: T.self) { group in
            group.addTask { try await body() }
            group.addTask {
                try await Task.sleep(nanoseconds: UInt64(min(seconds, 1e9) * 1_000_000_000))
                throw HTTPClientError.timedOut
            }
            defer { group.cancelAll() }
            return try await group.next()!
        }
    }
}

/// Hands 3xx responses back to the caller instead of following them.
private final class NoRedirects: NSObject, URLSessionTaskDelegate, @unchecked Sendable {
    func urlSession(_ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
                    newRequest request: URLRequest, completionHandler: @escaping (URLRequest?) -> Void) {
        completionHandler(nil)
    }
}
#endif
