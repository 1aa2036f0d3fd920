import JSON

/// Batching, singleton, start/finish timeouts and priority: the settings that
/// decide how a run is started and how long it may take. Each runs inside the
/// caller's transaction, like the rest of `RunLifecycle`; the rules are the
/// Inngest server's, described in docs/engine.md.
extension RunLifecycle {
    enum SingletonAdmission {
        /// The function is not a singleton, or its key expression said `false` for this event.
        case none
        /// Another run holds the key and the mode is `skip`: no run.
        case skip
        /// The new run takes the key (any run holding it was cancelled in `cancel` mode).
        case hold(key: String)
    }

    // MARK: Batches

    /// Adds `event` to the open batch for its key; starts the run at once when
    /// the batch is full (or too large), otherwise the batch's timer does.
    func appendToBatch(_ function: FunctionDefinition, _ batch: FunctionDefinition.Batch, event: JSON,
                       effects: inout EngineEffects) throws {
        let key = batch.key?.flowControlKey(event) ?? ""
        let open = try store.openBatch(functionID: function.id, key: key)
        let eventText = event.serialized()
        // Appending to the stored array text keeps a growing batch linear to build.
        let eventsText = open.map { String($0.eventsText.dropLast()) + "," + eventText + "]" } ?? "[" + eventText + "]"
        let count = (open?.count ?? 0) + 1
        if count >= batch.maxSize || eventsText.utf8.count >= FunctionDefinition.maximumBatchBytes {
            if open != nil { try store.deleteBatch(functionID: function.id, key: key) }
            try startBatch(function, eventsText: eventsText, effects: &effects)
            return
        }
        let batchID = open?.batchID ?? ids.next()
        try store.saveBatch(functionID: function.id, key: key,
                            .init(batchID: batchID, eventsText: eventsText, count: count, firstAt: open?.firstAt ?? now))
        if open == nil {
            try enqueue(QueueItem(kind: .batch, dueAt: now + batch.timeoutMilliseconds,
                                  payload: ["function_id": .string(function.id), "key": .string(key), "batch_id": .string(batchID)]),
                        &effects)
        }
    }

    /// A batch's timeout: starts the run with what was collected, unless that
    /// batch already started because it filled up.
    func fireBatch(_ item: QueueItem, effects: inout EngineEffects) throws {
        guard let functionID = item.payload?["function_id"]?.stringValue, let key = item.payload?["key"]?.stringValue,
              let open = try store.openBatch(functionID: functionID, key: key),
              open.batchID == item.payload?["batch_id"]?.stringValue else { return }
        try store.deleteBatch(functionID: functionID, key: key)
        guard let function = registry.function(functionID) else { return }
        try startBatch(function, eventsText: open.eventsText, effects: &effects)
    }

    private func startBatch(_ function: FunctionDefinition, eventsText: String, effects: inout EngineEffects) throws {
        let events = (try? JSON(parsing: eventsText))?.arrayValue ?? []
        guard !events.isEmpty else { return }
        try createRun(function, events: events, startAt: now, batched: true, effects: &effects)
    }

    // MARK: Singleton

    /// Decides whether a new run of a singleton function may start, cancelling
    /// the running one in `cancel` mode.
    func admitSingleton(_ function: FunctionDefinition, event: JSON, effects: inout EngineEffects) throws -> SingletonAdmission {
        guard let singleton = function.singleton else { return .none }
        var key = ""
        if let expression = singleton.key {
            let value = expression.evaluate(event: event)
            if value == .bool(false) { return .none } // the server's rule: a false key means "not a singleton"
            key = value.stringValue ?? value.serialized()
        }
        guard let holder = try store.singletonHolder(functionID: function.id, key: key) else { return .hold(key: key) }
        switch singleton.mode {
        case .skip:
            return .skip
        case .cancel:
            try cancelRun(holder, effects: &effects)
            return .hold(key: key)
        }
    }

    // MARK: At creation

    /// Records what a new run needs for singleton, priority and timeouts. As
    /// on the server, a batch's run has no start timeout (its events already waited).
    func applyRunControl(_ function: FunctionDefinition, runID: String, event: JSON, singleton: SingletonAdmission,
                         batched: Bool, effects: inout EngineEffects) throws {
        if case .hold(let key) = singleton { try store.holdSingleton(functionID: function.id, key: key, runID: runID) }
        let factor = function.priorityFactorMilliseconds(event)
        if factor != 0 { try store.setPriorityFactor(runID, milliseconds: factor) }
        if !batched, let start = function.timeouts?.startMilliseconds {
            try enqueue(QueueItem(kind: .runTimeout, runID: runID, dueAt: now + start, payload: ["which": "start"]), &effects)
        }
    }

    // MARK: Timeouts

    /// Called before a call of a run whose function has timeouts: the first
    /// call marks the run started (and sets its finish deadline), unless the
    /// start timeout already passed, in which case the run is cancelled and
    /// false returned.
    func beginCall(_ run: RunRecord, _ function: FunctionDefinition, effects: inout EngineEffects) throws -> Bool {
        guard let timeouts = function.timeouts, try store.firstCallAt(run.id) == nil else { return true }
        if let start = timeouts.startMilliseconds, now - run.startedAt > start {
            try cancelRun(run.id, effects: &effects)
            return false
        }
        try store.setFirstCallAt(run.id, now)
        if let finish = timeouts.finishMilliseconds {
            try enqueue(QueueItem(kind: .runTimeout, runID: run.id, dueAt: now + finish, payload: ["which": "finish"]), &effects)
        }
        return true
    }

    /// A start or finish deadline passed: cancels the run if it is still
    /// running (and, for `start`, has not begun).
    func fireRunTimeout(_ item: QueueItem, effects: inout EngineEffects) throws {
        guard let runID = item.runID, let run = try store.run(runID), run.status == .running else { return }
        if item.payload?["which"]?.stringValue == "start", try store.firstCallAt(runID) != nil { return }
        try cancelRun(runID, effects: &effects)
    }
}
