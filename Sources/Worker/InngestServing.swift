import Foundation
import Functions
import HTTP
import InngestProtocol
import Ops
import Support

/// The worker's Inngest side: the app (its functions, keys and mode, all from
/// the environment), its serve endpoint on the router, and the sync with the
/// Inngest server once the worker listens.
///
/// Environment: the SDK's `INNGEST_*` variables (see `InngestConfiguration`),
/// `INNGEST_APP_ID` (default `system-bus`), and whatever the functions'
/// configuration reads (`FunctionsConfig.load`).
struct InngestServing: Sendable {
    static let defaultAppId = "system-bus"
    static let defaultPath = "/api/inngest"

    let inngest: Inngest
    let path: String
    let logger: Logger

    /// Configuration problems found at start, each a sentence a person can act on.
    struct Problems: Error {
        let messages: [String]
    }

    /// Builds the app, or lists every configuration problem (the worker exits 2 on them).
    static func make(environment: [String: String], logger: Logger,
                     middleware: [any InngestMiddleware] = []) -> Result<InngestServing, Problems> {
        // One socket client for every call: plain http:// (the embedded engine,
        // a dev server) and https:// (Inngest Cloud, the LLM API) alike, over
        // OpenSSL on Linux, so the worker never loads libcurl.
        let client = SocketHTTPClient()
        let configuration: InngestConfiguration
        let functions: [InngestFunction]
        do {
            configuration = try InngestConfiguration(environment: environment)
            functions = allFunctions(services: try .live(config: try .load(environment: environment), http: client,
                                                         environment: environment))
        } catch {
            return .failure(Problems(messages: ["\(error)"]))
        }
        let appId = environment["INNGEST_APP_ID"].flatMap { $0.isEmpty ? nil : $0 } ?? defaultAppId
        let inngest = Inngest(appId: appId, functions: functions, configuration: configuration, httpClient: client,
                              middleware: middleware, logSink: LoggerLogSink(logger: logger.with(["component": "inngest"])))
        let problems = inngest.problems.filter { !$0.contains("INNGEST_SIGNING_KEY") }
        guard problems.isEmpty else { return .failure(Problems(messages: problems)) }
        return .success(InngestServing(inngest: inngest, path: configuration.servePath ?? defaultPath, logger: logger))
    }

    /// `router` with the serve endpoint added at `path` (GET, PUT, POST).
    func mounted(on router: HTTPRouter) -> HTTPRouter {
        var router = router
        let handler = inngest.handler
        for method in ["GET", "PUT", "POST"] { router.add(method, path, handler: handler) }
        return router
    }

    /// Logs the mode, then registers with the Inngest server in the background,
    /// retrying with backoff until it answers (the worker serves meanwhile).
    @discardableResult
    func startSync(host: String, port: Int,
                   onResult: @escaping @Sendable (Result<RegistrationResult, RegistrationError>) -> Void = { _ in }) -> Task<Void, Never> {
        let c = inngest.configuration
        switch c.mode {
        case .dev:
            logger.warn("inngest dev mode: request signatures are NOT verified", ["api": .string(c.apiBaseURL)])
        case .cloud where c.signingKey == nil:
            logger.error("inngest cloud mode without INNGEST_SIGNING_KEY: every call will be refused", [:])
        case .cloud:
            logger.info("inngest cloud mode: signatures verified", ["api": .string(c.apiBaseURL)])
        }
        let reachableHost = (host == "0.0.0.0" || host == "::") ? "127.0.0.1" : host
        let origin = c.serveOrigin ?? "http://\(reachableHost.contains(":") ? "[\(reachableHost)]" : reachableHost):\(port)"
        let serveURL = origin + path
        let inngest = self.inngest
        logger.info("inngest serving", ["url": .string(serveURL), "functions": .int(inngest.functions.count)])
        return Task { onResult(await inngest.registerOnStart(serveURL: serveURL)) }
    }
}
