import JSON

/// Everything about a function besides its id, name, triggers and body: retries,
/// flow control, cancellation, timeouts and the failure handler.
///
/// Every field is optional; the server's defaults apply to what is left out,
/// except `retries`, which is always sent explicitly (the server's own default
/// differs from the documented one).
///
/// ```swift
/// config: .init(retries: 2,
///               concurrency: [.init(limit: 1, key: "event.data.loopId")],
///               throttle: .init(limit: 4, period: "60s"),
///               cancelOn: [.init(event: "agent/loop.cancelled", match: "data.loopId")],
///               onFailure: { ctx in ctx.logger.error("failed: \(ctx.failure?.message ?? "")") })
/// ```
public struct FunctionConfiguration: Sendable {
    /// How many times a failing step or function is *retried* (so `retries: 2`
    /// means up to three attempts). `nil` sends the SDK default of 3.
    public var retries: Int?
    /// Concurrency limits; several may apply at once (e.g. a global and a per-key limit).
    public var concurrency: [Concurrency]
    public var throttle: Throttle?
    public var rateLimit: RateLimit?
    public var debounce: Debounce?
    public var batchEvents: BatchEvents?
    public var priority: Priority?
    /// A CEL expression over `event`; runs with the same value within 24 h are started once.
    public var idempotency: String?
    /// Events that cancel a running function (at most five).
    public var cancelOn: [CancelOn]
    public var timeouts: Timeouts?
    public var singleton: Singleton?
    /// Steps run back to back in one call, each saved to the server first (`Checkpointing`).
    public var checkpointing: Checkpointing?
    /// Runs after the function has failed for good (all retries used, or a
    /// non-retriable error). Registered as the extra function `<id>-failure`,
    /// triggered by `inngest/function.failed` for this function only. Inside it,
    /// `ctx.failure` describes the failure and `ctx.failure?.event` the event that started the failed run.
    public var onFailure: (@Sendable (FunctionContext) async throws -> Void)?

    /// The retry count sent when `retries` is not set (the value js and py default to).
    public static let defaultRetries = 3

    public init(retries: Int? = nil,
                concurrency: [Concurrency] = [],
                throttle: Throttle? = nil,
                rateLimit: RateLimit? = nil,
                debounce: Debounce? = nil,
                batchEvents: BatchEvents? = nil,
                priority: Priority? = nil,
                idempotency: String? = nil,
                cancelOn: [CancelOn] = [],
                timeouts: Timeouts? = nil,
                singleton: Singleton? = nil,
                checkpointing: Checkpointing? = nil,
                onFailure: (@Sendable (FunctionContext) async throws -> Void)? = nil) {
        self.retries = retries
        self.concurrency = concurrency
        self.throttle = throttle
        self.rateLimit = rateLimit
        self.debounce = debounce
        self.batchEvents = batchEvents
        self.priority = priority
        self.idempotency = idempotency
        self.cancelOn = cancelOn
        self.timeouts = timeouts
        self.singleton = singleton
        self.checkpointing = checkpointing
        self.onFailure = onFailure
    }
}
