import JSON

// `step.run`: code that runs once and whose result is memoised.

extension StepTools {
    /// Runs `body` once, durably; its result is memoised and returned on every later replay.
    /// A thrown error is retried (per the function's `retries`); on the last attempt, or for
    /// a `NonRetriableError`, the step fails for good and replays throw a `StepError`.
    @discardableResult
    public func run<T: Codable & Sendable>(_ id: String, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
        let result = try await step(id, op: .stepPlanned, opts: nil, runOpts: nil) {
            try JSON(encoding: try await body())
        }
        return try decode(result, as: T.self, stepId: id)
    }

    /// Runs `body` once, durably, for its effect only.
    public func run(_ id: String, _ body: @escaping @Sendable () async throws -> Void) async throws {
        _ = try await step(id, op: .stepPlanned, opts: nil, runOpts: nil) {
            try await body()
            return .null
        }
    }
}
