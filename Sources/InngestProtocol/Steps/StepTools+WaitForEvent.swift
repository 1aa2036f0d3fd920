import JSON

// `step.waitForEvent`: a pause that ends when a matching event arrives or the timeout passes.

extension StepTools {
    /// Waits up to `timeout` for an event named `event`, optionally matching `condition`
    /// (CEL; `event` is this run's trigger, `async` the awaited event). Returns the
    /// event, or `nil` on timeout.
    public func waitForEvent(_ id: String, event: String, timeout: InngestDuration,
                             if condition: String? = nil) async throws -> InngestEvent? {
        var opts = JSONObject()
        opts["event"] = .string(event)
        opts["timeout"] = .string(timeout.text)
        if let condition { opts["if"] = .string(condition) }
        let result = try await step(id, op: .waitForEvent, opts: .object(opts), runOpts: nil, execute: nil)
        if result.isNull { return nil }
        do { return try InngestEvent(json: result) } catch {
            throw MemoDecodingError(stepId: id, detail: "expected an event or null: \(error)")
        }
    }

    /// Waits for an event whose `field` equals this run's trigger's:
    /// `match: "data.userId"` means `event.data.userId == async.data.userId`.
    public func waitForEvent(_ id: String, event: String, timeout: InngestDuration,
                             match field: String) async throws -> InngestEvent? {
        try await waitForEvent(id, event: event, timeout: timeout, if: "event.\(field) == async.\(field)")
    }
}
