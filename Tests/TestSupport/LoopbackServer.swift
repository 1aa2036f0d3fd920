import Foundation
import HTTP
import JSON

/// A real HTTP server on 127.0.0.1 with a port chosen by the kernel, answering
/// with a closure. Stands in for remote APIs (the LLM, a health endpoint, an
/// Inngest server's event and REST APIs when a test needs answers the
/// embedded engine never gives, such as a 502 or a 401, a video host).
public final class LoopbackServer: @unchecked Sendable {
    public let server: HTTPServer
    private let log: RequestLog

    public convenience init(_ respond: @escaping @Sendable (HTTPRequest) async -> HTTPResponse) throws {
        try self.init(numbered: { request, _ in await respond(request) })
    }

    /// `respond` also gets the request's index (0 for the first), for
    /// answers that change over time ("fail twice, then succeed").
    public init(numbered respond: @escaping @Sendable (HTTPRequest, Int) async -> HTTPResponse) throws {
        let box = RequestLog()
        server = HTTPServer(configuration: HTTPServerConfiguration(host: "127.0.0.1", port: 0),
                            handler: ClosureHTTPHandler { request in
                                let n = box.append(request)
                                return await respond(request, n)
                            })
        log = box
        try server.start()
    }

    public var requests: [HTTPRequest] { log.all }
    public var port: Int { server.port }
    /// `http://127.0.0.1:<port>`, what a client takes as its base URL.
    public var url: String { "http://127.0.0.1:\(server.port)" }
    public var origin: String { url }

    public func stop() async { await server.shutdown(drain: 1) }
}

/// Runs `body` with a `LoopbackServer` answering `respond`, and stops it after.
public func withLoopbackServer<T>(_ respond: @escaping @Sendable (HTTPRequest, Int) -> HTTPResponse,
                                  _ body: (LoopbackServer) async throws -> T) async throws -> T {
    let server = try LoopbackServer(numbered: { request, n in respond(request, n) })
    do {
        let result = try await body(server)
        await server.stop()
        return result
    } catch {
        await server.stop()
        throw error
    }
}

final class RequestLog: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [HTTPRequest] = []
    func append(_ r: HTTPRequest) -> Int { lock.lock(); defer { lock.unlock() }; items.append(r); return items.count - 1 }
    var all: [HTTPRequest] { lock.lock(); defer { lock.unlock() }; return items }
}

extension HTTPResponse {
    public static func json(_ text: String, status: Int = 200) -> HTTPResponse {
        HTTPResponse(status: status, contentType: "application/json", text: text)
    }

    public static func json(_ status: Int, _ body: JSON) -> HTTPResponse {
        HTTPResponse(status: status, headers: ["Content-Type": "application/json"], body: body.serializedBytes())
    }
}
