import InngestProtocol

/// Feeds the SDK's call hooks into `FunctionMetrics`: each call's new code is
/// one step's duration; a function-level result ends the run.
public struct FunctionMetricsMiddleware: InngestMiddleware {
    let recorder: FunctionMetrics

    public init(recorder: FunctionMetrics) { self.recorder = recorder }

    public func beforeExecution(_ call: MiddlewareCall) async {
        recorder.callStarted(function: call.functionId, runId: call.runId)
    }

    public func afterExecution(_ call: MiddlewareCall) async {
        recorder.callFinished(function: call.functionId, runId: call.runId)
    }

    public func transformOutput(_ output: inout MiddlewareOutput) async {
        guard output.stepId == nil else { return }
        recorder.runFinished(function: output.call.functionId, runId: output.call.runId,
                             outcome: output.error == nil ? .completed : .errored)
    }
}
