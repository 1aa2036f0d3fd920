import Engine
import Foundation
import HTTP
import InngestProtocol
import JSON
import SQLite
import Testing
import TestSupport

/// Batching, singleton, start/finish timeouts, priority and cron jitter, each
/// through the real engine calling SDK-served functions, with the engine's
/// clock advanced by hand.
@Suite("Engine end to end: batching, singleton, timeouts, priority, cron jitter", .serialized)
struct EngineRunControlTests {
    @Test func batchesStartWhenFullOrWhenTheTimeoutEndsPerKey() async throws {
        let fn = InngestFunction(id: "batched", triggers: [.event("rc/item")],
                                 config: FunctionConfiguration(batchEvents: .init(maxSize: 3, timeout: .seconds(10), key: "event.data.user",
                                                                                  if: "event.data.urgent != true"))) { ctx -> String in
            ctx.events.map { $0.data["n"]?.stringValue ?? "?" }.joined(separator: ",")
        }
        let h = try await EngineHarness.start(functions: [fn], manualClock: true)
        let a1 = try await h.send("rc/item", ["user": "a", "n": "1"])
        let b1 = try await h.send("rc/item", ["user": "b", "n": "x"])
        try await h.send("rc/item", ["user": "a", "n": "2"])
        let a3 = try await h.send("rc/item", ["user": "a", "n": "3"])
        // Full at the third event for "a": one run with all three, in order.
        let full = try await h.finishedRuns(forEvent: a3)
        #expect(full.count == 1 && full[0]["output"] == "1,2,3")
        #expect(h.engine.runs(forEvent: a1).first?["run_id"] == full[0]["run_id"], "every event of the batch belongs to its run")
        // An event the `if` rejects is not batched: it runs alone at once.
        let urgent = try await h.send("rc/item", ["user": "b", "n": "now", "urgent": true])
        #expect(try await h.finishedRuns(forEvent: urgent)[0]["output"] == "now")
        // "b" has one event: nothing until its timeout, then a run with what arrived.
        #expect(h.engine.runs(forEvent: b1).isEmpty)
        try await h.awaitQueued("batch")
        h.clock?.advance(bySeconds: 9)
        try await h.settle()
        #expect(h.engine.runs(forEvent: b1).isEmpty)
        h.clock?.advance(bySeconds: 2)
        #expect(try await h.finishedRuns(forEvent: b1)[0]["output"] == "x")
        #expect(try h.queued("batch") == 0, "the filled batch's timer found nothing left to start")
        await h.stop()
    }

    @Test func singletonSkipDropsANewRunWhileOneRunsForTheSameKey() async throws {
        let fn = InngestFunction(id: "solo", triggers: [.event("rc/solo")],
                                 config: FunctionConfiguration(singleton: .init(key: "event.data.k", mode: .skip))) { ctx -> String in
            try await ctx.step.sleep("hold", for: .hours(1))
            return ctx.event.data["k"]?.stringValue ?? ""
        }
        let h = try await EngineHarness.start(functions: [fn], manualClock: true)
        let first = try await h.send("rc/solo", ["k": "a"])
        try await h.awaitQueued("sleep")
        let skipped = try await h.send("rc/solo", ["k": "a"])
        let other = try await h.send("rc/solo", ["k": "b"])
        try await h.awaitQueued("sleep", count: 2)
        #expect(h.engine.runs(forEvent: skipped).isEmpty)
        h.clock?.advance(bySeconds: 3_601)
        #expect(try await h.finishedRuns(forEvent: first)[0]["status"] == "Completed")
        #expect(try await h.finishedRuns(forEvent: other)[0]["status"] == "Completed")
        // The key is free again once its run ended.
        let later = try await h.send("rc/solo", ["k": "a"])
        try await waitUntil("a new run for the freed key") { h.engine.runs(forEvent: later).count == 1 }
        try await h.engine.prune()
        #expect(try h.probe().queryOne("SELECT count(*) FROM singletons")?.int(0) == 1, "pruning keeps only the running key")
        await h.stop()
    }

    @Test func singletonCancelReplacesTheRunningRun() async throws {
        let fn = InngestFunction(id: "latest", triggers: [.event("rc/latest")],
                                 config: FunctionConfiguration(singleton: .init(mode: .cancel))) { ctx -> String in
            try await ctx.step.sleep("hold", for: .hours(1))
            return ctx.event.data["v"]?.stringValue ?? ""
        }
        let h = try await EngineHarness.start(functions: [fn], manualClock: true)
        let old = try await h.send("rc/latest", ["v": "old"])
        try await h.awaitQueued("sleep")
        let new = try await h.send("rc/latest", ["v": "new"])
        #expect(try await h.finishedRuns(forEvent: old)[0]["status"] == "Cancelled")
        try await h.awaitQueued("sleep")
        h.clock?.advance(bySeconds: 3_601)
        let runs = try await h.finishedRuns(forEvent: new)
        #expect(runs[0]["status"] == "Completed" && runs[0]["output"] == "new")
        await h.stop()
    }

