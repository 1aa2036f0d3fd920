import JSON

// `step.invoke`: another function run as a step, its result returned here.

extension StepTools {
    /// Runs another function (by composite id `<appId>-<fnId>`) with `data` as its
    /// event data and returns its result. Throws a `StepError` if it fails, or
    /// with name `InngestInvokeTimeoutError` if it does not finish within `timeout`.
    public func invoke<Result: Decodable & Sendable, Payload: Encodable & Sendable>(
        _ id: String, functionId: String, data: Payload, timeout: InngestDuration? = nil
    ) async throws -> Result {
        var opts = JSONObject()
        opts["function_id"] = .string(functionId)
        opts["payload"] = ["data": try JSON(encoding: data)]
        if let timeout { opts["timeout"] = .string(timeout.text) }
        let result = try await step(id, op: .invokeFunction, opts: .object(opts), runOpts: nil, execute: nil)
        return try decode(result, as: Result.self, stepId: id)
    }

    /// Runs another function of this app and returns its result.
    public func invoke<Result: Decodable & Sendable, Payload: Encodable & Sendable>(
        _ id: String, function: InngestFunction, data: Payload, timeout: InngestDuration? = nil
    ) async throws -> Result {
        try await invoke(id, functionId: function.compositeId(appId: runtime.appId), data: data, timeout: timeout)
    }

    /// Runs another function of this app with empty event data and returns its result.
    public func invoke<Result: Decodable & Sendable>(
        _ id: String, function: InngestFunction, timeout: InngestDuration? = nil
    ) async throws -> Result {
        try await invoke(id, functionId: function.compositeId(appId: runtime.appId), data: JSON.object(JSONObject()), timeout: timeout)
    }
}
