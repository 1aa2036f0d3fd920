import Foundation
import HTTP
import InngestProtocol
import JSON

/// The interop app (id `interop`) served on a loopback port, with the checks that
/// drive its functions through a server and read the outcome from that server's API.
///
/// The same scenarios run against a real Inngest server (bench/interop/real-server.sh,
/// through the app in bench/interop/sdk-app) and against the embedded engine
/// (`InteropTests`, part of the normal test suite), so both are held to one standard.
public final class InteropApp: Sendable {
    public let inngest: Inngest
    private let server: HTTPServer
    private let checks: Checks

    /// The outcome of one scenario: what it saw, or why it failed.
    public struct Outcome: Sendable {
        public let name: String
        public let passed: Bool
        public let detail: String
    }

    /// Every scenario but `sync`, which must pass first (it registers the app).
    public static var scenarioNames: [String] { Scenarios.all.map(\.name) }
    public static let syncScenarioName = Scenarios.sync.name

    /// Serves the app on 127.0.0.1:`port` (0: a free port).
    ///
    /// - Parameters:
    ///   - serverURL: the server's base URL (events, `/fn/register`, the REST API).
    ///   - apiBearer: the key the checks send to read the server's API (nil: none).
    ///   - expectKeyFallback: the primary signing key is stale and the server checks the
    ///     bearer key, so the SDK's API calls must show a 401 and then the fallback's 200.
    public init(configuration: InngestConfiguration, serverURL: String, apiBearer: String?, port: Int = 0,
                expectKeyFallback: Bool = false, logSink: any InngestLogSink = LoggerLogSink()) throws {
        let http = SocketHTTPClient()
        let recorder = APIRecorder(base: http)
        inngest = Inngest(appId: "interop", functions: InteropFunctions.all, configuration: configuration,
                          httpClient: recorder, logSink: logSink)
        var router = HTTPRouter()
        for method in ["GET", "PUT"] { router.add(method, "/api/inngest", handler: inngest.handler) }
        router.add("POST", "/api/inngest", WireWatch.wrap(inngest.handler))
        server = HTTPServer(configuration: HTTPServerConfiguration(host: "127.0.0.1", port: port), handler: router)
        try server.start()
        var checks = Checks(inngest: inngest, api: ServerAPI(baseURL: serverURL, http: http, bearer: apiBearer),
                            serveURL: "http://127.0.0.1:\(server.port)/api/inngest",
                            key: String(UInt64(Date().timeIntervalSince1970 * 1000)))
        checks.expectKeyFallback = expectKeyFallback
        self.checks = checks
    }

    /// Runs one scenario by name (`syncScenarioName` or one of `scenarioNames`).
    public func run(_ name: String) async -> Outcome {
        guard let scenario = ([Scenarios.sync] + Scenarios.all).first(where: { $0.name == name }) else {
            return Outcome(name: name, passed: false, detail: "no scenario named \(name)")
        }
        do {
            return Outcome(name: name, passed: true, detail: try await scenario.run(checks))
        } catch {
            return Outcome(name: name, passed: false, detail: "\(error)")
        }
    }

    public func stop() async {
        await server.shutdown(drain: 1)
    }
}
