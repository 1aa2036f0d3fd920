/// Thrown by a step tool to stop the function body at a step the server has not
/// memoised yet: the SDK reports that step and the server calls again later.
///
/// It is internal on purpose. User code that catches every error (`catch {}`)
/// can intercept it, but cannot change the outcome: the runtime has already
/// recorded the step, every later step call in that branch throws it again, the
/// body's own result is ignored, and a warning names the function so the
/// over-broad `catch` can be fixed.
struct StepInterruption: Error, CustomStringConvertible {
    var description: String {
        "the function stopped at a new step (an internal signal of the Inngest SDK; do not catch it)"
    }
}

/// Step tools were called inside a `step.run` closure. Steps cannot be nested;
/// the outer step fails with this error.
public struct NestedStepError: Error, Sendable, CustomStringConvertible {
    public let outerStepId: String
    public let innerStepId: String
    public var description: String {
        "step \"\(innerStepId)\" was called inside step \"\(outerStepId)\"; steps cannot be nested — run them one after the other"
    }
}

/// A memoised step result could not be decoded as the type the function asked
/// for (usually: the step's return type changed while runs were in flight).
public struct MemoDecodingError: Error, Sendable, CustomStringConvertible {
    public let stepId: String
    public let detail: String
    public var description: String { "memoised result of step \"\(stepId)\" does not decode: \(detail)" }
}
