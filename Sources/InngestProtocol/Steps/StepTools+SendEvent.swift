import JSON

// `step.sendEvent`: events sent once, however often the function replays.

extension StepTools {
    /// Sends events durably (once, however often the function replays) and returns their ids.
    @discardableResult
    public func sendEvent(_ id: String, _ events: [InngestEvent]) async throws -> [String] {
        let hooks = runtime.hooks
        let result = try await step(id, op: .stepPlanned, opts: ["type": "step.sendEvent"],
                                    runOpts: ["type": "step.sendEvent"]) {
            let ids = try await hooks.sendEvents(events)
            return ["ids": .array(ids.map { .string($0) })]
        }
        guard let ids = result["ids"]?.arrayValue?.compactMap(\.stringValue) else {
            throw MemoDecodingError(stepId: id, detail: "expected {\"ids\":[…]}, found \(result.serialized())")
        }
        return ids
    }

    /// Sends one or more events durably and returns their ids.
    @discardableResult
    public func sendEvent(_ id: String, _ events: InngestEvent...) async throws -> [String] {
        try await sendEvent(id, events)
    }
}
