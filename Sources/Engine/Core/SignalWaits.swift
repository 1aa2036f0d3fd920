import InngestProtocol
import JSON

/// `step.waitForSignal` on the embedded engine: a pause keyed by the signal's
/// name, ended by `POST /v1/signals` naming it or by its timeout.
///
/// The rules are the Inngest server's: a signal name belongs to at most one
/// waiting run in the environment; a second wait for a name already taken
/// fails its run at once and without retries (`conflict: "fail"`, the default),
/// or takes the name over (`"replace"`), leaving the earlier run to wait
/// until its own timeout. A resumed step's memo is
/// `{"data": {"signal": name, "data": sent data}}`; a timed-out one's is
/// `null`. docs/engine.md lists this with the other ops.
struct SignalWaits: Sendable {
    let store: EngineStore
    let ids: any IDGenerator
    let runs: RunLifecycle

    var now: Int64 { runs.now }

    /// The `event_name` of signal pauses: signal pauses are only ever looked up
    /// by signal, and event matching skips them by kind.
    static let pauseEventName = "inngest/signal.wait"
    /// The error a conflicting wait fails its run with (the server's words).
    static let conflictError: JSON = ["name": "Error", "message": "Signal conflict; signal wait already exists for another run"]
    /// With no timeout the server waits a year.
    static let defaultTimeoutMilliseconds: Int64 = 365 * 24 * 3_600_000

    /// Starts the wait for `op`, inside the caller's transaction. Returns the
    /// error to fail the run with when the signal is taken and `conflict` is
    /// not `"replace"`; nil otherwise (waiting, or the step memoised as failed
    /// because its options are unusable).
    func wait(_ op: GeneratorOp, run: RunRecord, _ effects: inout EngineEffects) throws -> JSON? {
        let signal = op.opts?["signal"]?.stringValue ?? ""
        guard !signal.isEmpty else {
            try failStep(run.id, op.id, "waitForSignal needs a signal name")
            return nil
        }
        let timeoutText = op.opts?["timeout"]?.stringValue ?? ""
        let expiresAt: Int64
        if timeoutText.isEmpty {
            expiresAt = now + Self.defaultTimeoutMilliseconds
        } else if let deadline = StepDeadline.resolve(timeoutText, now: now) {
            expiresAt = deadline
        } else {
            try failStep(run.id, op.id, "invalid waitForSignal timeout '\(timeoutText.prefix(80))'")
            return nil
        }
        if let holder = try store.signalPause(signal) {
            guard op.opts?["conflict"]?.stringValue == "replace" else {
                try store.insertStep(run.id, op.id, memo: (["error": Self.conflictError] as JSON).serialized())
                try store.endStep(run.id, op.id, now: now)
                return Self.conflictError
            }
            try store.detachSignal(pauseID: holder.id)
        }
        let pauseID = ids.next()
        try store.addPending(run.id, op.id, kind: "signal")
        try store.insertPause(PauseRecord(id: pauseID, runID: run.id, kind: .signal, stepID: op.id, eventName: Self.pauseEventName,
                                          expression: nil, correlationID: signal, triggerEventText: "null", expiresAt: expiresAt,
                                          matchKey: PauseIndex.Key(path: EngineStore.signalMatchPath, value: signal)), now: now)
        try runs.enqueue(QueueItem(kind: .waitTimeout, runID: run.id, stepID: op.id, dueAt: expiresAt,
                                   payload: ["pause_id": .string(pauseID)]), &effects)
        return nil
    }

    /// Ends the wait for `signal` with `data`, inside the caller's
    /// transaction; returns the resumed run's id, or nil when no unexpired
    /// wait holds the name (the API's 404).
    func resume(signal: String, data: JSON, _ effects: inout EngineEffects) throws -> String? {
        guard let pause = try store.signalPause(signal), let stepID = pause.stepID else { return nil }
        // An expired wait is its timeout's to end (it may not have fired yet, e.g. after downtime).
        if let expires = pause.expiresAt, expires <= now { return nil }
        guard try store.deletePause(pause.id), let run = try store.run(pause.runID), run.status == .running else { return nil }
        let memo: JSON = ["data": ["signal": .string(signal), "data": data]]
        try runs.resolveStep(pause.runID, stepID, memo: memo.serialized(), effects: &effects)
        return pause.runID
    }

    private func failStep(_ runID: String, _ stepID: String, _ message: String) throws {
        let memo: JSON = ["error": ["name": "Error", "message": .string(message)]]
        try store.insertStep(runID, stepID, memo: memo.serialized())
        try store.endStep(runID, stepID, now: now)
    }
}
