import Foundation
import HTTP
import JSON

/// A real HTTP server on a free loopback port standing in for the Inngest
/// server's REST and event APIs. It records every request and answers with
/// the `respond` closure.
final class FakeInngestServer: @unchecked Sendable {
    private let lock = NSLock()
    private var recorded: [HTTPRequest] = []
    private let server: HTTPServer

    var requests: [HTTPRequest] { lock.withLock { recorded } }
    var port: Int { server.port }
    var origin: String { "http://127.0.0.1:\(server.port)" }

    init(_ respond: @escaping @Sendable (HTTPRequest, Int) -> HTTPResponse) throws {
        let box = Box()
        server = HTTPServer(configuration: HTTPServerConfiguration(host: "127.0.0.1", port: 0),
                            handler: ClosureHTTPHandler { request in
                                let n = box.record(request)
                                return respond(request, n)
                            })
        box.owner = self
        try server.start()
    }

    func stop() async { await server.shutdown(drain: 1) }

    /// Keeps the record in the server object without a retain cycle at init.
    private final class Box: @unchecked Sendable {
        weak var owner: FakeInngestServer?
        func record(_ r: HTTPRequest) -> Int {
            guard let owner else { return 0 }
            return owner.lock.withLock {
                owner.recorded.append(r)
                return owner.recorded.count - 1
            }
        }
    }

    static func json(_ status: Int, _ body: JSON) -> HTTPResponse {
        HTTPResponse(status: status, headers: ["Content-Type": "application/json"], body: body.serializedBytes())
    }
}

func withFakeServer<T>(_ respond: @escaping @Sendable (HTTPRequest, Int) -> HTTPResponse,
                       _ body: (FakeInngestServer) async throws -> T) async throws -> T {
    let server = try FakeInngestServer(respond)
    do {
        let result = try await body(server)
        await server.stop()
        return result
    } catch {
        await server.stop()
        throw error
    }
}
