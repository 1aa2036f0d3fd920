import Foundation
import HTTP

/// A real HTTP server on 127.0.0.1 with a port chosen by the kernel, answering
/// with a closure. Stands in for remote APIs (the LLM, a health endpoint, the
/// Inngest event API, a video host) in tests.
public final class LoopbackServer: @unchecked Sendable {
    public let server: HTTPServer

    public init(_ respond: @escaping @Sendable (HTTPRequest) async -> HTTPResponse) throws {
        let box = RequestLog()
        server = HTTPServer(configuration: HTTPServerConfiguration(host: "127.0.0.1", port: 0),
                            handler: ClosureHTTPHandler { request in
                                box.append(request)
                                return await respond(request)
                            })
        log = box
        try server.start()
    }

    private let log: RequestLog
    public var requests: [HTTPRequest] { log.all }
    public var url: String { "http://127.0.0.1:\(server.port)" }

    public func stop() async { await server.shutdown(drain: 1) }
}

final class RequestLog: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [HTTPRequest] = []
    func append(_ r: HTTPRequest) { lock.lock(); items.append(r); lock.unlock() }
    var all: [HTTPRequest] { lock.lock(); defer { lock.unlock() }; return items }
}

extension HTTPResponse {
    public static func json(_ text: String, status: Int = 200) -> HTTPResponse {
        HTTPResponse(status: status, contentType: "application/json", text: text)
    }
}
