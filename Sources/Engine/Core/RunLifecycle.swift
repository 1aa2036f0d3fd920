import JSON

/// Runs from start to finish: events in, runs created, steps memoised,
/// discovery calls queued, runs finished or cancelled.
///
/// Every method runs inside the caller's SQLite transaction and collects the
/// queue items it creates in `effects`, for the scheduler to pick up after
/// commit. Finishing a run emits `inngest/function.finished` (and `.failed`
/// or `.cancelled`), which goes through `ingest` like any event: that is how
/// an invoking parent resumes and how `onFailure` handlers start. The run
/// states and the tables behind them are described in docs/engine.md.
struct RunLifecycle: Sendable {
    let store: EngineStore
    let registry: FunctionRegistry
    let clock: any EngineClock
    let ids: any IDGenerator
    let settings: EngineSettings
    let admission: RunAdmission
    let pauses: PauseMatcher

    var now: Int64 { clock.nowMilliseconds() }

    // MARK: Events

    /// Stores one event, resumes or cancels the runs waiting for it, and starts
    /// the runs it triggers; returns its id.
    @discardableResult
    func ingest(_ incoming: IncomingEvent, effects: inout EngineEffects) throws -> String {
        let id = ids.next()
        let event = incoming.body(id: id, now: now)
        let name = incoming.name
        try store.insertEvent(id: id, clientID: incoming.clientID, name: name, body: event.serialized(),
                              ts: event["ts"]?.numberValue.map { Int64($0.doubleValue) } ?? now, receivedAt: now)

        try resumePauses(for: event, name: name, effects: &effects)

        if name == InternalEvents.functionInvoked {
            // An invocation names its function directly, whatever its triggers.
            if let target = event["data"]?["_inngest"]?["fn_id"]?.stringValue, let function = registry.function(target) {
                try trigger(function, event: event, effects: &effects)
            }
            return id
        }
        if let clientID = incoming.clientID,
           try store.clientIDSeen(clientID, since: now - settings.eventDeduplicationMilliseconds, excluding: id) {
            return id // a duplicate of an event already handled: stored, triggers nothing
        }
        for function in registry.functions(triggeredBy: name) {
            let matched = function.eventTriggers.contains { trigger in
                (trigger.name == name || (trigger.name.hasSuffix("*") && name.hasPrefix(String(trigger.name.dropLast()))))
                    && (trigger.expression?.matches(event: event) ?? true)
            }
            if matched { try trigger(function, event: event, effects: &effects) }
        }
        return id
    }

    private func resumePauses(for event: JSON, name: String, effects: inout EngineEffects) throws {
        for pause in try store.candidatePauses(for: event, name: name) where pause.kind != .signal {
            guard pauses.resumes(pause, with: event, now: now), try store.deletePause(pause.id) else { continue }
            switch pause.kind {
            case .cancel:
                try cancelRun(pause.runID, effects: &effects)
            case .wait:
                try resolveStep(pause.runID, pause.stepID ?? "", memo: event.serialized(), effects: &effects)
            case .signal:
                continue // never reached: signals are not events
            case .invoke:
                let data = event["data"] ?? .null
                let memo: JSON = if let error = data["error"], !error.isNull { ["error": error] } else { ["data": data["result"] ?? .null] }
                try resolveStep(pause.runID, pause.stepID ?? "", memo: memo.serialized(), effects: &effects)
            }
        }
    }

    // MARK: Starting runs

    /// An event triggered `function`: batching collects it, or flow control
    /// decides whether and when a run starts (not before `notBefore`, if given).
    func trigger(_ function: FunctionDefinition, event: JSON, notBefore: Int64? = nil, effects: inout EngineEffects) throws {
        if let batch = function.batch, batch.condition?.matches(event: event) ?? true {
            try appendToBatch(function, batch, event: event, effects: &effects)
            return
        }
        switch try admission.decide(function, event: event, now: now) {
        case .dropped:
            break
        case .debounced(let timer):
            if let timer { try enqueue(timer, &effects) }
        case .start(let startAt):
            try createRun(function, events: [event], startAt: max(startAt, notBefore ?? startAt), effects: &effects)
        }
    }

