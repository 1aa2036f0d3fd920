import InngestProtocol
import JSON

/// Records what a worker call returned: the function's result, a failure
/// (retried or final), or the ops of a 206, each memoised, queued or turned
/// into a pause. The ops and what the engine does with each are listed in
/// docs/engine.md.
struct CallOutcomeRecorder: Sendable {
    let store: EngineStore
    let registry: FunctionRegistry
    let ids: any IDGenerator
    let runs: RunLifecycle
    let retries: RetryPolicy
    let signals: SignalWaits

    var now: Int64 { runs.now }

    /// Applies `result` for queue item `item`, inside the caller's
    /// transaction. A stale item (its run was cancelled or finished
    /// meanwhile) changes nothing.
    func record(_ item: QueueItem, _ result: CallResult) throws -> EngineEffects {
        var effects = EngineEffects()
        try store.transaction {
            // An async checkpoint during the call may have started its attempts again.
            var item = item
            if let attempt = try store.queueItemAttempt(item.id) { item.attempt = attempt }
            guard try store.deleteQueueItem(item.id), let runID = item.runID,
                  let run = try store.run(runID), run.status == .running else { return }
            if let version = result.version { try store.setRunVersion(runID, version) }
            let maxAttempts = registry.function(run.functionID)?.maxAttempts ?? 1
            let canRetry = !result.noRetry && item.attempt + 1 < maxAttempts

            switch result.outcome {
            case .completed(let output):
                try runs.finishRun(run, .completed(output), effects: &effects)
            case .failed(let error):
                if canRetry {
                    try retry(item, retryAt: result.retryAt, &effects)
                } else {
                    try runs.finishRun(run, .failed(error), effects: &effects)
                }
            case .ops(let ops):
                let meaningful = ops.filter { if case .known(let op) = $0 { op.op != .none } else { true } }
                if meaningful.isEmpty {
                    // An empty 206 would re-drive discovery forever; treat it as a failed call.
                    let error: JSON = ["name": "Error", "message": "the worker answered 206 with no ops"]
                    if canRetry { try retry(item, retryAt: result.retryAt, &effects) } else { try runs.finishRun(run, .failed(error), effects: &effects) }
                    return
                }
                var retrying = false
                for received in meaningful {
                    guard case .known(let op) = received else {
                        if case .unsupported(let code, let stepID) = received {
                            try memoiseError(runID, stepID, "op '\(code)' is not supported by the embedded engine")
                            try store.removePending(runID, stepID)
                        }
                        continue
                    }
                    switch try apply(op, run: run, item: item, canRetry: canRetry, result: result, &effects) {
                    case .finished: return
                    case .retrying: retrying = true
                    case .continue: break
                    }
                }
                if !retrying { try runs.discoverIfIdle(runID, effects: &effects) }
            }
        }
        return effects
    }

    private enum OpEffect { case `continue`, retrying, finished }

    private func apply(_ op: GeneratorOp, run: RunRecord, item: QueueItem, canRetry: Bool, result: CallResult,
                       _ effects: inout EngineEffects) throws -> OpEffect {
        let runID = run.id
        func memoise(_ memo: JSON) throws {
            try store.insertStep(runID, op.id, memo: memo.serialized())
            try store.removePending(runID, op.id)
        }
        func failStep(_ message: String) throws {
            try memoise(["error": ["name": "Error", "message": .string(message)]])
        }
        /// The step's history for the trace API: a step run in this call started when the call was due.
        func log(startedAt: Int64, ended: Bool, info: JSON? = nil) throws {
            try store.logStep(runID, op.id, name: op.displayName, op: op.op.rawValue, startedAt: startedAt,
                              endedAt: ended ? now : nil, attempts: item.attempt + 1, info: info)
        }

        switch op.op {
        case .stepRun:
            try memoise(["data": op.data ?? .null])
            try log(startedAt: item.dueAt, ended: true)
        case .step:
            try memoise(op.data ?? .null) // legacy op: stored as sent
            try log(startedAt: item.dueAt, ended: true)
        case .stepError:
            try log(startedAt: item.dueAt, ended: !canRetry, info: op.error.map { ["last_error": $0] })
            if canRetry {
                try retry(item, retryAt: result.retryAt, &effects)
                return .retrying
            }
            try memoise(["error": op.error ?? ["name": "Error", "message": "step failed"]])
        case .stepFailed:
            try memoise(["error": op.error ?? ["name": "Error", "message": "step failed"]])
            try log(startedAt: item.dueAt, ended: true)
        case .stepPlanned:
            guard try !stepIsSettled(runID, op.id) else { break }
            try store.logStep(runID, op.id, name: op.displayName, op: op.op.rawValue, startedAt: now, endedAt: nil, attempts: 0)
            try store.addPending(runID, op.id, kind: "planned")
            try runs.enqueue(QueueItem(kind: .call, runID: runID, stepID: op.id, attempt: 0, dueAt: now), &effects)
        case .sleep:
            guard try !stepIsSettled(runID, op.id) else { break }
            let text = op.opts?["duration"]?.stringValue ?? op.name
            guard let deadline = StepDeadline.resolve(text, now: now) else {
                try failStep("invalid sleep duration '\(text)'")
                try log(startedAt: now, ended: true)
                break
            }
            try log(startedAt: now, ended: false, info: ["sleep_until": .number(JSONNumber(deadline))])
            try store.addPending(runID, op.id, kind: "sleep")
            try runs.enqueue(QueueItem(kind: .sleep, runID: runID, stepID: op.id, dueAt: deadline), &effects)
        case .waitForEvent:
            guard try !stepIsSettled(runID, op.id) else { break }
            try log(startedAt: now, ended: false, info: ["event_name": .string(op.opts?["event"]?.stringValue ?? op.name),
                                                        "timeout": .string(op.opts?["timeout"]?.stringValue ?? "")])
            try waitForEvent(op, run: run, &effects)
        case .waitForSignal:
            guard try !stepIsSettled(runID, op.id) else { break }
            try log(startedAt: now, ended: false, info: ["signal": .string(op.opts?["signal"]?.stringValue ?? ""),
                                                        "timeout": .string(op.opts?["timeout"]?.stringValue ?? "")])
            if let conflict = try signals.wait(op, run: run, &effects) {
                // As on the Inngest server: the run fails at once, without retries.
                try runs.finishRun(run, .failed(conflict), effects: &effects)
                return .finished
            }
        case .invokeFunction:
            guard try !stepIsSettled(runID, op.id) else { break }
            try log(startedAt: now, ended: false, info: ["function_id": .string(op.opts?["function_id"]?.stringValue ?? "")])
            try invoke(op, run: run, &effects)
        case .runComplete:
            try runs.finishRun(run, .completed(op.data ?? .null), effects: &effects)
            return .finished
        case .none:
            break // filtered out before
        }
        return .continue
    }

