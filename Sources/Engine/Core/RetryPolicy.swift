/// When a failed worker call is tried again.
///
/// Exponential backoff from `retryBaseMilliseconds`, capped at
/// `retryMaxMilliseconds`, with jitter (a random 50–100 % of the delay) so
/// runs that failed together do not retry together. A `Retry-After` from the
/// worker wins, clamped between now and `retryAfterMaxMilliseconds` ahead.
struct RetryPolicy: Sendable {
    let settings: EngineSettings
    /// A factor in 0.5...1.0; random in production, fixed in tests.
    let jitter: @Sendable () -> Double

    init(settings: EngineSettings, jitter: @escaping @Sendable () -> Double = { Double.random(in: 0.5...1.0) }) {
        self.settings = settings
        self.jitter = jitter
    }

    /// Delay before retry `attempt` (0-based count of failures so far).
    func backoff(attempt: Int) -> Int64 {
        let exponent = min(max(attempt, 0), 30)
        let raw = min(settings.retryBaseMilliseconds.multipliedReportingOverflow(by: 1 << exponent).partialValue,
                      settings.retryMaxMilliseconds)
        return max(0, Int64(Double(raw) * jitter()))
    }

    /// When to retry after failed attempt `attempt`, given the worker's `Retry-After` (Unix ms) if any.
    func retryAt(attempt: Int, retryAfter: Int64?, now: Int64) -> Int64 {
        guard let retryAfter else { return now + backoff(attempt: attempt) }
        return min(max(retryAfter, now), now + settings.retryAfterMaxMilliseconds)
    }
}
