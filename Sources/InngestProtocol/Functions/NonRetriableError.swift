/// Throw this (from a step or the function body) to fail without further retries.
///
/// In a step it becomes a final `StepError` (with `X-Inngest-No-Retry: true`); from the function body, a `400`
/// with `X-Inngest-No-Retry: true`. Any other error is retried.
public struct NonRetriableError: Error, Sendable, CustomStringConvertible {
    public let message: String
    /// The error that caused this one, if any; its description is kept in the serialised error.
    public let cause: String?

    public init(_ message: String, cause: (any Error)? = nil) {
        self.message = message
        self.cause = cause.map { String(describing: $0) }
    }

    public var description: String { message }
}
