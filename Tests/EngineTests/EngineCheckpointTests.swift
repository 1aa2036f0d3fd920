import Engine
import Foundation
import HTTP
import InngestProtocol
import JSON
import Testing

/// Async checkpointing end to end on the embedded engine: functions with
/// `Checkpointing` run several steps per call, saving each through
/// `POST /v1/checkpoint/{runId}/async`; the engine memoises them and starts the
/// call's attempts again, as the Inngest server does.
@Suite("Engine async checkpoints", .serialized)
struct EngineCheckpointTests {
    @Test func aChainOfStepsRunsInOneCall() async throws {
        let fn = InngestFunction(id: "chain", triggers: [.event("cp/chain")], config: .init(checkpointing: .init())) { ctx -> Int in
            let a = try await ctx.step.run("a") { 1 }
            let b = try await ctx.step.run("b") { a + 1 }
            return try await ctx.step.run("c") { b + 1 }
        }
        let h = try await EngineHarness.start(functions: [fn])
        let event = try await h.send("cp/chain")
        let runs = try await h.finishedRuns(forEvent: event)
        #expect(runs[0]["status"] == "Completed" && runs[0]["output"] == 3)
        // Without checkpointing: four calls (three steps, then the return).
        #expect(h.workerCalls.count("POST") == 1)
        let (_, trace) = try await h.api("GET", "/v1/runs/\(runs[0]["run_id"]?.stringValue ?? "")/trace")
        #expect(trace["data"]?["children"]?.arrayValue?.compactMap { $0["name"]?.stringValue } == ["a", "b", "c"])
        await h.stop()
    }

    @Test func aCheckpointStartsTheCallsAttemptsAgain() async throws {
        let tally = Tally()
        // Two attempts in all. `a` fails once, so the call that runs it again is attempt 1;
        // `b` then fails once too, and only because the checkpoint of `a` reset the
        // attempts is that failure retried instead of final.
        let fn = InngestFunction(id: "flaky", triggers: [.event("cp/flaky")],
                                 config: .init(retries: 1, checkpointing: .init())) { ctx -> String in
            let a: String = try await ctx.step.run("a") {
                tally.hit("a")
                if tally.count("a") == 1 { throw NSError(domain: "flaky", code: 1) }
                return "a"
            }
            let b: String = try await ctx.step.run("b") {
                tally.hit("b")
                if tally.count("b") == 1 { throw NSError(domain: "flaky", code: 2) }
                return "b"
            }
            return a + b
        }
        let h = try await EngineHarness.start(functions: [fn])
        let event = try await h.send("cp/flaky")
        let runs = try await h.finishedRuns(forEvent: event)
        #expect(runs[0]["status"] == "Completed" && runs[0]["output"] == "ab")
        #expect(tally.count("a") == 2 && tally.count("b") == 2)
        await h.stop()
    }

    @Test func checkpointsForNoCallInFlightAreRefused() async throws {
        let fn = InngestFunction(id: "waits", triggers: [.event("cp/waits")]) { ctx -> String in
            _ = try await ctx.step.waitForSignal("hold", signal: "cp-hold", timeout: .hours(1))
            return "done"
        }
        let h = try await EngineHarness.start(functions: [fn], manualClock: true)
        let event = try await h.send("cp/waits")
        try await h.awaitQueued("wait_timeout")
        let run = h.engine.runs(forEvent: event)[0]["run_id"]?.stringValue ?? ""
        func checkpoint(_ runID: String, _ body: String) async throws -> Int {
            try await h.api("POST", "/v1/checkpoint/\(runID)/async", body: Array(body.utf8)).0
        }
        let stepRun = #"{"op":"StepRun","id":"x","name":"x","data":1}"#
        // The run is waiting, not in a call: nothing to checkpoint against.
        #expect(try await checkpoint(run, #"{"run_id":"\#(run)","fn_id":"test-app-waits","qi_id":"999","steps":[\#(stepRun)]}"#) == 409)
        #expect(try await checkpoint("01NOSUCHRUN", #"{"fn_id":"test-app-waits","qi_id":"1","steps":[]}"#) == 404)
        #expect(try await checkpoint(run, #"{"fn_id":"another-fn","qi_id":"1","steps":[]}"#) == 400)
        #expect(try await checkpoint(run, #"{"fn_id":"test-app-waits","steps":[]}"#) == 400)
        #expect(try await checkpoint(run, "not json") == 400)
        #expect(try h.probe().queryOne("SELECT count(*) FROM steps WHERE step_id = 'x'")?.int(0) == 0)
        await h.stop()
    }
}
