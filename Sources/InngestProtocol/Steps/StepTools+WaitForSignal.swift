import JSON

// `step.waitForSignal`: a pause that ends when someone sends its signal (`POST /v1/signals`)
// or the timeout passes.

/// What a wait does when another run is already waiting for the same signal.
/// A signal names at most one waiting run in an environment, so one of the two has to give way.
public enum SignalConflict: String, Sendable {
    /// The run that asks second fails at once, without retries (the server's default).
    case fail
    /// The new wait takes the signal over; the run waiting before keeps waiting
    /// until its timeout, since the signal no longer reaches it.
    case replace
}

/// A signal that ended a `waitForSignal`: its name and the data its sender attached.
public struct ReceivedSignal: Sendable, Equatable {
    public let signal: String
    /// The `data` of the `POST /v1/signals` request, `null` when it had none.
    public let data: JSON

    public init(signal: String, data: JSON) {
        self.signal = signal
        self.data = data
    }

    /// `data` as `T`.
    public func decodeData<T: Decodable>(as type: T.Type) throws -> T { try data.decode(type) }
}

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
