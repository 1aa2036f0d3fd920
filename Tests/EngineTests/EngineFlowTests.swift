import Engine
import Foundation
import InngestProtocol
import JSON
import Testing
import TestSupport

@Suite("Engine end to end: waits, invoke, cancel, concurrency, cron", .serialized)
struct EngineFlowTests {
    static func approval(_ tally: Tally) -> InngestFunction {
        InngestFunction(id: "approval", triggers: [.event("test/request")]) { ctx -> String in
            let reply = try await ctx.step.waitForEvent("await-reply", event: "test/reply", timeout: .hours(1),
                                                        if: "async.data.id == event.data.id && async.data.ok == true")
            tally.hit(reply == nil ? "timeout" : "matched")
            return reply?.data["note"]?.stringValue ?? "timed out"
        }
    }

    @Test func waitForEventResumesOnlyOnAMatchingEvent() async throws {
        let tally = Tally()
        let h = try await EngineHarness.start(functions: [Self.approval(tally)], manualClock: true)
        let id = try await h.send("test/request", ["id": "r1"])
        try await h.awaitQueued("wait_timeout")
        try await h.send("test/reply", ["id": "other", "ok": true, "note": "wrong id"])
        try await h.send("test/reply", ["id": "r1", "ok": false, "note": "not ok"])
        try await h.send("test/reply", ["id": "r1", "ok": true, "note": "approved"])
        let runs = try await h.finishedRuns(forEvent: id)
        #expect(runs[0]["output"] == "approved")
        #expect(tally.count("matched") == 1 && tally.count("timeout") == 0)
        await h.stop()
    }

    @Test func waitForEventTimesOutWithNull() async throws {
        let tally = Tally()
        let h = try await EngineHarness.start(functions: [Self.approval(tally)], manualClock: true)
        let id = try await h.send("test/request", ["id": "r2"])
        try await h.awaitQueued("wait_timeout")
        h.clock?.advance(bySeconds: 3601)
        let runs = try await h.finishedRuns(forEvent: id)
        #expect(runs[0]["output"] == "timed out")
        #expect(tally.count("timeout") == 1)
        // A reply after the timeout changes nothing.
        try await h.send("test/reply", ["id": "r2", "ok": true])
        #expect(tally.count("matched") == 0)
        await h.stop()
    }

    @Test func invokeReturnsTheChildResult() async throws {
        let child = InngestFunction(id: "square", triggers: [.event("test/unused")]) { ctx -> Int in
            let n = ctx.event.data["n"]?.intValue ?? 0
            return try await ctx.step.run("multiply") { n * n }
        }
        let parent = InngestFunction(id: "parent", triggers: [.event("test/parent")]) { ctx -> Int in
            let squared: Int = try await ctx.step.invoke("call-square", function: child, data: ["n": 7] as [String: Int])
            return squared + 1
        }
        let h = try await EngineHarness.start(functions: [child, parent])
        let id = try await h.send("test/parent")
        let runs = try await h.finishedRuns(forEvent: id)
        #expect(runs[0]["status"] == "Completed")
        #expect(runs[0]["output"]?.intValue == 50)
        await h.stop()
    }

    @Test func invokeOfAFailingChildRaisesInTheParent() async throws {
        let child = InngestFunction(id: "grumpy", triggers: [.event("test/unused2")], config: FunctionConfiguration(retries: 0)) { _ -> Int in
            throw NonRetriableError("child refuses")
        }
        let parent = InngestFunction(id: "hopeful", triggers: [.event("test/hopeful")], config: FunctionConfiguration(retries: 0)) { ctx -> String in
            do {
                let _: Int = try await ctx.step.invoke("call-grumpy", function: child, data: [String: Int]())
                return "unexpected success"
            } catch {
                return "caught: \(error)"
            }
        }
        let h = try await EngineHarness.start(functions: [child, parent])
        let id = try await h.send("test/hopeful")
        let runs = try await h.finishedRuns(forEvent: id)
        #expect(runs[0]["output"]?.stringValue?.contains("child refuses") == true)
        await h.stop()
    }

