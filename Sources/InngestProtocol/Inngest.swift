import Foundation
import HTTP
import JSON
import Support

/// An Inngest app: its id, its functions, how it reaches Inngest, and the
/// entry point for serving them.
///
/// ```swift
/// import InngestProtocol
///
/// let greet = InngestFunction(id: "greet", triggers: [.event("app/user.created")]) { ctx in
///     let user = try ctx.event.decodeData(as: NewUser.self)
///     let message = try await ctx.step.run("compose") { "Welcome, \(user.name)!" }
///     try await ctx.step.sleep("pause", for: .minutes(5))
///     let ids = try await ctx.step.sendEvent("notify", InngestEvent(name: "app/greeted", data: ["text": .string(message)]))
///     ctx.logger.info("greeted \(user.name)")   // logged once, not on every replay
///     return ids
/// }
///
/// let inngest = Inngest(appId: "my-app", functions: [greet],
///                       configuration: try InngestConfiguration(environment: ProcessInfo.processInfo.environment),
///                       httpClient: SocketHTTPClient())
/// // Serve `inngest.handler` at /api/inngest on any HTTP server (it is an `HTTPHandler`),
/// // then sync: `try await inngest.register(serveURL: "http://127.0.0.1:3000/api/inngest")`.
/// // Send events from anywhere: `try await inngest.send([InngestEvent(name: "app/user.created", data: [...])])`.
/// ```
public final class Inngest: Sendable {
    public let appId: String
    /// Optional app version shown by the server (`appVersion`).
    public let appVersion: String?
    /// The functions as defined (without the generated `-failure` handlers).
    public let functions: [InngestFunction]
    public let configuration: InngestConfiguration
    public let middleware: [any InngestMiddleware]
    /// The sink given at init, behind a `RedactingLogSink` for this configuration's keys.
    public let logSink: any InngestLogSink
    let httpClient: any HTTPClient
    /// Unix time in seconds; injected so signature windows are testable.
    let clock: @Sendable () -> Int64
    /// Seconds on a monotonic clock; injected so `Checkpointing.maxRuntime` is testable.
    let elapsedClock: @Sendable () -> Double
    /// Functions as registered: each function, then its failure handler if any.
    let registeredFunctions: [InngestFunction]
    private let byCompositeId: [String: InngestFunction]
    /// Runs one call of a function; built once here, since the serve path uses it for every call.
    let executor: CallExecutor
    /// The serve URL this app registered itself with (`registerOnStart`): what an
    /// unsigned sync request re-registers, since its `Host` header proves nothing.
    let ownServeURL = Locked<String?>(nil)

    public init(appId: String, appVersion: String? = nil, functions: [InngestFunction],
                configuration: InngestConfiguration, httpClient: any HTTPClient,
                middleware: [any InngestMiddleware] = [], logSink: any InngestLogSink = LoggerLogSink(),
                clock: @escaping @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970) },
                elapsedClock: @escaping @Sendable () -> Double = { ProcessInfo.processInfo.systemUptime }) {
        self.appId = appId
        self.appVersion = appVersion
        self.functions = functions
        self.configuration = configuration
        self.httpClient = httpClient
        self.middleware = middleware
        self.logSink = RedactingLogSink(logSink, redactor: SecretRedactor(configuration: configuration))
        self.clock = clock
        self.elapsedClock = elapsedClock
        var registered: [InngestFunction] = []
        for f in functions {
            registered.append(f)
            if let failure = f.failureHandler(appId: appId) { registered.append(failure) }
        }
        self.registeredFunctions = registered
        var map: [String: InngestFunction] = [:]
        for f in registered { map[f.compositeId(appId: appId)] = f }
        self.byCompositeId = map
        let events = EventClient(configuration: configuration, httpClient: httpClient, middleware: middleware)
        let api = InngestAPIClient(configuration: configuration, httpClient: httpClient)
        self.executor = CallExecutor(appId: appId, middleware: middleware, logSink: self.logSink,
                                     sendEvents: { try await events.send($0) },
                                     sendSignal: { try await api.sendSignal($0, data: $1) })
    }

    public var mode: InngestMode { configuration.mode }

    /// Configuration problems worth refusing to start for (duplicate ids, invalid
    /// options, cloud mode without a signing key), as readable sentences.
    public var problems: [String] {
        var problems = registeredFunctions.flatMap(\.validationProblems)
        var seen = Set<String>()
        for f in registeredFunctions where !seen.insert(f.id).inserted {
            problems.append("two functions have the id \(f.id)")
        }
        if appId.isEmpty { problems.append("the app id is empty") }
        if mode == .cloud && configuration.signingKey == nil {
            problems.append("cloud mode without INNGEST_SIGNING_KEY: every call will be refused (set the key, or INNGEST_DEV=1 for the dev server)")
        }
        return problems
    }

    /// The function registered as `compositeId` (`<appId>-<id>`); the bare id is accepted too.
    public func function(compositeId: String) -> InngestFunction? {
        byCompositeId[compositeId] ?? byCompositeId["\(appId)-\(compositeId)"]
    }

    /// The serve endpoint: answers `GET`, `PUT` and `POST` on the path it is mounted at.
    public var handler: InngestServeHandler { InngestServeHandler(inngest: self) }

    /// Sends events; returns their ids in order.
    @discardableResult
    public func send(_ events: [InngestEvent]) async throws -> [String] {
        try await eventClient.send(events)
    }

    @discardableResult
    public func send(_ event: InngestEvent) async throws -> [String] { try await send([event]) }

    var eventClient: EventClient {
        EventClient(configuration: configuration, httpClient: httpClient, middleware: middleware)
    }

}
