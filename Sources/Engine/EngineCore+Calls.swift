import JSON

extension EngineCore {
    /// Records what a worker call returned, in one transaction. A stale item
    /// (its run was cancelled or finished meanwhile) changes nothing.
    func applyCallOutcome(_ item: QueueItem, _ result: CallResult) async throws -> EngineEffects {
        try await store.write { try self.applyCallOutcomeNow(item, result) }
    }

    private func applyCallOutcomeNow(_ item: QueueItem, _ result: CallResult) throws -> EngineEffects {
        var effects = EngineEffects()
        try store.transaction {
            guard try store.deleteQueueItem(item.id), let runID = item.runID,
                  let run = try store.run(runID), run.status == .running else { return }
            if let version = result.version { try store.setRunVersion(runID, version) }
            let maxAttempts = registry.function(run.functionID)?.maxAttempts ?? 1
            let canRetry = !result.noRetry && item.attempt + 1 < maxAttempts

            switch result.outcome {
            case .completed(let output):
                try finishRun(run, .completed(output), effects: &effects)
            case .failed(let error):
                if canRetry {
                    try retry(item, retryAt: result.retryAt, &effects)
                } else {
                    try finishRun(run, .failed(error), effects: &effects)
                }
            case .ops(let ops):
                let meaningful = ops.filter { $0.code != "none" }
                if meaningful.isEmpty {
                    // An empty 206 would re-drive discovery forever; treat it as a failed call.
                    let error: JSON = ["name": "Error", "message": "the worker answered 206 with no ops"]
                    if canRetry { try retry(item, retryAt: result.retryAt, &effects) } else { try finishRun(run, .failed(error), effects: &effects) }
                    return
                }
                var retrying = false
                for op in meaningful {
                    switch try apply(op, run: run, item: item, canRetry: canRetry, result: result, &effects) {
                    case .finished: return
                    case .retrying: retrying = true
                    case .continue: break
                    }
                }
                if !retrying { try discoverIfIdle(runID, effects: &effects) }
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

        switch op.code {
        case "steprun":
            try memoise(["data": op.data ?? .null])
        case "step":
            try memoise(op.data ?? .null) // legacy op: stored as sent
        case "steperror":
            if canRetry {
                try retry(item, retryAt: result.retryAt, &effects)
                return .retrying
            }
            try memoise(["error": op.error ?? ["name": "Error", "message": "step failed"]])
        case "stepfailed":
            try memoise(["error": op.error ?? ["name": "Error", "message": "step failed"]])
        case "stepplanned":
            guard try !stepIsSettled(runID, op.id) else { break }
            try store.addPending(runID, op.id, kind: "planned")
            try enqueue(QueueItem(kind: .call, runID: runID, stepID: op.id, attempt: 0, dueAt: now), &effects)
        case "sleep":
            guard try !stepIsSettled(runID, op.id) else { break }
            let text = op.opts?["duration"]?.stringValue ?? op.name ?? ""
            guard let deadline = DurationText.deadline(text, now: now) else {
                try failStep("invalid sleep duration '\(text)'")
                break
            }
            try store.addPending(runID, op.id, kind: "sleep")
            try enqueue(QueueItem(kind: .sleep, runID: runID, stepID: op.id, dueAt: deadline), &effects)
        case "waitforevent":
            guard try !stepIsSettled(runID, op.id) else { break }
            try waitForEvent(op, run: run, &effects)
        case "invokefunction":
            guard try !stepIsSettled(runID, op.id) else { break }
            try invoke(op, run: run, &effects)
        case "runcomplete":
            try finishRun(run, .completed(op.data ?? .null), effects: &effects)
            return .finished
        default:
            try failStep("op '\(op.op)' is not supported by the embedded engine")
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
    }

    private func retry(_ item: QueueItem, retryAt: Int64?, _ effects: inout EngineEffects) throws {
        var due = now + backoff(attempt: item.attempt)
        if let retryAt { due = min(max(retryAt, now), now + settings.retryAfterMaxMilliseconds) }
        try enqueue(QueueItem(kind: .call, runID: item.runID, stepID: item.stepID, attempt: item.attempt + 1, dueAt: due), &effects)
    }

    private func waitForEvent(_ op: GeneratorOp, run: RunRecord, _ effects: inout EngineEffects) throws {
        guard let eventName = op.opts?["event"]?.stringValue ?? op.name, !eventName.isEmpty else {
            try memoiseError(run.id, op.id, "waitForEvent needs an event name")
            return
        }
        var expression: String?
        if let text = op.opts?["if"]?.stringValue, !text.isEmpty {
            do { expression = try Expression(text).source } catch {
                try memoiseError(run.id, op.id, "\(error)")
                return
            }
        }
        // As on the Inngest server, a wait without a timeout expires at once.
        let expiresAt = op.opts?["timeout"]?.stringValue.flatMap { DurationText.deadline($0, now: now) } ?? now
        let pauseID = ids.next()
        let trigger = (try? JSON(parsing: run.eventsText))?[0] ?? .null
        try store.addPending(run.id, op.id, kind: "wait")
        try store.insertPause(PauseRecord(id: pauseID, runID: run.id, kind: .wait, stepID: op.id, eventName: eventName,
                                          expression: expression, correlationID: nil, triggerEventText: trigger.serialized(),
                                          expiresAt: expiresAt), now: now)
        try enqueue(QueueItem(kind: .waitTimeout, runID: run.id, stepID: op.id, dueAt: expiresAt,
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
        let expiresAt = op.opts?["timeout"]?.stringValue.flatMap { DurationText.deadline($0, now: now) }
        let pauseID = ids.next()
        try store.addPending(run.id, op.id, kind: "invoke")
        try store.insertPause(PauseRecord(id: pauseID, runID: run.id, kind: .invoke, stepID: op.id,
                                          eventName: InternalEvents.functionFinished, expression: nil, correlationID: correlation,
                                          triggerEventText: "null", expiresAt: expiresAt), now: now)
        if let expiresAt {
            try enqueue(QueueItem(kind: .waitTimeout, runID: run.id, stepID: op.id, dueAt: expiresAt,
                                  payload: ["pause_id": .string(pauseID)]), &effects)
        }
        try ingest(IncomingEvent(name: InternalEvents.functionInvoked, data: data,
                                 user: payload["user"]?.objectValue ?? JSONObject(),
                                 version: payload["v"]?.stringValue), effects: &effects)
    }
}