    @Test func aRunNotStartedWithinTheStartTimeoutIsCancelled() async throws {
        let tally = Tally()
        // Throttled to one run a minute: the second run waits in the queue past its 10 s start timeout.
        let fn = InngestFunction(id: "prompt", triggers: [.event("rc/prompt")],
                                 config: FunctionConfiguration(throttle: .init(limit: 1, period: .minutes(1)),
                                                               timeouts: .init(start: .seconds(10)))) { ctx -> String in
            tally.hit(ctx.event.data["n"]?.stringValue ?? "?")
            return "ran"
        }
        let h = try await EngineHarness.start(functions: [fn], manualClock: true)
        let first = try await h.send("rc/prompt", ["n": "1"])
        let second = try await h.send("rc/prompt", ["n": "2"])
        #expect(try await h.finishedRuns(forEvent: first)[0]["status"] == "Completed")
        h.clock?.advance(bySeconds: 11)
        #expect(try await h.finishedRuns(forEvent: second)[0]["status"] == "Cancelled")
        h.clock?.advance(bySeconds: 60)
        try await h.settle()
        #expect(tally.count("1") == 1 && tally.count("2") == 0)
        await h.stop()
    }

    @Test func aRunTimedOutWhileWaitingForAConcurrencySlotDoesNotKeepTheSlot() async throws {
        let gate = Gate()
        let fn = InngestFunction(id: "narrow", triggers: [.event("rc/narrow")],
                                 config: FunctionConfiguration(concurrency: [.init(limit: 1)], timeouts: .init(start: .seconds(5)))) { ctx -> String in
            if ctx.event.data["block"] == true { while !gate.isOpen { try await Task.sleep(nanoseconds: 2_000_000) } }
            return "ran"
        }
        let h = try await EngineHarness.start(functions: [fn], manualClock: true)
        let blocker = try await h.send("rc/narrow", ["block": true])
        try await waitUntil("the blocker's call holds the only slot") { h.engine.activity?.inFlight == 1 }
        let starved = try await h.send("rc/narrow")
        try await h.awaitParkedCalls(1) // its call waits for the slot
        h.clock?.advance(bySeconds: 6)
        #expect(try await h.finishedRuns(forEvent: starved)[0]["status"] == "Cancelled")
        gate.open()
        #expect(try await h.finishedRuns(forEvent: blocker)[0]["status"] == "Completed")
        let next = try await h.send("rc/narrow")
        #expect(try await h.finishedRuns(forEvent: next, timeout: 5)[0]["status"] == "Completed", "the slot came back")
        await h.stop()
    }

    @Test func aRunNotFinishedWithinTheFinishTimeoutIsCancelled() async throws {
        let fn = InngestFunction(id: "bounded", triggers: [.event("rc/bounded")],
                                 config: FunctionConfiguration(timeouts: .init(start: .seconds(5), finish: .seconds(30)))) { ctx -> String in
            let wait = ctx.event.data["wait"]?.intValue ?? 0
            try await ctx.step.sleep("work", for: .seconds(wait))
            return "done"
        }
        let h = try await EngineHarness.start(functions: [fn], manualClock: true)
        let quick = try await h.send("rc/bounded", ["wait": 10])
        let slow = try await h.send("rc/bounded", ["wait": 120])
        try await h.awaitQueued("sleep", count: 2)
        h.clock?.advance(bySeconds: 11)
        #expect(try await h.finishedRuns(forEvent: quick)[0]["status"] == "Completed", "started in time, finished in time")
        h.clock?.advance(bySeconds: 20)
        let runs = try await h.finishedRuns(forEvent: slow)
        #expect(runs[0]["status"] == "Cancelled")
        #expect(try h.queued("sleep") == 0, "the cancelled run's sleep is gone")
        await h.stop()
    }

    @Test func higherPriorityRunsAreCalledFirstAndNegativeOnesWait() async throws {
        let order = OrderLog()
        let fn = InngestFunction(id: "ranked", triggers: [.event("rc/ranked")],
                                 config: FunctionConfiguration(priority: .init(run: "event.data.p"))) { ctx -> String in
            order.append(ctx.event.data["name"]?.stringValue ?? "?")
            return "ok"
        }
        // One call at a time, so the order the queue hands them out is the order they run.
        let h = try await EngineHarness.start(functions: [fn], manualClock: true) { $0.settings.maxConcurrentCalls = 1 }
        let ids = try await h.engine.send([
            IncomingEvent(name: "rc/ranked", data: JSONObject([("name", "plain"), ("p", 0)])),
            IncomingEvent(name: "rc/ranked", data: JSONObject([("name", "urgent"), ("p", 120)])),
            IncomingEvent(name: "rc/ranked", data: JSONObject([("name", "later"), ("p", -60)])),
            IncomingEvent(name: "rc/ranked", data: JSONObject([("name", "soon"), ("p", 30)])),
        ])
        for id in ids.prefix(2) + ids.suffix(1) { _ = try await h.finishedRuns(forEvent: id) }
        #expect(order.entries == ["urgent", "soon", "plain"])
        #expect(h.engine.runs(forEvent: ids[2]).first?["status"] == "Running", "a negative factor delays the run")
        h.clock?.advance(bySeconds: 61)
        _ = try await h.finishedRuns(forEvent: ids[2])
        #expect(order.entries.last == "later")
        await h.stop()
    }

