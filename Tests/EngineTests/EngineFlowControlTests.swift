import Engine
import Foundation
import HTTP
import InngestProtocol
import JSON
import Testing
import TestSupport

@Suite("Engine end to end: flow control and signing", .serialized)
struct EngineFlowControlTests {
    @Test func idempotencyKeyStartsOneRunPerKey() async throws {
        let tally = Tally()
        let fn = InngestFunction(id: "once", triggers: [.event("fc/once")],
                                 config: FunctionConfiguration(idempotency: "event.data.order")) { ctx -> String in
            tally.hit(ctx.event.data["order"]?.stringValue ?? "?")
            return "ok"
        }
        let h = try await EngineHarness.start(functions: [fn])
        let first = try await h.send("fc/once", ["order": "A"])
        let duplicate = try await h.send("fc/once", ["order": "A"])
        let other = try await h.send("fc/once", ["order": "B"])
        _ = try await h.finishedRuns(forEvent: first)
        _ = try await h.finishedRuns(forEvent: other)
        #expect(h.engine.runs(forEvent: duplicate).isEmpty)
        #expect(tally.count("A") == 1 && tally.count("B") == 1)
        await h.stop()
    }

    @Test func debounceRunsOnceWithTheLastEventAfterQuiet() async throws {
        let fn = InngestFunction(id: "settle", triggers: [.event("fc/typing")],
                                 config: FunctionConfiguration(debounce: .init(period: .seconds(10), key: "event.data.doc"))) { ctx -> String in
            ctx.event.data["text"]?.stringValue ?? ""
        }
        let h = try await EngineHarness.start(functions: [fn], manualClock: true)
        try await h.send("fc/typing", ["doc": "d1", "text": "h"])
        h.clock?.advance(bySeconds: 5)
        try await h.send("fc/typing", ["doc": "d1", "text": "he"])
        h.clock?.advance(bySeconds: 5) // 10 s after the first, 5 s after the last: still waiting
        let last = try await h.send("fc/typing", ["doc": "d1", "text": "hey"])
        try await h.settle()
        #expect(h.engine.runs(forEvent: last).isEmpty)
        h.clock?.advance(bySeconds: 11)
        let runs = try await h.finishedRuns(forEvent: last)
        #expect(runs.count == 1 && runs[0]["output"] == "hey")
        await h.stop()
    }

    @Test func throttleDelaysRunsBeyondTheLimit() async throws {
        let tally = Tally()
        let fn = InngestFunction(id: "paced", triggers: [.event("fc/paced")],
                                 config: FunctionConfiguration(throttle: .init(limit: 2, period: .minutes(1)))) { _ -> String in
            tally.hit("run")
            return "ok"
        }
        let h = try await EngineHarness.start(functions: [fn], manualClock: true)
        var ids: [String] = []
        for _ in 0..<3 { ids.append(try await h.send("fc/paced")) }
        try await waitUntil("two runs within the limit") { tally.count("run") == 2 }
        try await h.settle()
        #expect(tally.count("run") == 2)
        h.clock?.advance(bySeconds: 30)
        try await waitUntil("third run after its slot") { tally.count("run") == 3 }
        for id in ids { _ = try await h.finishedRuns(forEvent: id) }
        await h.stop()
    }

    @Test func rateLimitDropsEventsBeyondTheLimit() async throws {
        let fn = InngestFunction(id: "limited", triggers: [.event("fc/limited")],
                                 config: FunctionConfiguration(rateLimit: .init(limit: 1, period: .hours(1), key: "event.data.user"))) { _ -> String in "ok" }
        let h = try await EngineHarness.start(functions: [fn], manualClock: true)
        let a1 = try await h.send("fc/limited", ["user": "a"])
        let a2 = try await h.send("fc/limited", ["user": "a"])
        let b1 = try await h.send("fc/limited", ["user": "b"])
        _ = try await h.finishedRuns(forEvent: a1)
        _ = try await h.finishedRuns(forEvent: b1)
        #expect(h.engine.runs(forEvent: a2).isEmpty)
        await h.stop()
    }

