import Support
/// Dispatches requests by method and exact path.
///
/// Unknown paths get 404; a known path with another method gets 405 with an
/// `Allow` header; HEAD is answered by the GET route (the server drops the
/// body). Registration order does not matter; the last route for a given
/// method and path wins.
public struct HTTPRouter: HTTPHandler {
    public typealias Route = @Sendable (HTTPRequest) async -> HTTPResponse

    private var routes: [String: [String: Route]] = [:]
    /// Answers paths no route claims; 404 by default.
    public var fallback: Route = { request in
        HTTPResponse(status: 404, contentType: "application/json", text: "{\"error\":\"not found\",\"path\":\(Self.jsonQuoted(request.path))}")
    }

    public init() {}

    public mutating func add(_ method: String, _ path: String, _ route: @escaping Route) {
        routes[path, default: [:]][method] = route
    }

    public mutating func add(_ method: String, _ path: String, handler: some HTTPHandler) {
        add(method, path) { await handler.handle($0) }
    }

    /// Whether some route serves `path`.
    public func serves(_ path: String) -> Bool { routes[path] != nil }

    public func handle(_ request: HTTPRequest) async -> HTTPResponse {
        guard let byMethod = routes[request.path] else { return await fallback(request) }
        if let route = byMethod[request.method] ?? (request.method == "HEAD" ? byMethod["GET"] : nil) {
            return await route(request)
        }
        var allowed = Set(byMethod.keys)
        if allowed.contains("GET") { allowed.insert("HEAD") }
        var headers = HTTPHeaders()
        headers.add("Allow", allowed.sorted().joined(separator: ", "))
        return HTTPResponse(status: 405, contentType: "application/json",
                            text: "{\"error\":\"method not allowed\",\"method\":\(Self.jsonQuoted(request.method))}", headers: headers)
    }

    static func jsonQuoted(_ text: String) -> String {
        var out = ""
        LogValue.appendQuoted(text, to: &out)
        return out
    }
}
