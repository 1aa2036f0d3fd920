/// Tunables of the execution core, with defaults fit for a home server.
public struct EngineSettings: Sendable {
    /// First retry delay; doubled per attempt, with up to 50% jitter taken off.
    public var retryBaseMilliseconds: Int64 = 1_000
    /// Upper bound of a computed retry delay.
    public var retryMaxMilliseconds: Int64 = 10 * 60_000
    /// Upper bound honoured for a worker's `Retry-After`.
    public var retryAfterMaxMilliseconds: Int64 = 24 * 3_600_000
    /// How long an event's own `id` de-duplicates later events with the same id.
    public var eventDeduplicationMilliseconds: Int64 = 24 * 3_600_000
    /// How long an idempotency key suppresses new runs.
    public var idempotencyMilliseconds: Int64 = 24 * 3_600_000
    /// Seconds before a worker call is abandoned (and retried).
    public var callTimeoutSeconds: Double = 300
    /// Calls above this size go out with `use_api: true` and no steps/events.
    public var maxCallBodyBytes = 4 * 1024 * 1024
    /// How many worker calls may be in flight at once across all runs.
    public var maxConcurrentCalls = 256

    public init() {}
}
