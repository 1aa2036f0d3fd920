/// A run waiting for an event: a `waitForEvent` step, an `invoke` result, or a
/// cancellation rule; or for a signal (`waitForSignal`), which no event
/// resumes: only `POST /v1/signals` naming it (`SignalWaits`).
struct PauseRecord: Sendable {
    enum Kind: String, Sendable { case wait, invoke, cancel, signal }

    let id: String
    let runID: String
    let kind: Kind
    let stepID: String?
    let eventName: String
    let expression: String?
    let correlationID: String?
    /// The run's triggering event, bound to `event` when the expression is evaluated.
    let triggerEventText: String
    let expiresAt: Int64?
    /// The lookup key incoming events find this pause by (`PauseIndex`); nil: evaluated for every event of its name.
    var matchKey: PauseIndex.Key? = nil
}