    @Test func cancelOnStopsTheRunAtItsNextStep() async throws {
        let tally = Tally()
        let fn = InngestFunction(id: "cancellable", triggers: [.event("test/job")],
                                 config: FunctionConfiguration(cancelOn: [.init(event: "test/job.cancel", match: "data.job")])) { ctx -> String in
            try await ctx.step.run("start") { tally.hit("start") }
            try await ctx.step.sleep("long", for: .days(1))
            try await ctx.step.run("finish") { tally.hit("finish") }
            return "done"
        }
        let h = try await EngineHarness.start(functions: [fn], manualClock: true)
        let keep = try await h.send("test/job", ["job": "keep"])
        let drop = try await h.send("test/job", ["job": "drop"])
        try await waitUntil("both started") { tally.count("start") == 2 }
        try await h.awaitQueued("sleep", count: 2)
        try await h.send("test/job.cancel", ["job": "drop"])
        let dropped = try await h.finishedRuns(forEvent: drop)
        #expect(dropped[0]["status"] == "Cancelled")
        h.clock?.advance(bySeconds: 86_400)
        let kept = try await h.finishedRuns(forEvent: keep)
        #expect(kept[0]["status"] == "Completed")
        #expect(tally.count("finish") == 1)
        await h.stop()
    }

    @Test func concurrencyLimitCapsSimultaneousSteps() async throws {
        let gauge = Gauge()
        let fn = InngestFunction(id: "narrow", triggers: [.event("test/narrow")],
                                 config: FunctionConfiguration(concurrency: [.init(limit: 2)])) { ctx -> String in
            try await ctx.step.run("work") {
                gauge.enter()
                try await Task.sleep(nanoseconds: 40_000_000)
                gauge.leave()
            }
            return "ok"
        }
        let h = try await EngineHarness.start(functions: [fn])
        var ids: [String] = []
        for i in 0..<6 { ids.append(try await h.send("test/narrow", ["i": .number(JSONNumber(i))])) }
        for id in ids { _ = try await h.finishedRuns(forEvent: id) }
        #expect(gauge.peak == 2)
        #expect(gauge.total == 6)
        await h.stop()
    }

    @Test func keyedConcurrencyLimitsEachKeySeparately() async throws {
        let gauges = [Gauge(), Gauge()]
        let all = Gauge()
        let fn = InngestFunction(id: "per-user", triggers: [.event("test/per-user")],
                                 config: FunctionConfiguration(concurrency: [.init(limit: 1, key: "event.data.user")])) { ctx -> String in
            let user = ctx.event.data["user"]?.intValue ?? 0
            try await ctx.step.run("work") {
                gauges[user].enter(); all.enter()
                try await Task.sleep(nanoseconds: 100_000_000)
                gauges[user].leave(); all.leave()
            }
            return "ok"
        }
        let h = try await EngineHarness.start(functions: [fn])
        var ids: [String] = []
        for i in 0..<6 { ids.append(try await h.send("test/per-user", ["user": .number(JSONNumber(i % 2))])) }
        for id in ids { _ = try await h.finishedRuns(forEvent: id) }
        #expect(gauges.map(\.peak) == [1, 1]) // one at a time per user...
        #expect(all.peak == 2)                 // ...but the two users in parallel
        await h.stop()
    }

    @Test func cronFiresOnTheInjectedClockWithTheTimerPayload() async throws {
        let tally = Tally()
        let fn = InngestFunction(id: "ticker", triggers: [.cron("*/5 * * * *")]) { ctx -> String in
            tally.hit("tick")
            return ctx.event.data["cron"]?.stringValue ?? "?"
        }
        let h = try await EngineHarness.start(functions: [fn], manualClock: true)
        try await h.settle()
        #expect(tally.count("tick") == 0)
        h.clock?.advance(bySeconds: 5 * 60)
        try await waitUntil("first tick") { tally.count("tick") == 1 }
        h.clock?.advance(bySeconds: 5 * 60)
        try await waitUntil("second tick") { tally.count("tick") == 2 }
        // A long outage yields one catch-up tick, not one per missed slot.
        h.clock?.advance(bySeconds: 3 * 3600)
        try await waitUntil("catch-up tick") { tally.count("tick") == 3 }
        try await h.settle()
        #expect(tally.count("tick") == 3)
        await h.stop()
    }
}

/// Counts how many bodies are inside a section at once.
final class Gauge: @unchecked Sendable {
    private let lock = NSLock()
    private var current = 0
    private(set) var peak = 0
    private(set) var total = 0
    func enter() { lock.lock(); current += 1; total += 1; peak = max(peak, current); lock.unlock() }
    func leave() { lock.lock(); current -= 1; lock.unlock() }
}
