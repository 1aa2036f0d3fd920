import Engine
import Foundation
import HTTP
import InngestProtocol
import JSON
import Testing
import TestSupport

/// `step.waitForSignal` end to end on the embedded engine: real functions in
/// a worker on loopback, signals sent through the SDK's client to
/// `POST /v1/signals`, timeouts fired by a manual clock.
@Suite("Engine signals: waitForSignal, POST /v1/signals, timeout, conflicts", .serialized)
struct EngineSignalTests {
    /// Waits for the signal named in its event (`data.signal`), taking it over when `data.replace` is true.
    static func waiter(_ tally: Tally) -> InngestFunction {
        InngestFunction(id: "signal-waiter", triggers: [.event("test/wait-signal")]) { ctx -> JSON in
            tally.hit("called-\(ctx.event.data["tag"]?.stringValue ?? "")")
            let mode: SignalConflict = ctx.event.data["replace"]?.boolValue == true ? .replace : .fail
            let got = try await ctx.step.waitForSignal("await-signal", signal: ctx.event.data["signal"]?.stringValue ?? "",
                                                       timeout: .hours(1), onConflict: mode)
            guard let got else { return "timed out" }
            return ["signal": .string(got.signal), "data": got.data]
        }
    }

    static func runID(_ h: EngineHarness, event: String) async throws -> String {
        var id: String?
        try await waitUntil("a run for event \(event)") {
            id = h.engine.runs(forEvent: event).first?["run_id"]?.stringValue
            return id != nil
        }
        return id ?? ""
    }

    @Test func aSignalResumesItsRunWithItsData() async throws {
        let h = try await EngineHarness.start(functions: [Self.waiter(Tally())], manualClock: true)
        let event = try await h.send("test/wait-signal", ["signal": "approval-1"])
        try await h.awaitQueued("wait_timeout")
        let run = try await Self.runID(h, event: event)
        // The trace shows the wait and the signal it waits for.
        let (_, trace) = try await h.api("GET", "/v1/runs/\(run)/trace")
        let step = trace["data"]?["children"]?[0]
        #expect(step?["step_op"] == "WaitForSignal" && step?["status"] == "Waiting")
        #expect(step?["step_info"]?["signal"] == "approval-1")

        #expect(try await h.inngest.sendSignal("approval-1", data: ["by": "ops", "ok": true]) == run)
        let runs = try await h.finishedRuns(forEvent: event)
        #expect(runs[0]["status"] == "Completed")
        #expect(runs[0]["output"] == ["signal": "approval-1", "data": ["by": "ops", "ok": true]])
        // A signal ends one wait: sent again, nobody is waiting for it.
        #expect(try await h.inngest.sendSignal("approval-1") == nil)
        await h.stop()
    }

