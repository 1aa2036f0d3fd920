import Foundation
import JSON

/// One call of a function with `Checkpointing`: each step the call runs is
/// saved to the server (`POST /v1/checkpoint/{runId}/async`) and the body is
/// replayed at once with that step memoised, as the server's next call would
/// do, until it reaches something only the server can do (a sleep, a wait,
/// parallel steps), a step fails, the function returns, or `maxRuntime` passes.
/// docs/serve-protocol.md, "Checkpointing", says what the server does with each request.
struct CheckpointingCall: Sendable {
    let executor: CallExecutor
    let api: InngestAPIClient
    let logSink: any InngestLogSink
    /// Seconds on a monotonic clock, for `maxRuntime`.
    let elapsedClock: @Sendable () -> Double
    let unixMilliseconds: @Sendable () -> Int64

    func execute(_ function: InngestFunction, request: CallRequest, stepId: String, settings: Checkpointing) async -> CallOutcome {
        var request = request
        let started = elapsedClock()
        let limit = settings.maxRuntime?.milliseconds.map { Double($0) / 1000 }
        while true {
            let outcome = await executor.execute(function, request: request, stepId: stepId)
            // Only a discovery call that ran one step inline goes on; anything else is the server's to handle.
            guard stepId == "step" || stepId.isEmpty, !request.disableImmediateExecution,
                  case .steps(let ops, noRetry: false, retryAfter: nil) = outcome, ops.count == 1, ops[0].op == .stepRun,
                  let functionUUID = request.functionUUID, let queueItem = request.queueItemRef, !queueItem.isEmpty else {
                return outcome
            }
            // Past the time limit the step goes back in the ordinary answer and the server calls again.
            if let limit, elapsedClock() - started >= limit { return outcome }
            let reply = await api.checkpointAsync(runID: request.runId, functionUUID: functionUUID, queueItemRef: queueItem,
                                                  requestID: request.requestID, generationID: request.generationID,
                                                  steps: ops, nowMilliseconds: unixMilliseconds())
            switch reply {
            case .stored:
                request.memoise(hashedId: ops[0].id, memo: ["data": ops[0].data ?? .null])
                request.attempt = 0 // the server starts the call's attempts again after a checkpoint
            case .stale:
                return .failed(error: ["name": "StaleDispatchError",
                                       "message": "the server no longer waits for this call (checkpoint answered 409)"],
                               retriable: true, retryAfter: nil)
            case .refused(let why):
                logSink.log(.warn, "checkpoint not stored, reporting the step the usual way: \(why)",
                            fields: [("function", function.id), ("run_id", request.runId)])
                return outcome
            }
        }
    }
}
