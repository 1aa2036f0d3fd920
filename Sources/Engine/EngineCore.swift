import Foundation
import JSON

/// The engine's state machine: events in, runs created, step results
/// memoised, timers fired, runs finished.
///
/// Every public entry point runs inside one SQLite transaction and returns the
/// effects (new queue items) for the scheduler to act on after commit. No
/// network I/O happens here; the executor makes worker calls and feeds their
/// outcome back through `applyCallOutcome`.
final class EngineCore: @unchecked Sendable {
    let store: EngineStore
    let registry: FunctionRegistry
    let clock: any EngineClock
    let ids: any IDGenerator
    let settings: EngineSettings
    private let cacheLock = NSLock()
    private var expressionCache: [String: Expression] = [:]

    init(store: EngineStore, registry: FunctionRegistry, clock: any EngineClock, ids: any IDGenerator, settings: EngineSettings) {
        self.store = store
        self.registry = registry
        self.clock = clock
        self.ids = ids
        self.settings = settings
    }

    var now: Int64 { clock.nowMilliseconds() }

    // MARK: Events

    /// Stores validated events and everything they cause, atomically; returns their ids.
    func acceptEvents(_ events: [IncomingEvent]) async throws -> (ids: [String], effects: EngineEffects) {
        try await store.write {
            var effects = EngineEffects()
            let ids = try events.map { try self.ingest($0, effects: &effects) }
            return (ids, effects)
        }
    }

    /// Stores one event, resumes or cancels the runs waiting for it, and starts
    /// the runs it triggers. Must be called inside a transaction.
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
                try scheduleRun(function, event: event, effects: &effects)
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
            if matched { try scheduleRun(function, event: event, effects: &effects) }
        }
        return id
    }

    private func resumePauses(for event: JSON, name: String, effects: inout EngineEffects) throws {
        for pause in try store.pauses(forEvent: name) {
            if let expires = pause.expiresAt, expires <= now { continue }
            let matches: Bool
            if let correlation = pause.correlationID {
                matches = event["data"]?["correlation_id"]?.stringValue == correlation
            } else if let text = pause.expression {
                guard let expression = cachedExpression(text) else { continue }
                let trigger = (try? JSON(parsing: pause.triggerEventText)) ?? .null
                matches = expression.matches(event: trigger, async: event)
            } else {
                matches = true
            }
            guard matches, try store.deletePause(pause.id) else { continue }
            switch pause.kind {
            case .cancel:
                try cancelRun(pause.runID, effects: &effects)
            case .wait:
                try resolveStep(pause.runID, pause.stepID ?? "", memo: event.serialized(), effects: &effects)
            case .invoke:
                let data = event["data"] ?? .null
                let memo: JSON = if let error = data["error"], !error.isNull { ["error": error] } else { ["data": data["result"] ?? .null] }
                try resolveStep(pause.runID, pause.stepID ?? "", memo: memo.serialized(), effects: &effects)
            }
        }
    }

    func cachedExpression(_ text: String) -> Expression? {
        cacheLock.withLock {
            if let e = expressionCache[text] { return e }
            guard let e = try? Expression(text) else { return nil }
            if expressionCache.count > 10_000 { expressionCache.removeAll() }
            expressionCache[text] = e
            return e
        }
    }

    // MARK: Starting runs

    /// Applies the function's flow control (rate limit, idempotency, debounce,
    /// throttle) and creates the run, or not.
    func scheduleRun(_ function: FunctionDefinition, event: JSON, effects: inout EngineEffects) throws {
        if let rate = function.rateLimit {
            let key = keyText(rate.key, event)
            guard try gcraSlot(function.id, kind: "rate", key: key, rate, drop: true) != nil else { return }
        }
        if let idempotency = function.idempotency {
            let key = keyText(idempotency, event)
            guard try store.claimIdempotencyKey(functionID: function.id, key: key, runID: event["id"]?.stringValue ?? "",
                                                now: now, ttl: settings.idempotencyMilliseconds) else { return }
        }
        if let debounce = function.debounce {
            try debounceRun(function, debounce, event: event, effects: &effects)
            return
        }
        var startAt = now
        if let throttle = function.throttle {
            startAt = try gcraSlot(function.id, kind: "throttle", key: keyText(throttle.key, event), throttle, drop: false) ?? now
        }
        try createRun(function, events: [event], startAt: startAt, effects: &effects)
    }

    /// Inserts the run, its cancellation watches and its first call.
    @discardableResult
    func createRun(_ function: FunctionDefinition, events: [JSON], startAt: Int64, effects: inout EngineEffects) throws -> String {
        let runID = ids.next()
        let first = events.first ?? .null
        let concurrency: [JSON] = function.concurrency.map { limit in
            let value = limit.key.map { keyText($0, first) } ?? ""
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
                                              expiresAt: rule.timeoutMilliseconds.map { now + $0 }), now: now)
        }
        try enqueue(QueueItem(kind: .call, runID: runID, stepID: discoveryStepID, attempt: 0, dueAt: startAt), &effects)
        return runID
    }

    private func debounceRun(_ function: FunctionDefinition, _ debounce: FunctionDefinition.Debounce, event: JSON,
                             effects: inout EngineEffects) throws {
        let key = keyText(debounce.key, event)
        let existing = try store.debounce(functionID: function.id, key: key)
        let firstAt = existing?.firstAt ?? now
        var dueAt = now + debounce.periodMilliseconds
        if let timeout = debounce.timeoutMilliseconds { dueAt = min(dueAt, firstAt + timeout) }
        try store.upsertDebounce(functionID: function.id, key: key, event: event.serialized(), firstAt: firstAt, dueAt: dueAt)
        if existing == nil {
            try enqueue(QueueItem(kind: .debounce, dueAt: dueAt, payload: ["function_id": .string(function.id), "key": .string(key)]), &effects)
        }
    }

    /// Generic cell rate algorithm: `limit` per `period`, plus `burst`. Returns
    /// the start time granted, or nil when `drop` and no slot is free now.
    private func gcraSlot(_ functionID: String, kind: String, key: String, _ rate: FunctionDefinition.RateControl, drop: Bool) throws -> Int64? {
        let interval = max(1, rate.periodMilliseconds / Int64(rate.limit))
        let tolerance = rate.periodMilliseconds - interval + Int64(rate.burst) * interval
        let tat = max(try store.rateCell(functionID: functionID, kind: kind, key: key) ?? now, now)
        let allowedAt = tat - tolerance
        if drop && allowedAt > now { return nil }
        let start = max(now, allowedAt)
        try store.setRateCell(functionID: functionID, kind: kind, key: key, tat: max(tat, start) + interval)
        return start
    }

    /// A flow-control key: the expression's value as text (strings unquoted).
    func keyText(_ expression: Expression?, _ event: JSON) -> String {
        guard let expression else { return "" }
        let value = expression.evaluate(event: event)
        if case .string(let s) = value { return s }
        return value.serialized()
    }

    func enqueue(_ item: QueueItem, _ effects: inout EngineEffects) throws {
        effects.newItems.append(try store.insertQueueItem(item))
    }
}
