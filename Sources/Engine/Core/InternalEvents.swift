/// Names of the events the engine itself emits.
enum InternalEvents {
    static let functionFinished = "inngest/function.finished"
    static let functionFailed = "inngest/function.failed"
    static let functionCancelled = "inngest/function.cancelled"
    static let functionInvoked = "inngest/function.invoked"
    static let scheduledTimer = "inngest/scheduled.timer"
}
