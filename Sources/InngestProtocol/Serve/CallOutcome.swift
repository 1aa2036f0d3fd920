import JSON

/// The result of one call, before it becomes an HTTP response.
public enum CallOutcome: Sendable, Equatable {
    /// The function returned: `200` with its result.
    case completed(JSON)
    /// Steps to report: `206` with the ops. `noRetry`/`retryAfter` become headers.
    case steps([GeneratorOp], noRetry: Bool, retryAfter: String?)
    /// The function threw: `500` (retriable) or `400` (not), with `{name, message, stack}`.
    case failed(error: JSON, retriable: Bool, retryAfter: String?)
    /// A targeted step was not reached by this replay: retriable `500` (never an empty `206`).
    case stepNotFound(requested: String, found: [String])
}
