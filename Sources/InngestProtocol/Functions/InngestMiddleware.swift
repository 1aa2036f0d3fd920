import JSON

/// Hooks around every function call, in the order they run:
/// `transformInput` → (replay) → `beforeExecution` → (new code) →
/// `afterExecution` → `transformOutput`. `beforeSendEvents` runs before any
/// event leaves the SDK (the client's `send` and `step.sendEvent`).
///
/// Every hook has a default that does nothing, so a middleware implements
/// only what it needs. Middleware run in the order they are given to `Inngest`.
public protocol InngestMiddleware: Sendable {
    /// May rewrite the triggering event(s) before the function sees them.
    func transformInput(_ input: inout MiddlewareInput) async
    /// Called once per call, when replay of memoised steps ends and new code is about to run.
    func beforeExecution(_ call: MiddlewareCall) async
    /// Called once per call, after new code (the function body or a step) has run.
    func afterExecution(_ call: MiddlewareCall) async
    /// May rewrite a step's or the function's result (or error) before it is serialised.
    func transformOutput(_ output: inout MiddlewareOutput) async
    /// May rewrite (add defaults to, filter) events before they are sent.
    func beforeSendEvents(_ events: inout [InngestEvent]) async
}

extension InngestMiddleware {
    public func transformInput(_ input: inout MiddlewareInput) async {}
    public func beforeExecution(_ call: MiddlewareCall) async {}
    public func afterExecution(_ call: MiddlewareCall) async {}
    public func transformOutput(_ output: inout MiddlewareOutput) async {}
    public func beforeSendEvents(_ events: inout [InngestEvent]) async {}
}

/// Which call a hook is about.
public struct MiddlewareCall: Sendable {
    public let functionId: String
    public let runId: String
    public let attempt: Int
}

/// The input a function is about to receive.
public struct MiddlewareInput: Sendable {
    public let call: MiddlewareCall
    public var event: InngestEvent
    public var events: [InngestEvent]
}

/// A result about to be sent back: either a step's (`stepId` set) or the function's.
public struct MiddlewareOutput: Sendable {
    public let call: MiddlewareCall
    /// The user's step id, or nil for the function's own result.
    public let stepId: String?
    /// The value, when the step or function succeeded.
    public var result: JSON? { didSet { resultWasWritten = true } }
    /// The error, when it failed: `{name, message, stack}`.
    public var error: JSON?
    /// Whether a middleware wrote `result`. Until one does, the executor
    /// sends the bytes it already serialized for the step-size check.
    var resultWasWritten = false
}
