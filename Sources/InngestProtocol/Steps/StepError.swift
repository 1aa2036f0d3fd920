import JSON

/// A step that failed for good, thrown on replay from the step call so the
/// function can catch it and carry on (or let it fail the run).
///
/// ```swift
/// do {
///     try await ctx.step.run("charge") { try await payments.charge() }
/// } catch let error as StepError {
///     ctx.logger.warn("charge failed: \(error.message)")
/// }
/// ```
/// An uncaught `StepError` fails the function without further retries (the
/// step has already used its own).
public struct StepError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The step id as written in the function (before hashing).
    public let stepId: String
    /// The error's type name as the step reported it, e.g. `"NonRetriableError"`,
    /// or `"InngestInvokeTimeoutError"` for an `invoke` that timed out.
    public let name: String
    public let message: String
    public let stack: String?
    /// The error object exactly as memoised.
    public let raw: JSON

    public init(stepId: String, name: String, message: String, stack: String? = nil, raw: JSON = .null) {
        self.stepId = stepId
        self.name = name
        self.message = message
        self.stack = stack
        self.raw = raw
    }

    /// Reads a memoised `{"error":{…}}` value for step `stepId`.
    public init(stepId: String, memoisedError error: JSON) {
        self.stepId = stepId
        self.name = error["name"]?.stringValue ?? "Error"
        self.message = error["message"]?.stringValue ?? error.stringValue ?? error.serialized()
        self.stack = error["stack"]?.stringValue
        self.raw = error
    }

    public var description: String { "step \"\(stepId)\" failed: \(name): \(message)" }
}