    @Test func priorityNeverMovesAThrottledRunBeforeItsSlot() async throws {
        let tally = Tally()
        let fn = InngestFunction(id: "paced-vip", triggers: [.event("rc/paced")],
                                 config: FunctionConfiguration(throttle: .init(limit: 1, period: .minutes(1)), priority: .init(run: "120"))) { _ -> String in
            tally.hit("run")
            return "ok"
        }
        let h = try await EngineHarness.start(functions: [fn], manualClock: true)
        let first = try await h.send("rc/paced")
        let second = try await h.send("rc/paced")
        _ = try await h.finishedRuns(forEvent: first)
        let due = try h.probe().queryOne("SELECT max(due_at) FROM queue WHERE kind = 'call'")?.int64(0) ?? 0
        #expect(due - (h.clock?.nowMilliseconds() ?? 0) >= 59_000, "the second run waits for its throttle slot")
        #expect(tally.count("run") == 1)
        h.clock?.advance(bySeconds: 60)
        _ = try await h.finishedRuns(forEvent: second)
        await h.stop()
    }

    @Test func priorityPicksWhichWaitingRunTakesAFreedConcurrencySlot() async throws {
        let order = OrderLog()
        let gate = Gate()
        let fn = InngestFunction(id: "one-at-a-time", triggers: [.event("rc/slot")],
                                 config: FunctionConfiguration(concurrency: [.init(limit: 1)],
                                                               priority: .init(run: "event.data.tier == 'enterprise' ? 120 : 0"))) { ctx -> String in
            let name = ctx.event.data["name"]?.stringValue ?? "?"
            order.append(name)
            if name == "blocker" { while !gate.isOpen { try await Task.sleep(nanoseconds: 2_000_000) } }
            return name
        }
        let h = try await EngineHarness.start(functions: [fn])
        let blocker = try await h.send("rc/slot", ["name": "blocker"])
        try await waitUntil("the blocker holds the slot") { order.entries == ["blocker"] }
        let standard = try await h.send("rc/slot", ["name": "standard"])
        let enterprise = try await h.send("rc/slot", ["name": "enterprise", "tier": "enterprise"])
        try await h.awaitParkedCalls(2) // both calls reach the full slot and wait there
        #expect(order.entries == ["blocker"])
        gate.open()
        for id in [blocker, standard, enterprise] { _ = try await h.finishedRuns(forEvent: id) }
        #expect(order.entries == ["blocker", "enterprise", "standard"], "the later, higher-priority run goes first")
        await h.stop()
    }

    @Test func cronJitterDelaysEachTickByAStableAmountWithinTheBound() async throws {
        let tally = Tally()
        let fn = InngestFunction(id: "ticker", triggers: [.event("rc/unused")]) { ctx -> String in
            tally.hit("tick")
            return ctx.event.data["fireAt"]?.stringValue ?? ""
        }
        let h = try await EngineHarness.start(functions: [fn], manualClock: true)
        // This SDK does not send cron jitter, so the cron function is synced by hand, served by the same worker.
        let url = "http://127.0.0.1:\(h.worker.port)/api/inngest?fnId=test-app-ticker&stepId=step"
        let body: JSON = ["url": .string("http://127.0.0.1:\(h.worker.port)/api/inngest"), "appName": "jitter-app", "sdk": "swift:v0", "v": "0.1",
                          "functions": [["id": "jitter-app-ticker", "name": "ticker",
                                         "triggers": [["cron": "* * * * *", "jitter": "30s"]],
                                         "steps": ["step": ["id": "step", "name": "step", "runtime": ["type": "http", "url": .string(url)]]]]]]
        let (status, reply) = try await h.api("POST", "/fn/register", body: body.serializedBytes())
        #expect(status == 200, "\(reply)")
        try await h.awaitQueued("cron")
        h.clock?.advance(bySeconds: 60) // 00:01:00, the tick: the event is stored, the run waits for its jitter
        try await h.awaitQueued("call")
        try await h.settle()
        #expect(tally.count("tick") == 0)
        h.clock?.advance(bySeconds: 30) // past any jitter up to 30 s
        try await waitUntil("the jittered run") { tally.count("tick") == 1 }
        await h.stop()
    }
}

/// The order in which function bodies ran.
final class OrderLog: @unchecked Sendable {
    private let lock = NSLock()
    private var list: [String] = []
    func append(_ entry: String) { lock.lock(); list.append(entry); lock.unlock() }
    var entries: [String] { lock.lock(); defer { lock.unlock() }; return list }
}
