/// When a failed worker call is tried again.
///
/// By default the Inngest server's schedule: a fixed table of delays by
/// retry number (15 s, 30 s, 1 min, 2 min, 5 min, 10 min, 20 min, 40 min,
/// 1 h, then 2 h for every later retry), each plus a random 0–30 s so runs
/// that failed together do not retry together. A function that rides out a
/// short outage by retrying gets the same grace here as on the server.
/// Setting `retryBaseMilliseconds` replaces the table with a doubling
/// schedule (capped at `retryMaxMilliseconds`, 50–100 % jittered), which is
/// how tests keep retries fast.
///
/// A `Retry-After` from the worker wins, clamped, like the server, to between
/// 1 s and `retryAfterMaxMilliseconds` ahead.
struct RetryPolicy: Sendable {
    let settings: EngineSettings
    /// A number in 0..<1; random in production, fixed in tests.
    let random: @Sendable () -> Double

    /// The soonest a `Retry-After` can bring a retry.
    static let minimumRetryAfterMilliseconds: Int64 = 1_000

    init(settings: EngineSettings, random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) }) {
        self.settings = settings
        self.random = random
    }

    /// Delay before the retry that follows failed attempt `attempt` (0-based).
    func backoff(attempt: Int) -> Int64 {
        let attempt = max(attempt, 0)
        if let base = settings.retryBaseMilliseconds {
            let exponent = min(attempt, 30)
            let raw = min(base.multipliedReportingOverflow(by: 1 << exponent).partialValue, settings.retryMaxMilliseconds)
            return max(0, Int64(Double(raw) * (0.5 + random() / 2)))
        }
        let table = settings.retryBackoffMilliseconds
        guard let last = table.last else { return 0 }
        let delay = attempt < table.count ? table[attempt] : last
        let jitter = Int64(Double(max(0, settings.retryJitterMilliseconds)) * min(max(random(), 0), 1))
        return max(0, delay) + jitter
    }

    /// When to retry after failed attempt `attempt`, given the worker's `Retry-After` (Unix ms) if any.
    func retryAt(attempt: Int, retryAfter: Int64?, now: Int64) -> Int64 {
        guard let retryAfter else { return now + backoff(attempt: attempt) }
        return min(max(retryAfter, now + Self.minimumRetryAfterMilliseconds), now + settings.retryAfterMaxMilliseconds)
    }
}
