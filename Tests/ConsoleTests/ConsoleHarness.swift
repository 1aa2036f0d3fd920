@testable import Console
import Engine
import Foundation
import HTTP
import InngestProtocol
import JSON
import Ops
import TestSupport

/// A signed embedded engine, a worker serving `functions` on loopback, and a
/// console reading the engine through the SDK's REST client, as the worker
/// wires them. Requests go to the console handler directly.
final class ConsoleHarness: @unchecked Sendable {
    static let key = "signkey-test-" + String(repeating: "c0", count: 32)

    let engine: EmbeddedEngine
    let worker: HTTPServer
    let inngest: Inngest
    let console: ConsoleHandler
    /// Holds the engine's database, removed when the harness is released.
    let scratch: TemporaryDirectory
    var cookie: String?
    var csrf = ""

    init(functions: [InngestFunction], checkServices: (@Sendable () async throws -> StatusReport)? = nil) async throws {
        scratch = try TemporaryDirectory("console")
        var config = EmbeddedEngineConfiguration(databasePath: scratch.file("engine.sqlite"))
        config.port = 0
        config.synchronous = .normal
        config.signingKey = Self.key
        config.eventKeys = ["event-key"]
        config.settings.retryBaseMilliseconds = 10
        config.settings.retryMaxMilliseconds = 50
        let client = SocketHTTPClient()
        engine = EmbeddedEngine(configuration: config, client: client)
        try engine.start()
        let configuration = try InngestConfiguration(mode: .cloud, signingKey: try SigningKey(parsing: Self.key), eventKey: "event-key",
                                                     apiBaseURL: engine.baseURL, eventAPIBaseURL: engine.baseURL)
        let inngest = Inngest(appId: "console-test", functions: functions, configuration: configuration, httpClient: client)
        self.inngest = inngest
        worker = HTTPServer(configuration: HTTPServerConfiguration(host: "127.0.0.1", port: 0, eventLoops: 1), handler: inngest.handler)
        try worker.start()
        _ = try await inngest.register(serveURL: "http://127.0.0.1:\(worker.port)/api/inngest")
        let sources = ConsoleSources(api: InngestAPIClient(configuration: configuration, httpClient: client),
                                     functions: { inngest.syncedFunctionConfigs }, send: { try await inngest.send($0) },
                                     checkServices: checkServices, metrics: { "joelclaw_function_results_total{function=\"f\",outcome=\"ok\"} 1\n" },
                                     now: { Int64(Date().timeIntervalSince1970 * 1000) })
        console = ConsoleHandler(prefix: "/console", auth: ConsoleAuth(signingKeys: [Self.key]), sources: sources)
    }

    func stop() async {
        await engine.stop()
        await worker.shutdown(drain: 1)
    }

    /// One request to the console, with the session cookie once signed in.
    func request(_ method: String, _ target: String, form: [(String, String)]? = nil, rawBody: [UInt8]? = nil) async -> (Int, String, HTTPHeaders) {
        let parts = target.split(separator: "?", maxSplits: 1).map(String.init)
        var query: [(name: String, value: String)] = []
        if parts.count > 1, let decoded = FormFields.decode(Array(parts[1].utf8)) { query = decoded }
        var headers = HTTPHeaders()
        if let cookie { headers.add("Cookie", "other=1; \(ConsoleHandler.cookieName)=\(cookie)") }
        let body = rawBody ?? (form.map { Array($0.map { "\(HTML.queryValue($0.0))=\(HTML.queryValue($0.1))" }.joined(separator: "&").utf8) } ?? [])
        let response = await console.handle(HTTPRequest(method: method, target: target, path: parts[0].removingPercentEncoding ?? parts[0],
                                                         query: query, headers: headers, body: body))
        guard case .bytes(let bytes) = response.body else { return (response.status, "", response.headers) }
        return (response.status, String(decoding: bytes, as: UTF8.self), response.headers)
    }

    func signIn() async throws {
        let (status, _, headers) = await request("POST", "/console/login", form: [("key", Self.key)])
        guard status == 303, let setCookie = headers["Set-Cookie"], let value = setCookie.split(separator: ";").first?.split(separator: "=", maxSplits: 1).last else {
            throw TestFailure("sign-in failed: \(status)")
        }
        cookie = String(value)
        let (_, page, _) = await request("GET", "/console/functions")
        guard let range = page.range(of: "name=\"csrf\" value=\"") else { throw TestFailure("no csrf field") }
        csrf = String(page[range.upperBound...].prefix { $0 != "\"" })
    }
}
