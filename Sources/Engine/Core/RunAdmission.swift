import JSON

/// Flow control at the moment an event triggers a function: rate limit,
/// idempotency, debounce and throttle, in that order. Decides whether a run
/// starts, when, or whether the event is held by a debounce instead.
///
/// Keeps its state in the store (rate cells, idempotency keys, debounce rows),
/// so it must be called inside the transaction that stores the event.
struct RunAdmission: Sendable {
    /// What to do with one triggering event.
    enum Decision: Equatable {
        /// No run: the rate limit is full or the idempotency key was used.
        case dropped
        /// Held by a debounce; `timer` is the new debounce item to queue, if
        /// this event opened the debounce window (later events only move it).
        case debounced(timer: QueueItem?)
        /// Start a run at this time (later than now when throttled).
        case start(at: Int64)
    }

    let store: EngineStore
    let settings: EngineSettings

    func decide(_ function: FunctionDefinition, event: JSON, now: Int64) throws -> Decision {
        if let rate = function.rateLimit {
            let key = rate.key?.flowControlKey(event) ?? ""
            guard try slot(function.id, kind: "rate", key: key, rate, drop: true, now: now) != nil else { return .dropped }
        }
        if let idempotency = function.idempotency {
            let key = idempotency.flowControlKey(event)
            guard try store.claimIdempotencyKey(functionID: function.id, key: key, runID: event["id"]?.stringValue ?? "",
                                                now: now, ttl: settings.idempotencyMilliseconds) else { return .dropped }
        }
        if let debounce = function.debounce {
            return .debounced(timer: try hold(function, debounce, event: event, now: now))
        }
        var startAt = now
        if let throttle = function.throttle {
            startAt = try slot(function.id, kind: "throttle", key: throttle.key?.flowControlKey(event) ?? "", throttle, drop: false, now: now) ?? now
        }
        return .start(at: startAt)
    }

    /// Stores the event as the debounce's latest and moves its deadline;
    /// returns the timer item when the debounce is new.
    private func hold(_ function: FunctionDefinition, _ debounce: FunctionDefinition.Debounce, event: JSON,
                      now: Int64) throws -> QueueItem? {
        let key = debounce.key?.flowControlKey(event) ?? ""
        let existing = try store.debounce(functionID: function.id, key: key)
        let firstAt = existing?.firstAt ?? now
        var dueAt = now + debounce.periodMilliseconds
        if let timeout = debounce.timeoutMilliseconds { dueAt = min(dueAt, firstAt + timeout) }
        try store.upsertDebounce(functionID: function.id, key: key, event: event.serialized(), firstAt: firstAt, dueAt: dueAt)
        guard existing == nil else { return nil }
        return QueueItem(kind: .debounce, dueAt: dueAt, payload: ["function_id": .string(function.id), "key": .string(key)])
    }

    /// Reads and advances the stored cell for one (function, kind, key).
    private func slot(_ functionID: String, kind: String, key: String, _ rate: FunctionDefinition.RateControl,
                      drop: Bool, now: Int64) throws -> Int64? {
        let stored = try store.rateCell(functionID: functionID, kind: kind, key: key)
        guard let grant = Self.gcra(rate, theoreticalArrival: stored, now: now, drop: drop) else { return nil }
        try store.setRateCell(functionID: functionID, kind: kind, key: key, tat: grant.nextArrival)
        return grant.start
    }

    /// Generic cell rate algorithm: `limit` per `period`, plus `burst`. Given
    /// the stored theoretical arrival time, returns the start time granted and
    /// the arrival time to store, or nil when `drop` and no slot is free now.
    static func gcra(_ rate: FunctionDefinition.RateControl, theoreticalArrival stored: Int64?, now: Int64,
                     drop: Bool) -> (start: Int64, nextArrival: Int64)? {
        let interval = max(1, rate.periodMilliseconds / Int64(rate.limit))
        let tolerance = rate.periodMilliseconds - interval + Int64(rate.burst) * interval
        let tat = max(stored ?? now, now)
        let allowedAt = tat - tolerance
        if drop && allowedAt > now { return nil }
        let start = max(now, allowedAt)
        return (start, max(tat, start) + interval)
    }
}

extension Expression {
    /// A flow-control key: the expression's value for `event` as text
    /// (strings unquoted). A function without a key uses the empty key.
    func flowControlKey(_ event: JSON) -> String {
        let value = evaluate(event: event)
        if case .string(let s) = value { return s }
        return value.serialized()
    }
}