    @Test func signedEngineAndCloudModeSDKInteroperate() async throws {
        let key = "signkey-test-" + String(repeating: "ab", count: 32)
        let fn = InngestFunction(id: "signed", triggers: [.event("fc/signed")]) { ctx -> String in
            try await ctx.step.run("inside") { "verified" }
        }
        let h = try await EngineHarness.start(functions: [fn], sdkSigningKey: key) { config in
            config.signingKey = key
            config.eventKeys = ["bench-key"]
        }
        let id = try await h.send("fc/signed")
        let runs = try await h.finishedRuns(forEvent: id)
        #expect(runs[0]["output"] == "verified")
        // The query API needs the key too.
        let (status, _) = try await h.api("GET", "/v1/events/\(id)/runs")
        #expect(status == 401)
        let hashed = try SigningKey(parsing: key).bearerToken
        let (authorized, body) = try await h.api("GET", "/v1/events/\(id)/runs", headers: ["Authorization": "Bearer \(hashed)"])
        #expect(authorized == 200 && body["data"]?.arrayValue?.count == 1)
        await h.stop()
    }

    @Test func callsToAWorkerWithAnotherKeyAreRefusedAndRetriedThenFail() async throws {
        let fn = InngestFunction(id: "mismatch", triggers: [.event("fc/mismatch")], config: FunctionConfiguration(retries: 1)) { _ -> String in "never" }
        let sdkKey = "signkey-test-" + String(repeating: "cd", count: 32)
        let h = try await EngineHarness.start(functions: [fn], sdkSigningKey: sdkKey) { config in
            config.signingKey = sdkKey
        }
        // Restart the engine side with a different key on the same database: its calls no longer verify.
        await h.engine.stop()
        var config = h.engine.configuration
        config.signingKey = "signkey-test-" + String(repeating: "ef", count: 32)
        config.port = 0
        let other = EmbeddedEngine(configuration: config, client: h.client)
        try other.start()
        let ids = try await other.send([IncomingEvent(name: "fc/mismatch")])
        #expect(await eventually { other.runs(forEvent: ids[0]).first?["status"] == "Failed" }, "\(other.runs(forEvent: ids[0]))")
        let error = other.runs(forEvent: ids[0]).first?["error"]?.serialized() ?? ""
        #expect(error.lowercased().contains("signature") || error.contains("Unauthorized"), "\(error)")
        await other.stop()
        await h.stop()
    }
}

@Suite("Engine retention", .serialized)
struct EngineRetentionTests {
    @Test func pruneDropsOldFinishedRunsAndKeepsRunningOnes() async throws {
        let quick = InngestFunction(id: "quick", triggers: [.event("ret/quick")]) { _ -> String in "done" }
        let slow = InngestFunction(id: "slow", triggers: [.event("ret/slow")]) { ctx -> String in
            try await ctx.step.sleep("wait", for: .days(60))
            return "late"
        }
        let h = try await EngineHarness.start(functions: [quick, slow], manualClock: true) { $0.retentionDays = 30 }
        let done = try await h.send("ret/quick")
        _ = try await h.finishedRuns(forEvent: done)
        let waiting = try await h.send("ret/slow")
        try await h.awaitQueued("sleep")
        #expect(try await h.engine.prune().runs == 0) // nothing is old yet
        h.clock?.advance(bySeconds: 31 * 86_400)
        let (runs, events) = try await h.engine.prune()
        #expect(runs == 1)
        #expect(events >= 1)
        #expect(h.engine.runs(forEvent: done).isEmpty)
        #expect(h.engine.runs(forEvent: waiting).first?["status"] == "Running")
        h.clock?.advance(bySeconds: 30 * 86_400)
        let finished = try await h.finishedRuns(forEvent: waiting)
        #expect(finished[0]["output"] == "late")
        await h.stop()
    }
}
