import JSON

/// Async checkpointing: run a function's steps back to back within one call
/// instead of one call per step, saving each step's result to the server
/// (`POST /v1/checkpoint/{runId}/async`) before going on to the next.
///
/// Without it every `step.run` costs a round trip: the SDK answers `206` with
/// the step's result and the server calls again for the next one. With it a
/// chain of steps runs in one call while each result is still stored durably
/// before the next step starts, so a crash loses no finished step. The call
/// hands back to the server as usual at a sleep, wait, invoke or parallel
/// steps, at a step error, and after `maxRuntime`. A server without the
/// checkpoint API (or one that refuses a checkpoint) gets the ordinary `206`,
/// so nothing depends on it. docs/serve-protocol.md, "Checkpointing".
public struct Checkpointing: Sendable, Equatable {
    /// How long one call may keep running steps before handing back to the
    /// server for a fresh call; nil: no limit (the server's own call timeout still applies).
    public var maxRuntime: InngestDuration?

    public init(maxRuntime: InngestDuration? = nil) {
        self.maxRuntime = maxRuntime
    }

    /// The function config's `checkpoint` object: shown by the server's UI only (this SDK
    /// checkpoints after every step, `batch_steps: 1`).
    var json: JSON {
        var o = JSONObject()
        o["batch_steps"] = 1
        if let maxRuntime { o["max_runtime"] = .string(maxRuntime.text) }
        return .object(o)
    }
}