    /// Inserts the run, its cancellation watches, timeouts and first call;
    /// nil when a singleton in `skip` mode is already running.
    @discardableResult
    func createRun(_ function: FunctionDefinition, events: [JSON], startAt: Int64, batched: Bool = false,
                   effects: inout EngineEffects) throws -> String? {
        let first = events.first ?? .null
        let singleton = try admitSingleton(function, event: first, effects: &effects)
        if case .skip = singleton { return nil }
        let runID = ids.next()
        let concurrency: [JSON] = function.concurrency.map { limit in
            let value = limit.key?.flowControlKey(first) ?? ""
            let scope = limit.scope == .function ? "f:\(function.id)" : "e:\(limit.key?.source ?? "")"
            return [.string("\(scope):\(value)"), .number(JSONNumber(limit.limit))]
        }
        let correlation = first["data"]?["_inngest"]?["correlation_id"]?.stringValue
        try store.insertRun(id: runID, functionID: function.id, eventID: first["id"]?.stringValue ?? "",
                            eventIDs: events.compactMap { $0["id"]?.stringValue },
                            eventsText: JSON.array(events).serialized(), concurrencyText: JSON.array(concurrency).serialized(),
                            correlationID: correlation, now: now)
        let firstText = first.serialized()
        for rule in function.cancel {
            try store.insertPause(PauseRecord(id: ids.next(), runID: runID, kind: .cancel, stepID: nil, eventName: rule.event,
                                              expression: rule.condition?.source, correlationID: nil, triggerEventText: firstText,
                                              expiresAt: rule.timeoutMilliseconds.map { now + $0 },
                                              matchKey: PauseIndex.key(expression: rule.condition, trigger: first, correlationID: nil)),
                                  now: now)
        }
        try applyRunControl(function, runID: runID, event: first, singleton: singleton, batched: batched, effects: &effects)
        try enqueue(QueueItem(kind: .call, runID: runID, stepID: discoveryStepID, attempt: 0, dueAt: startAt), &effects)
        return runID
    }

    // MARK: Steps

    /// Memoises a step's result and, when the run has no other outstanding
    /// ops, queues the next discovery call.
    func resolveStep(_ runID: String, _ stepID: String, memo: String, effects: inout EngineEffects) throws {
        guard let run = try store.run(runID), run.status == .running else { return }
        try store.insertStep(runID, stepID, memo: memo)
        try store.removePending(runID, stepID)
        try store.endStep(runID, stepID, now: now)
        try discoverIfIdle(runID, effects: &effects)
    }

    /// Queues a discovery call when nothing of the run is outstanding.
    func discoverIfIdle(_ runID: String, effects: inout EngineEffects) throws {
        if try store.pendingCount(runID) == 0 {
            try enqueue(QueueItem(kind: .call, runID: runID, stepID: discoveryStepID, attempt: 0, dueAt: now), &effects)
        }
    }

    // MARK: Finishing runs

    enum RunResult {
        case completed(JSON)
        case failed(JSON)
        case cancelled
    }

    /// Ends a run: records the result and emits `inngest/function.finished`
    /// (+ `.failed` / `.cancelled`).
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

    /// Cancels a running run; returns false when it is unknown or already finished.
    @discardableResult
    func cancelRun(_ runID: String, effects: inout EngineEffects) throws -> Bool {
        guard let run = try store.run(runID), run.status == .running else { return false }
        try finishRun(run, .cancelled, effects: &effects)
        return true
    }

    /// Stores a queue item and hands it to the scheduler after commit. A
    /// first-attempt call of a run with a priority factor is moved by that
    /// factor, as the Inngest queue does: a positive one puts a call that is
    /// due now ahead of others (never a throttled call before its slot), a
    /// negative one delays it. Retries and timers keep their time.
    func enqueue(_ item: QueueItem, _ effects: inout EngineEffects) throws {
        var item = item
        if item.kind == .call, item.attempt == 0, let runID = item.runID, registry.usesPriority {
            let factor = try store.priorityFactor(runID)
            if factor < 0 || item.dueAt <= now { item.dueAt -= factor }
        }
        effects.newItems.append(try store.insertQueueItem(item))
    }
}
