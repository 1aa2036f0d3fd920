import JSON

/// What a function body receives: its input, run metadata, the step tools and a logger.
public struct FunctionContext: Sendable {
    /// The triggering event (the first one, for batches).
    public let event: InngestEvent
    /// All triggering events: one, or a batch when `batchEvents` is configured.
    public let events: [InngestEvent]
    public let runId: String
    /// Zero-based attempt of the current step (or of the function, before any step); resets after a step succeeds.
    public let attempt: Int
    /// Attempts allowed in total, when the server says so.
    public let maxAttempts: Int?
    /// The function's own id (not prefixed with the app id).
    public let functionId: String
    /// The durable step tools: `run`, `sleep`, `waitForEvent`, `waitForSignal`, `invoke`, `sendEvent`, `parallel`.
    public let step: StepTools
    /// Replay-aware logging: lines written during replay are not repeated.
    public let logger: InngestLogger

    /// In an `onFailure` handler: what failed. `nil` in ordinary functions.
    public var failure: FunctionFailure? { FunctionFailure(failedEvent: event) }
}

/// The payload of `inngest/function.failed`, as seen by an `onFailure` handler.
public struct FunctionFailure: Sendable {
    /// Composite id (`<app>-<fn>`) of the function that failed.
    public let functionId: String
    public let runId: String
    /// The error's type name, message and stack as the failed run reported them.
    public let name: String
    public let message: String
    public let stack: String?
    /// The event that had triggered the failed run.
    public let event: InngestEvent?

    init?(failedEvent: InngestEvent) {
        guard failedEvent.name == InngestFunction.failureEventName else { return nil }
        let data = failedEvent.data
        self.functionId = data["function_id"]?.stringValue ?? ""
        self.runId = data["run_id"]?.stringValue ?? ""
        let error = data["error"] ?? .null
        self.name = error["name"]?.stringValue ?? "Error"
        self.message = error["message"]?.stringValue ?? error.stringValue ?? ""
        self.stack = error["stack"]?.stringValue
        self.event = data["event"].flatMap { try? InngestEvent(json: $0) }
    }
}
