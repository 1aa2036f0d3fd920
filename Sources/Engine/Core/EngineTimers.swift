import Foundation
import InngestProtocol
import JSON

/// Fires due timer items (a sleep's end, a wait's or invocation's timeout, a
/// cron tick, a debounce's end) and keeps the durable cron items in step with
/// the registered cron triggers.
struct EngineTimers: Sendable {
    let store: EngineStore
    let registry: FunctionRegistry
    let ids: any IDGenerator
    let runs: RunLifecycle

    var now: Int64 { runs.now }

    /// Fires `item`, inside the caller's transaction; an item already fired
    /// (deleted meanwhile) changes nothing.
    func fire(_ item: QueueItem) throws -> EngineEffects {
        var effects = EngineEffects()
        try store.transaction {
            guard try store.deleteQueueItem(item.id) else { return }
            switch item.kind {
            case .sleep:
                if let runID = item.runID, let stepID = item.stepID {
                    try runs.resolveStep(runID, stepID, memo: "null", effects: &effects)
                }
            case .waitTimeout:
                guard let pauseID = item.payload?["pause_id"]?.stringValue, let pause = try store.pause(pauseID),
                      try store.deletePause(pauseID), let stepID = pause.stepID else { return }
                let memo: JSON = pause.kind == .invoke
                    ? ["error": ["name": "InngestInvokeTimeoutError", "message": "Timed out waiting for invoked function to complete"]]
                    : .null
                try runs.resolveStep(pause.runID, stepID, memo: memo.serialized(), effects: &effects)
            case .cron:
                try fireCron(item, &effects)
            case .debounce:
                try fireDebounce(item, &effects)
            case .batch:
                try runs.fireBatch(item, effects: &effects)
            case .runTimeout:
                try runs.fireRunTimeout(item, effects: &effects)
            case .call:
                break
            }
        }
        return effects
    }

    /// Cron rule for ticks missed while the engine was down: the overdue item
    /// fires once, stamped with the most recent missed tick, and the next tick
    /// is computed from now — a week of downtime yields one run, not hundreds.
    private func fireCron(_ item: QueueItem, _ effects: inout EngineEffects) throws {
        guard let functionID = item.payload?["function_id"]?.stringValue,
              let cronText = item.payload?["cron"]?.stringValue,
              let function = registry.function(functionID),
              let schedule = function.cronTriggers.first(where: { $0.source == cronText }) else { return }
        let scheduledAt = schedule.latestTick(from: item.dueAt, notAfter: now)
        let stamp = InngestTime.rfc3339(milliseconds: scheduledAt)
        // With `jitter`, the run starts a stable pseudo-random 1 s…jitter after the tick.
        let jitter = function.cronJitter[cronText].map { Self.cronJitter(seed: "\(functionID)|\(cronText)|\(scheduledAt)", upTo: $0) }
        let fireAt = jitter.map { scheduledAt + $0 } ?? now
        let event = IncomingEvent(name: InternalEvents.scheduledTimer,
                                  data: JSONObject([("cron", .string(cronText)), ("fireAt", .string(InngestTime.rfc3339(milliseconds: fireAt))),
                                                    ("scheduledAt", .string(stamp))]),
                                  ts: jitter == nil ? scheduledAt : fireAt, clientID: "\(functionID)|\(cronText)|\(stamp)")
        let id = ids.next()
        let body = event.body(id: id, now: now)
        try store.insertEvent(id: id, clientID: event.clientID, name: event.name, body: body.serialized(),
                              ts: jitter == nil ? scheduledAt : fireAt, receivedAt: now)
        try runs.trigger(function, event: body, notBefore: jitter == nil ? nil : fireAt, effects: &effects)
        if let next = schedule.next(afterMilliseconds: max(now, scheduledAt)) {
            try runs.enqueue(QueueItem(kind: .cron, dueAt: next, payload: item.payload), &effects)
        }
    }

    /// A jitter in 1 s…`maximum` derived from `seed` (FNV-1a), so one tick
    /// always gets the same delay, even when fired again after a crash.
    static func cronJitter(seed: String, upTo maximum: Int64) -> Int64 {
        let minimum = FunctionDefinition.cronJitterBounds.lowerBound
        guard maximum > minimum else { return minimum }
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in seed.utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        return minimum + Int64(hash % UInt64(maximum - minimum))
    }

    private func fireDebounce(_ item: QueueItem, _ effects: inout EngineEffects) throws {
        guard let functionID = item.payload?["function_id"]?.stringValue, let key = item.payload?["key"]?.stringValue,
              let pending = try store.debounce(functionID: functionID, key: key) else { return }
        if pending.dueAt > now {
            // Extended by a later event: wait again.
            try runs.enqueue(QueueItem(kind: .debounce, dueAt: pending.dueAt, payload: item.payload), &effects)
            return
        }
        try store.deleteDebounce(functionID: functionID, key: key)
        guard let function = registry.function(functionID), let event = try? JSON(parsing: pending.event) else { return }
        // Flow control already ran when the events arrived (throttle applies at trigger time only).
        try runs.createRun(function, events: [event], startAt: now, effects: &effects)
    }

    /// Makes the durable cron items match the registered cron triggers:
    /// adds an item for each new (function, cron) pair, drops stale ones.
    func syncCronItems(_ effects: inout EngineEffects) throws {
        var wanted: [String: (String, CronSchedule)] = [:]
        for function in registry.all {
            for schedule in function.cronTriggers { wanted["\(function.id)|\(schedule.source)"] = (function.id, schedule) }
        }
        for item in try store.queueItems(kind: .cron) {
            let key = "\(item.payload?["function_id"]?.stringValue ?? "")|\(item.payload?["cron"]?.stringValue ?? "")"
            if wanted.removeValue(forKey: key) == nil { _ = try store.deleteQueueItem(item.id) }
        }
        for (_, (functionID, schedule)) in wanted.sorted(by: { $0.key < $1.key }) {
            guard let next = schedule.next(afterMilliseconds: now) else { continue }
            try runs.enqueue(QueueItem(kind: .cron, dueAt: next,
                                  payload: ["function_id": .string(functionID), "cron": .string(schedule.source)]), &effects)
        }
    }
}
