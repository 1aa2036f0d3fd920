/// Tunables of the execution core, with defaults fit for a home server.
public struct EngineSettings: Sendable {
    /// Delay before each retry, by retry number; the last repeats. The
    /// Inngest server's own table, so retries give an outage the same grace.
    public var retryBackoffMilliseconds: [Int64] = [
        15_000, 30_000, 60_000, 120_000, 300_000, 600_000, 1_200_000, 2_400_000, 3_600_000, 7_200_000,
    ]
    /// Up to this much random delay is added to each table delay (0–30 s on the server).
    public var retryJitterMilliseconds: Int64 = 30_000
    /// When set, retries follow a doubling schedule from this delay instead of
    /// the table (with up to 50% jitter taken off): for tests and setups that
    /// want fast retries.
    public var retryBaseMilliseconds: Int64?
    /// Upper bound of a doubling-schedule delay.
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
