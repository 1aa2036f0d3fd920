import InngestProtocol
import Ops

/// Feeds the SDK's call hooks into `FunctionMetrics`: each call's new code is
/// one step's duration; a function-level result ends the run.
struct FunctionMetricsMiddleware: InngestMiddleware {
    let recorder: FunctionMetrics

    func beforeExecution(_ call: MiddlewareCall) async {
        recorder.callStarted(function: call.functionId, runId: call.runId)
    }

    func afterExecution(_ call: MiddlewareCall) async {
        recorder.callFinished(function: call.functionId, runId: call.runId)
    }

    func transformOutput(_ output: inout MiddlewareOutput) async {
        guard output.stepId == nil else { return }
        recorder.runFinished(function: output.call.functionId, runId: output.call.runId,
                             outcome: output.error == nil ? .completed : .errored)
    }
}

extension WorkerServices {
    /// The SDK middleware that records step and run metrics into `metrics`.
    func functionMetricsMiddleware() -> FunctionMetricsMiddleware {
        FunctionMetricsMiddleware(recorder: FunctionMetrics(metrics: metrics))
    }
}
