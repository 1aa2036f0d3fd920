import Engine
import Foundation
import HTTP
import InngestProtocol
import JSON
import Testing
import TestSupport

@Suite("Engine end to end: timers, Retry-After, restarts", .serialized)
struct EngineTimerTests {
    @Test func retryAfterIsHonouredInsteadOfTheBackoff() async throws {
        let tally = Tally()
        let fn = InngestFunction(id: "patient", triggers: [.event("tm/patient")], config: FunctionConfiguration(retries: 2)) { ctx -> String in
            try await ctx.step.run("rate-limited") { () -> String in
                tally.hit("try")
                if tally.count("try") == 1 { throw RetryAfterError("upstream says wait", after: .seconds(120)) }
                return "through"
            }
        }
        let h = try await EngineHarness.start(functions: [fn], manualClock: true)
        let id = try await h.send("tm/patient")
        try await waitUntil("first attempt") { tally.count("try") == 1 }
        try await waitUntil("retry scheduled") { try h.queuedRetries(attempt: 1) == 1 }
        h.clock?.advance(bySeconds: 60) // the 10 ms test backoff has long passed, Retry-After has not
        try await h.settle()
        #expect(tally.count("try") == 1)
        h.clock?.advance(bySeconds: 61)
        let runs = try await h.finishedRuns(forEvent: id)
        #expect(runs[0]["output"] == "through")
        #expect(tally.count("try") == 2)
        await h.stop()
    }

    @Test func invokeTimesOutWithAnError() async throws {
        let child = InngestFunction(id: "dawdler", triggers: [.event("tm/unused")]) { ctx -> String in
            try await ctx.step.sleep("dawdle", for: .hours(5))
            return "too late"
        }
        let parent = InngestFunction(id: "impatient", triggers: [.event("tm/impatient")], config: FunctionConfiguration(retries: 0)) { ctx -> String in
            do {
                let _: String = try await ctx.step.invoke("call", function: child, data: [String: Int](), timeout: .hours(1))
                return "unexpected"
            } catch {
                return "gave up: \(error)"
            }
        }
        let h = try await EngineHarness.start(functions: [child, parent], manualClock: true)
        let id = try await h.send("tm/impatient")
        try await h.awaitQueued("wait_timeout")
        try await h.awaitQueued("sleep")
        h.clock?.advance(bySeconds: 3_601)
        let runs = try await h.finishedRuns(forEvent: id)
        #expect(runs[0]["output"]?.stringValue?.contains("Timed out waiting for invoked function") == true, "\(runs)")
        await h.stop()
    }

    @Test func sleepsAndCronSurviveAnEngineRestart() async throws {
        let tally = Tally()
        let napper = InngestFunction(id: "napper", triggers: [.event("tm/nap")]) { ctx -> String in
            try await ctx.step.run("before") { tally.hit("before") }
            try await ctx.step.sleep("nap", for: .hours(8))
            try await ctx.step.run("after") { tally.hit("after") }
            return "woke"
        }
        let daily = InngestFunction(id: "daily", triggers: [.cron("0 6 * * *")]) { _ -> String in
            tally.hit("cron")
            return "morning"
        }
        let h = try await EngineHarness.start(functions: [napper, daily], manualClock: true)
        let id = try await h.send("tm/nap")
        try await h.awaitQueued("sleep")
        await h.engine.stop()

        // A new engine on the same database, 9 hours later: the sleep is over and 06:00 has passed.
        let clock = ManualClock(startMilliseconds: (h.clock?.nowMilliseconds() ?? 0) + 9 * 3_600_000)
        var config = h.engine.configuration
        config.port = 0
        config.clock = clock
        let restarted = EmbeddedEngine(configuration: config, client: h.client)
        try restarted.start()
        try await waitUntil("the slept run and the catch-up tick") {
            restarted.runs(forEvent: id).first?["status"] == "Completed" && tally.count("cron") >= 1
        }
        #expect(restarted.runs(forEvent: id).first?["output"] == "woke")
        #expect(tally.count("before") == 1 && tally.count("after") == 1)
        #expect(tally.count("cron") == 1) // one catch-up tick, not one per missed slot
        await restarted.stop()
        await h.stop()
    }
}
