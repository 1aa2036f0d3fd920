import JSON

// `step.waitForSignal`: a pause that ends when someone sends its signal (`POST /v1/signals`)
// or the timeout passes; `step.sendSignal`: sending one durably from a function.

extension StepTools {
    /// Waits up to `timeout` for the signal named `signal` (a string unique in the
    /// environment, e.g. `"approval-\(orderId)"`), sent with `Inngest.sendSignal`
    /// or any client of `POST /v1/signals`. Returns the signal, or `nil` on timeout.
    ///
    /// Unlike `waitForEvent`, one signal resumes exactly one run; `onConflict`
    /// says what happens when another run already waits for the same name.
    public func waitForSignal(_ id: String, signal: String, timeout: InngestDuration,
                              onConflict: SignalConflict = .fail) async throws -> ReceivedSignal? {
        var opts = JSONObject()
        opts["signal"] = .string(signal)
        opts["timeout"] = .string(timeout.text)
        opts["conflict"] = .string(onConflict.rawValue)
        let result = try await step(id, op: .waitForSignal, opts: .object(opts), runOpts: nil, execute: nil)
        if result.isNull { return nil }
        guard let name = result["signal"]?.stringValue else {
            throw MemoDecodingError(stepId: id, detail: "expected {\"signal\", \"data\"} or null")
        }
        return ReceivedSignal(signal: name, data: result["data"] ?? .null)
    }
}

extension StepTools {
    /// Sends `signal` with `data` durably (once, however often the function
    /// replays) and returns the id of the run it resumed, or nil when no run
    /// was waiting for it. Outside a function, use `Inngest.sendSignal`.
    @discardableResult
    public func sendSignal(_ id: String, signal: String, data: JSON = .null) async throws -> String? {
        let hooks = runtime.hooks
        let result = try await step(id, op: .stepPlanned, opts: ["type": "step.sendSignal"],
                                    runOpts: ["type": "step.sendSignal"]) {
            let runID = try await hooks.sendSignal(signal, data)
            return ["run_id": runID.map { .string($0) } ?? .null]
        }
        guard case .object(let fields) = result, let runID = fields["run_id"] else {
            throw MemoDecodingError(stepId: id, detail: "expected {\"run_id\": …}, found \(result.serialized())")
        }
        return runID.stringValue
    }
}
