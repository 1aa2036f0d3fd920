import HTTP

/// Starts a server on a free loopback port for one test and stops it after.
func withServer<T>(_ configuration: HTTPServerConfiguration = HTTPServerConfiguration(),
                   handler: @escaping @Sendable (HTTPRequest) async -> HTTPResponse,
                   _ body: (HTTPServer) async throws -> T) async throws -> T {
    var config = configuration
    config.host = "127.0.0.1"
    config.port = 0
    let server = HTTPServer(configuration: config, handler: ClosureHTTPHandler(handler))
    try server.start()
    do {
        let result = try await body(server)
        await server.shutdown(drain: 1)
        return result
    } catch {
        await server.shutdown(drain: 1)
        throw error
    }
}

/// A handler that answers with the method, path and body it received.
let echoHandler: @Sendable (HTTPRequest) async -> HTTPResponse = { request in
    var headers = HTTPHeaders()
    headers.add("X-Method", request.method)
    headers.add("X-Path", request.path)
    return HTTPResponse(status: 200, headers: headers, body: request.body)
}

extension HTTPClientResponse {
    var text: String { String(decoding: body, as: UTF8.self) }
}