    /// True when the step is already memoised or already outstanding.
    private func stepIsSettled(_ runID: String, _ stepID: String) throws -> Bool {
        try store.db.queryOne("SELECT 1 FROM steps WHERE run_id = ? AND step_id = ? UNION ALL SELECT 1 FROM pending_steps WHERE run_id = ? AND step_id = ?",
                              [.text(runID), .text(stepID), .text(runID), .text(stepID)]) != nil
    }

    /// Memoises a step as failed with `message`, so the SDK raises it in the function.
    private func memoiseError(_ runID: String, _ stepID: String, _ message: String) throws {
        let memo: JSON = ["error": ["name": "Error", "message": .string(message)]]
        try store.insertStep(runID, stepID, memo: memo.serialized())
        try store.endStep(runID, stepID, now: now)
    }

    private func retry(_ item: QueueItem, retryAt: Int64?, _ effects: inout EngineEffects) throws {
        let due = retries.retryAt(attempt: item.attempt, retryAfter: retryAt, now: now)
        try runs.enqueue(QueueItem(kind: .call, runID: item.runID, stepID: item.stepID, attempt: item.attempt + 1, dueAt: due), &effects)
    }

    private func waitForEvent(_ op: GeneratorOp, run: RunRecord, _ effects: inout EngineEffects) throws {
        let eventName = op.opts?["event"]?.stringValue ?? op.name
        guard !eventName.isEmpty else {
            try memoiseError(run.id, op.id, "waitForEvent needs an event name")
            return
        }
        var expression: Expression?
        if let text = op.opts?["if"]?.stringValue, !text.isEmpty {
            do { expression = try Expression(text) } catch {
                try memoiseError(run.id, op.id, "\(error)")
                return
            }
        }
        // As on the Inngest server, a wait without a timeout expires at once.
        let expiresAt = op.opts?["timeout"]?.stringValue.flatMap { StepDeadline.resolve($0, now: now) } ?? now
        let pauseID = ids.next()
        let trigger = (try? JSON(parsing: run.eventsText))?[0] ?? .null
        try store.addPending(run.id, op.id, kind: "wait")
        try store.insertPause(PauseRecord(id: pauseID, runID: run.id, kind: .wait, stepID: op.id, eventName: eventName,
                                          expression: expression?.source, correlationID: nil, triggerEventText: trigger.serialized(),
                                          expiresAt: expiresAt,
                                          matchKey: PauseIndex.key(expression: expression, trigger: trigger, correlationID: nil)), now: now)
        try runs.enqueue(QueueItem(kind: .waitTimeout, runID: run.id, stepID: op.id, dueAt: expiresAt,
                              payload: ["pause_id": .string(pauseID)]), &effects)
    }

    private func invoke(_ op: GeneratorOp, run: RunRecord, _ effects: inout EngineEffects) throws {
        let target = op.opts?["function_id"]?.stringValue ?? ""
        guard registry.function(target) != nil else {
            try memoiseError(run.id, op.id, "invoked function '\(target)' is not registered")
            return
        }
        let correlation = "\(run.id).\(op.id)"
        let payload = op.opts?["payload"] ?? .null
        var data = payload["data"]?.objectValue ?? JSONObject()
        data["_inngest"] = ["fn_id": .string(target), "correlation_id": .string(correlation),
                            "source_fn_id": .string(run.functionID), "source_run_id": .string(run.id)]
        let expiresAt = op.opts?["timeout"]?.stringValue.flatMap { StepDeadline.resolve($0, now: now) }
        let pauseID = ids.next()
        try store.addPending(run.id, op.id, kind: "invoke")
        try store.insertPause(PauseRecord(id: pauseID, runID: run.id, kind: .invoke, stepID: op.id,
                                          eventName: InternalEvents.functionFinished, expression: nil, correlationID: correlation,
                                          triggerEventText: "null", expiresAt: expiresAt,
                                          matchKey: PauseIndex.key(expression: nil, trigger: .null, correlationID: correlation)), now: now)
        if let expiresAt {
            try runs.enqueue(QueueItem(kind: .waitTimeout, runID: run.id, stepID: op.id, dueAt: expiresAt,
                                  payload: ["pause_id": .string(pauseID)]), &effects)
        }
        try runs.ingest(IncomingEvent(name: InternalEvents.functionInvoked, data: data,
                                 user: payload["user"]?.objectValue ?? JSONObject(),
                                 version: payload["v"]?.stringValue), effects: &effects)
    }
}