    @Test func aSignalWithoutDataResumesWithNullData() async throws {
        let h = try await EngineHarness.start(functions: [Self.waiter(Tally())], manualClock: true)
        let event = try await h.send("test/wait-signal", ["signal": "bare"])
        try await h.awaitQueued("wait_timeout")
        let (status, body) = try await h.api("POST", "/v1/signals", body: Array(#"{"signal":"bare"}"#.utf8))
        let run = try await Self.runID(h, event: event)
        #expect(status == 200 && body["data"]?["run_id"]?.stringValue == run)
        #expect(try await h.finishedRuns(forEvent: event)[0]["output"] == ["signal": "bare", "data": nil])
        await h.stop()
    }

    @Test func anUnansweredWaitTimesOutWithNilAndALateSignalFindsNobody() async throws {
        let h = try await EngineHarness.start(functions: [Self.waiter(Tally())], manualClock: true)
        let event = try await h.send("test/wait-signal", ["signal": "late"])
        try await h.awaitQueued("wait_timeout")
        #expect(try await h.inngest.sendSignal("other-name") == nil)
        h.clock?.advance(bySeconds: 3601)
        #expect(try await h.finishedRuns(forEvent: event)[0]["output"] == "timed out")
        #expect(try await h.inngest.sendSignal("late") == nil)
        await h.stop()
    }

    @Test func aSecondWaitForATakenSignalFailsItsRunAtOnceWithoutRetries() async throws {
        let tally = Tally()
        let h = try await EngineHarness.start(functions: [Self.waiter(tally)], manualClock: true)
        let first = try await h.send("test/wait-signal", ["signal": "shared", "tag": "first"])
        try await h.awaitQueued("wait_timeout")
        let second = try await h.send("test/wait-signal", ["signal": "shared", "tag": "second"])
        let failed = try await h.finishedRuns(forEvent: second)
        #expect(failed[0]["status"] == "Failed")
        #expect(failed[0]["error"]?["message"] == "Signal conflict; signal wait already exists for another run")
        #expect(tally.count("called-second") == 1)
        // The first run keeps the signal.
        let firstRun = try await Self.runID(h, event: first)
        #expect(try await h.inngest.sendSignal("shared", data: "for the first") == firstRun)
        #expect(try await h.finishedRuns(forEvent: first)[0]["output"] == ["signal": "shared", "data": "for the first"])
        await h.stop()
    }

    @Test func aReplacingWaitTakesTheSignalAndTheEarlierRunWaitsOutItsTimeout() async throws {
        let h = try await EngineHarness.start(functions: [Self.waiter(Tally())], manualClock: true)
        let first = try await h.send("test/wait-signal", ["signal": "handover"])
        try await h.awaitQueued("wait_timeout")
        let second = try await h.send("test/wait-signal", ["signal": "handover", "replace": true])
        try await h.awaitQueued("wait_timeout", count: 2)
        let secondRun = try await Self.runID(h, event: second)
        #expect(try await h.inngest.sendSignal("handover", data: 2) == secondRun)
        #expect(try await h.finishedRuns(forEvent: second)[0]["output"] == ["signal": "handover", "data": 2])
        #expect(h.engine.runs(forEvent: first)[0]["status"] == "Running")
        h.clock?.advance(bySeconds: 3601)
        #expect(try await h.finishedRuns(forEvent: first)[0]["output"] == "timed out")
        await h.stop()
    }

    @Test func oneFunctionSignalsAnotherWithStepSendSignal() async throws {
        let signaller = InngestFunction(id: "signaller", triggers: [.event("test/send-signal")]) { ctx -> String in
            try await ctx.step.sendSignal("notify", signal: ctx.event.data["signal"]?.stringValue ?? "", data: "from a step") ?? "nobody"
        }
        let h = try await EngineHarness.start(functions: [Self.waiter(Tally()), signaller], manualClock: true)
        let waiting = try await h.send("test/wait-signal", ["signal": "pair-1"])
        try await h.awaitQueued("wait_timeout")
        let sent = try await h.send("test/send-signal", ["signal": "pair-1"])
        let waiter = try await Self.runID(h, event: waiting)
        #expect(try await h.finishedRuns(forEvent: sent)[0]["output"]?.stringValue == waiter)
        #expect(try await h.finishedRuns(forEvent: waiting)[0]["output"] == ["signal": "pair-1", "data": "from a step"])
        await h.stop()
    }

    @Test func aSignalWaitSurvivesARestart() async throws {
        let first = try await EngineHarness.start(functions: [Self.waiter(Tally())])
        let event = try await first.send("test/wait-signal", ["signal": "durable"])
        try await first.awaitQueued("wait_timeout")
        await first.engine.stop()
        await first.worker.shutdown(drain: 1)
        // A new engine on the same file, and a new worker that syncs its own URL.
        let second = try await EngineHarness.start(functions: [Self.waiter(Tally())], databasePath: first.databasePath)
        #expect(try await second.inngest.sendSignal("durable", data: "after restart") != nil)
        #expect(try await second.finishedRuns(forEvent: event)[0]["output"] == ["signal": "durable", "data": "after restart"])
        await second.stop()
        withExtendedLifetime(first) {}  // the first harness holds the database's directory
    }

    @Test func signalsNeedTheSigningKeyLikeTheRestOfV1() async throws {
        let key = "signkey-test-" + String(repeating: "cd", count: 32)
        let h = try await EngineHarness.start(functions: [Self.waiter(Tally())], sdkSigningKey: key) { config in
            config.signingKey = key
            config.eventKeys = ["bench-key"]
        }
        let event = try await h.send("test/wait-signal", ["signal": "locked"])
        try await h.awaitQueued("wait_timeout")
        let (status, _) = try await h.api("POST", "/v1/signals", body: Array(#"{"signal":"locked"}"#.utf8))
        #expect(status == 401)
        #expect(h.engine.runs(forEvent: event)[0]["status"] == "Running")
        // The SDK's client sends the hashed key as its bearer token.
        #expect(try await h.inngest.sendSignal("locked", data: "ok") != nil)
        #expect(try await h.finishedRuns(forEvent: event)[0]["output"] == ["signal": "locked", "data": "ok"])
        await h.stop()
    }
}
