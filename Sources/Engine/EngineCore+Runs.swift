import JSON

extension EngineCore {
    /// Memoises a step's result and, when the run has no other outstanding
    /// ops, queues the next discovery call. Inside a transaction.
    func resolveStep(_ runID: String, _ stepID: String, memo: String, effects: inout EngineEffects) throws {
        guard let run = try store.run(runID), run.status == .running else { return }
        try store.insertStep(runID, stepID, memo: memo)
        try store.removePending(runID, stepID)
        try discoverIfIdle(runID, effects: &effects)
    }

    func discoverIfIdle(_ runID: String, effects: inout EngineEffects) throws {
        if try store.pendingCount(runID) == 0 {
            try enqueue(QueueItem(kind: .call, runID: runID, stepID: discoveryStepID, attempt: 0, dueAt: now), &effects)
        }
    }

    enum RunResult {
        case completed(JSON)
        case failed(JSON)
        case cancelled
    }

    /// Ends a run: records the result, drops its outstanding work and emits
    /// `inngest/function.finished` (+ `.failed` / `.cancelled`), which may
    /// resume an invoking parent or start onFailure handlers.
    func finishRun(_ run: RunRecord, _ result: RunResult, effects: inout EngineEffects) throws {
        let status: RunRecord.Status
        var output: JSON?
        var error: JSON?
        switch result {
        case .completed(let value): status = .completed; output = value
        case .failed(let e): status = .failed; error = e
        case .cancelled:
            status = .cancelled
            error = ["error": "function cancelled", "message": "function cancelled", "name": "Error"]
        }
        try store.finishRun(run.id, status: status, output: output?.serialized(), error: error?.serialized(), now: now)
        effects.finishedRuns.append(run.id)

        let events = ((try? JSON(parsing: run.eventsText))?.arrayValue) ?? []
        guard let first = events.first else { return }
        let firstName = first["name"]?.stringValue ?? ""
        // Finishing a handler of a finish/failure event emits nothing, so handlers never chain.
        if firstName == InternalEvents.functionFinished || firstName == InternalEvents.functionFailed { return }

        var data: [(key: String, value: JSON)] = [
            ("function_id", .string(run.functionID)), ("run_id", .string(run.id)),
            ("event", first), ("events", .array(events)),
        ]
        if let error { data.append(("error", error)) }
        if let output { data.append(("result", output)) }
        if let correlation = run.correlationID { data.append(("correlation_id", .string(correlation))) }
        data.append(("_inngest", ["status": .string(status.rawValue)]))
        let payload = JSONObject(data)
        try ingest(IncomingEvent(name: InternalEvents.functionFinished, data: payload), effects: &effects)
        switch status {
        case .failed: try ingest(IncomingEvent(name: InternalEvents.functionFailed, data: payload), effects: &effects)
        case .cancelled: try ingest(IncomingEvent(name: InternalEvents.functionCancelled, data: payload), effects: &effects)
        default: break
        }
    }

    func cancelRun(_ runID: String, effects: inout EngineEffects) throws {
        guard let run = try store.run(runID), run.status == .running else { return }
        try finishRun(run, .cancelled, effects: &effects)
    }

    /// Public cancellation (API): returns false when the run is unknown or already finished.
    func cancel(runID: String) async throws -> (Bool, EngineEffects) {
        try await store.write {
            var effects = EngineEffects()
            guard let run = try self.store.run(runID), run.status == .running else { return (false, effects) }
            try self.finishRun(run, .cancelled, effects: &effects)
            return (true, effects)
        }
    }

    /// Delay before retry `attempt` (0-based count of failures so far).
    func backoff(attempt: Int) -> Int64 {
        let exponent = min(attempt, 30)
        let raw = min(settings.retryBaseMilliseconds.multipliedReportingOverflow(by: 1 << exponent).partialValue,
                      settings.retryMaxMilliseconds)
        let jitter = Double.random(in: 0.5...1.0)
        return max(0, Int64(Double(raw) * jitter))
    }
}
