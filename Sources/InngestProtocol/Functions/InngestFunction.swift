import JSON

/// A durable function: an id, a display name, what triggers it, its
/// configuration, and a body that reads as a plain sequence of steps.
///
/// ```swift
/// let download = InngestFunction(
///     id: "video-download",
///     name: "Download video",
///     triggers: [.event("pipeline/video.requested")],
///     config: .init(retries: 2, concurrency: [.init(limit: 1)])
/// ) { ctx in
///     let request = try ctx.event.decodeData(as: VideoRequest.self)
///     let file = try await ctx.step.run("download") { try await downloader.fetch(request.url) }
///     try await ctx.step.sleep("cool-down", for: .seconds(30))
///     return ["file": .string(file)]
/// }
/// ```
/// The body is replayed from the top on every call; each step's result is
/// memoised by the server, so code outside steps must be cheap and idempotent.
public struct InngestFunction: Sendable {
    /// The function's id within the app (unique per app); the server sees `<appId>-<id>`.
    public let id: String
    /// Display name; defaults to the id (the server requires one).
    public let name: String
    public let triggers: [FunctionTrigger]
    public let config: FunctionConfiguration
    let body: @Sendable (FunctionContext) async throws -> JSON

    /// The event the server emits when a function fails for good.
    public static let failureEventName = "inngest/function.failed"

    /// A function whose body returns an `Encodable` result (sent as the run's output).
    public init<Output: Encodable & Sendable>(id: String, name: String? = nil, triggers: [FunctionTrigger],
                                              config: FunctionConfiguration = FunctionConfiguration(),
                                              _ body: @escaping @Sendable (FunctionContext) async throws -> Output) {
        self.id = id
        self.name = name ?? id
        self.triggers = triggers
        self.config = config
        self.body = { ctx in try JSON(encoding: try await body(ctx)) }
    }

    /// A function whose body returns nothing (its output is `null`).
    public init(id: String, name: String? = nil, triggers: [FunctionTrigger],
                config: FunctionConfiguration = FunctionConfiguration(),
                _ body: @escaping @Sendable (FunctionContext) async throws -> Void) {
        self.id = id
        self.name = name ?? id
        self.triggers = triggers
        self.config = config
        self.body = { ctx in try await body(ctx); return .null }
    }

    init(id: String, name: String, triggers: [FunctionTrigger], config: FunctionConfiguration,
         erasedBody: @escaping @Sendable (FunctionContext) async throws -> JSON) {
        self.id = id
        self.name = name
        self.triggers = triggers
        self.config = config
        self.body = erasedBody
    }

    /// The server-side id: `<appId>-<id>`.
    public func compositeId(appId: String) -> String { "\(appId)-\(id)" }

    /// The extra function that runs `config.onFailure`, if any: id `<id>-failure`,
    /// triggered by `inngest/function.failed` for this function only, never retried
    /// more than once.
    public func failureHandler(appId: String) -> InngestFunction? {
        guard let onFailure = config.onFailure else { return nil }
        let expression = "event.data.function_id == '\(compositeId(appId: appId))'"
        return InngestFunction(id: "\(id)-failure", name: "\(name) (failure)",
                               triggers: [.event(Self.failureEventName, if: expression)],
                               config: FunctionConfiguration(retries: 1),
                               erasedBody: { ctx in try await onFailure(ctx); return .null })
    }

    /// Problems the server would reject this function for, as readable sentences.
    public var validationProblems: [String] {
        var problems: [String] = []
        if id.isEmpty { problems.append("a function needs a non-empty id") }
        if triggers.isEmpty { problems.append("function \(id) has no triggers") }
        if triggers.count > 10 { problems.append("function \(id) has \(triggers.count) triggers; at most 10 are allowed") }
        if config.cancelOn.count > 5 { problems.append("function \(id) has \(config.cancelOn.count) cancelOn entries; at most 5 are allowed") }
        if let retries = config.retries, !(0...20).contains(retries) {
            problems.append("function \(id): retries must be between 0 and 20, not \(retries)")
        }
        if config.batchEvents != nil {
            if !config.cancelOn.isEmpty { problems.append("function \(id): batchEvents cannot be combined with cancelOn") }
            if config.debounce != nil { problems.append("function \(id): batchEvents cannot be combined with debounce") }
            if config.singleton != nil { problems.append("function \(id): batchEvents cannot be combined with singleton") }
            if config.priority != nil { problems.append("function \(id): batchEvents cannot be combined with priority") }
        }
        return problems
    }
}
