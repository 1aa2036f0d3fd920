import Engine
import Foundation
import InngestProtocol
import JSON
import Testing
import TestSupport

@Suite("Engine end to end: step kinds", .serialized)
struct EngineStepKindTests {
    @Test func threeStepFunctionRunsEachStepOnceAndStoresOutput() async throws {
        let tally = Tally()
        let fn = InngestFunction(id: "three", triggers: [.event("test/three")]) { ctx -> [String: String] in
            let a: String = try await ctx.step.run("a") { tally.hit("a"); return "A" }
            let b: String = try await ctx.step.run("b") { tally.hit("b"); return a + "B" }
            let c: String = try await ctx.step.run("c") { tally.hit("c"); return b + "C" }
            return ["result": c, "user": ctx.event.data["user"]?.stringValue ?? ""]
        }
        let h = try await EngineHarness.start(functions: [fn])
        defer { Task { await h.stop() } }
        let id = try await h.send("test/three", ["user": "u1"])
        let runs = try await h.finishedRuns(forEvent: id)
        #expect(runs.count == 1)
        #expect(runs[0]["status"] == "Completed")
        #expect(runs[0]["function_id"] == "test-app-three")
        #expect(runs[0]["output"]?["result"] == "ABC")
        #expect(runs[0]["output"]?["user"] == "u1")
        #expect(["a", "b", "c"].map(tally.count) == [1, 1, 1])
        await h.stop()
    }

    @Test func failingStepIsRetriedUntilItSucceeds() async throws {
        let tally = Tally()
        let fn = InngestFunction(id: "flaky", triggers: [.event("test/flaky")], config: FunctionConfiguration(retries: 3)) { ctx -> String in
            let value: String = try await ctx.step.run("flaky") {
                tally.hit("flaky")
                if tally.count("flaky") < 3 { throw FlakyError() }
                return "ok"
            }
            tally.hit("after")
            return value
        }
        let h = try await EngineHarness.start(functions: [fn])
        let id = try await h.send("test/flaky")
        let runs = try await h.finishedRuns(forEvent: id)
        #expect(runs[0]["status"] == "Completed")
        #expect(runs[0]["output"] == "ok")
        #expect(tally.count("flaky") == 3)
        await h.stop()
    }

    @Test func nonRetriableErrorFailsAtOnceAndTriggersOnFailure() async throws {
        let tally = Tally()
        let fn = InngestFunction(id: "doomed", triggers: [.event("test/doomed")],
                                 config: FunctionConfiguration(retries: 5, onFailure: { ctx in
                                     if ctx.failure?.message.contains("no point retrying") == true, ctx.failure?.functionId == "test-app-doomed" {
                                         tally.hit("onFailure")
                                     }
                                 })) { ctx -> String in
            try await ctx.step.run("explode") { () -> String in
                tally.hit("explode")
                throw NonRetriableError("no point retrying")
            }
        }
        let h = try await EngineHarness.start(functions: [fn])
        let id = try await h.send("test/doomed")
        let runs = try await h.finishedRuns(forEvent: id)
        #expect(runs[0]["status"] == "Failed")
        #expect(runs[0]["error"]?["message"]?.stringValue?.contains("no point retrying") == true)
        #expect(tally.count("explode") == 1)
        try await waitUntil("onFailure handler ran") { tally.count("onFailure") == 1 }
        await h.stop()
    }

    @Test func functionLevelErrorIsRetriedThenFails() async throws {
        let tally = Tally()
        let fn = InngestFunction(id: "broken", triggers: [.event("test/broken")], config: FunctionConfiguration(retries: 2)) { _ -> String in
            tally.hit("body")
            throw FlakyError()
        }
        let h = try await EngineHarness.start(functions: [fn])
        let id = try await h.send("test/broken")
        let runs = try await h.finishedRuns(forEvent: id)
        #expect(runs[0]["status"] == "Failed")
        #expect(tally.count("body") == 3) // 1 attempt + 2 retries
        await h.stop()
    }

    @Test func parallelStepsEachRunOnceAndJoin() async throws {
        let tally = Tally()
        let fn = InngestFunction(id: "fan", triggers: [.event("test/fan")]) { ctx -> String in
            let (x, y) = try await ctx.step.parallel(
                { try await ctx.step.run("left") { tally.hit("left"); return "L" } as String },
                { try await ctx.step.run("right") { tally.hit("right"); return "R" } as String }
            )
            let z: String = try await ctx.step.run("join") { tally.hit("join"); return x + y }
            return z
        }
        let h = try await EngineHarness.start(functions: [fn])
        let id = try await h.send("test/fan")
        let runs = try await h.finishedRuns(forEvent: id)
        #expect(runs[0]["status"] == "Completed")
        #expect(runs[0]["output"] == "LR")
        #expect(["left", "right", "join"].map(tally.count) == [1, 1, 1])
        await h.stop()
    }

    @Test func sleepWaitsForTheInjectedClock() async throws {
        let tally = Tally()
        let fn = InngestFunction(id: "napper", triggers: [.event("test/nap")]) { ctx -> String in
            try await ctx.step.run("before") { tally.hit("before") }
            try await ctx.step.sleep("nap", for: .hours(2))
            try await ctx.step.run("after") { tally.hit("after") }
            return "rested"
        }
        let h = try await EngineHarness.start(functions: [fn], manualClock: true)
        let id = try await h.send("test/nap")
        try await waitUntil("first step ran") { tally.count("before") == 1 }
        try await h.awaitQueued("sleep")
        #expect(tally.count("after") == 0)
        #expect(h.engine.runs(forEvent: id).first?["status"] == "Running")
        h.clock?.advance(bySeconds: 2 * 3600)
        let runs = try await h.finishedRuns(forEvent: id)
        #expect(runs[0]["output"] == "rested")
        #expect(tally.count("before") == 1 && tally.count("after") == 1)
        await h.stop()
    }
}

struct FlakyError: Error {}
