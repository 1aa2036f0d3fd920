import Foundation
import InngestProtocol
import JSON

/// The checks, each against the function of the same purpose in `InteropFunctions`.
/// `sync` runs first; the rest run concurrently, each on its own events.
enum Scenarios {
    static let sync = Scenario("sync") { c in
        let result = try await c.inngest.register(serveURL: c.serveURL)
        let ids = try await c.api.functionSlugs(app: "interop")
        let ours = ids.filter { $0.hasPrefix("interop-") }
        try c.expect(ours.count == InteropFunctions.all.count + 1, "functions on the server: \(ours.sorted())")
        try c.expect(ours.contains("interop-doomed-failure"), "no failure handler among \(ours.sorted())")
        let statuses = await RunTally.shared.logged("api:register")
        if c.expectKeyFallback {
            try c.expect(statuses == [401, 200].map(String.init), "/fn/register answered \(statuses), expected 401 then 200")
        }
        return "modified=\(result.modified), \(ours.count) functions (with the onFailure handler); /fn/register answered \(statuses)"
    }

    static let all: [Scenario] = steps + waits + invokes + errors + flowControl + SignalInterop.scenarios + CheckpointInterop.scenarios

    static let steps: [Scenario] = [
        Scenario("step.run memoised, repeated ids") { c in
            let out = try await c.output(of: "interop/memo")
            try c.expect(out["a"] == 1 && out["b"] == 2 && out["dup"] == ["first", "second"]
                         && out["aRuns"] == 1 && out["bRuns"] == 1, "output \(out.serialized())")
            return "each step body ran once"
        },
        Scenario("parallel") { c in
            try await c.expectOutput(of: "interop/parallel", equals: "xy")
            return "xy"
        },
        Scenario("race") { c in
            try await c.expectOutput(of: "interop/race", equals: "slept")
            return "the sleep branch won"
        },
        Scenario("sendEvent") { c in
            let out = try await c.output(of: "interop/send")
            guard let id = out.arrayValue?.first?.stringValue else { throw InteropError(message: "output \(out.serialized())") }
            // `inngest start` may store the event a moment after the run that sent it ends.
            var event = JSON.null
            for _ in 0..<20 {
                event = (try? await c.api.get("/v1/events/\(id)")) ?? .null
                if event["data"]?["name"] != nil { break }
                try await Task.sleep(nanoseconds: 500_000_000)
            }
            try c.expect(event["data"]?["name"]?.stringValue == "interop/sent", "event \(id): \(event.serialized())")
            return "event \(id) stored"
        },
        Scenario("sendEvent of two events") { c in
            let out = try await c.output(of: "interop/send.many")
            try c.expect(out.arrayValue?.count == 2, "output \(out.serialized())")
            return "2 ids"
        },
        Scenario("use_api: state over 4 MB fetched from the API") { c in
            try await c.expectOutput(of: "interop/big", equals: 5_000_000, deadline: 90)
            let statuses = Set(await RunTally.shared.logged("api:runs")).sorted()
            if c.expectKeyFallback {
                try c.expect(statuses == ["200", "401"], "/v0/runs answered \(statuses), expected 401 then 200")
            }
            return "5,000,000 bytes of memoised state; /v0/runs answered \(statuses)"
        },
        Scenario("JSON round trip: unicode, escapes, numbers") { c in
            let data: JSON = ["text": "ünï \"q\" \\ / \u{2028} \u{1F600} <&>", "n": 12345, "f": 1.5, "neg": -7,
                              "nested": ["a": [1, 2, ["b": nil]], "t": true]]
            let out = try await c.output(of: "interop/echo", data)
            try c.expect(Checks.same(out["data"], data) && Checks.same(out["memo"], data), "output \(out.serialized())")
            return "event data and step memo intact"
        },
        Scenario("50 concurrent runs") { c in
            let ids = try await c.inngest.send((1...50).map { _ in InngestEvent(name: "interop/memo") })
            var bad = 0
            for id in ids {
                let out = try c.completed(try await c.api.endedRun(ofEvent: id, deadline: 120))
                if !(out["b"] == 2 && out["aRuns"] == 1 && out["bRuns"] == 1) { bad += 1 }
            }
            try c.expect(ids.count == 50 && bad == 0, "\(bad) of \(ids.count) runs had wrong outputs")
            return "50 completed, every step ran once"
        },
    ]

    static let waits: [Scenario] = [
        Scenario("sleep") { c in
            let slept = try await c.output(of: "interop/sleep")["slept"]?.numberValue?.doubleValue ?? 0
            try c.expect(slept >= 1.9 && slept < 30, "slept \(slept) s")
            return "slept \(String(format: "%.1f", slept)) s"
        },
        Scenario("sleepUntil") { c in
            try await c.expectOutput(of: "interop/sleep.until", equals: true)
            return "woke after the date"
        },
        Scenario("waitForEvent matched") { c in
            let k = "m\(c.key)"
            let start = try await c.send("interop/wait.start", ["key": .string(k)])
            _ = try await c.api.startedRun(ofEvent: start)
            try await Task.sleep(nanoseconds: 2_000_000_000)
            _ = try await c.send("interop/wait.reply", ["key": "other", "answer": 1])
            _ = try await c.send("interop/wait.reply", ["key": .string(k), "answer": 42])
            let out = try c.completed(try await c.api.endedRun(ofEvent: start))
            try c.expect(out == 42, "output \(out.serialized())")
            return "the matching event (42) was returned"
        },
        Scenario("waitForEvent with if") { c in
            let k = "w\(c.key)"
            let start = try await c.send("interop/waitif.start", ["key": .string(k)])
            _ = try await c.api.startedRun(ofEvent: start)
            try await Task.sleep(nanoseconds: 2_000_000_000)
            _ = try await c.send("interop/waitif.reply", ["key": .string(k), "n": 1])
            _ = try await c.send("interop/waitif.reply", ["key": .string(k), "n": 10])
            let out = try c.completed(try await c.api.endedRun(ofEvent: start))
            try c.expect(out == 10, "output \(out.serialized())")
            return "n=10 matched, n=1 ignored"
        },
        Scenario("waitForEvent timeout") { c in
            try await c.expectOutput(of: "interop/wait.start", ["key": .string("t\(c.key)"), "timeout": "3s"], equals: "timeout")
            return "nil after 3 s"
        },
        Scenario("cron trigger") { c in
            let seen = try await c.note("cron", within: 75)
            try c.expect(seen?.hasPrefix("inngest/scheduled.timer ") == true, "the cron run saw \(seen ?? "nothing")")
            return seen!
        },
    ]

    static let invokes: [Scenario] = [
        Scenario("invoke") { c in
            try await c.expectOutput(of: "interop/invoke", equals: ["y": 42])
            return "typed result {\"y\":42}"
        },
        Scenario("invoke timeout") { c in
            try await c.expectOutput(of: "interop/invoke.timeout", equals: "InngestInvokeTimeoutError")
            return "StepError InngestInvokeTimeoutError"
        },
        Scenario("invoke of a failing function") { c in
            let out = try await c.output(of: "interop/invoke.failing")
            try c.expect(out.stringValue?.contains("child exploded") == true, "output \(out.serialized())")
            return "StepError with the child's message"
        },
    ]

    /// A retry comes after the server's backoff: today's servers wait 15 s plus up to
    /// 30 s of jitter before the first one, so checks that need a retry wait this long.
    static let retryDeadline: Double = 150

    static let errors: [Scenario] = [
        Scenario("step error retried, then success") { c in
            try await c.expectOutput(of: "interop/flaky.step", equals: "ok after 1", deadline: retryDeadline)
            return "succeeded on attempt 1"
        },
        Scenario("function error retried, then success") { c in
            try await c.expectOutput(of: "interop/flaky.body", equals: "body ok at 1", deadline: retryDeadline)
            return "succeeded on attempt 1"
        },
        Scenario("RetryAfterError") { c in
            let waited = try await c.output(of: "interop/retry.after")["waited"]?.numberValue?.doubleValue ?? 0
            // The server counts from the current second, truncated: up to 1 s early.
            try c.expect(waited >= 1.9 && waited < 15, "retried after \(waited) s, asked for 3 s")
            return "retried after \(String(format: "%.1f", waited)) s"
        },
        Scenario("NonRetriableError in a step, caught as StepError") { c in
            let out = try await c.output(of: "interop/caught")
            try c.expect(out.stringValue?.hasPrefix("caught: ") == true && out.stringValue?.contains("nope") == true,
                         "output \(out.serialized())")
            return out.stringValue!
        },
        Scenario("NonRetriableError fails the run; onFailure runs") { c in
            let run = try await c.api.endedRun(ofEvent: try await c.send("interop/doomed"))
            let attempts = await RunTally.shared.count("\(run.id):fatal")
            try c.expect(run.status == "Failed" && attempts == 1, "status \(run.status), step ran \(attempts) times")
            let message = try await c.note("failure:\(run.id)", within: 30)
            try c.expect(message?.contains("doomed on purpose") == true, "onFailure saw \(message ?? "nothing")")
            return "failed after one attempt (\(try await c.finalOp(of: run))); onFailure got the error"
        },
        Scenario("step retries exhausted fail the run") { c in
            let run = try await c.api.endedRun(ofEvent: try await c.send("interop/step.exhausted"), deadline: retryDeadline)
            let attempts = await RunTally.shared.count("\(run.id):always")
            try c.expect(run.status == "Failed" && attempts == 2, "status \(run.status), \(attempts) attempts")
            return "Failed after 2 step attempts (\(try await c.finalOp(of: run)))"
        },
        Scenario("function retries exhausted fail the run") { c in
            let run = try await c.api.endedRun(ofEvent: try await c.send("interop/exhausted"), deadline: retryDeadline)
            let attempts = await RunTally.shared.count("\(run.id):body")
            try c.expect(run.status == "Failed" && attempts == 2, "status \(run.status), \(attempts) attempts")
            return "Failed after 2 attempts"
        },
        Scenario("ctx.max_attempts") { c in
            let run = try await c.api.endedRun(ofEvent: try await c.send("interop/max.attempts"))
            let out = try c.completed(run)
            let wire = await RunTally.shared.note("wire:max_attempts:\(run.id)") ?? "no call seen"
            if wire == "absent" {
                try c.expect(out["sdk"] == .null, "not sent, yet the function saw \(out.serialized())")
                return "not sent by this server; ctx.maxAttempts is nil"
            }
            try c.expect(wire == "3" && out["sdk"] == 3, "server sent \(wire), the function saw \(out.serialized())")
            return "server sent 3 (retries 2 + 1), the function saw 3"
        },
    ]

    static let flowControl: [Scenario] = [
        Scenario("cancelOn") { c in
            let k = "c\(c.key)"
            let start = try await c.send("interop/cancellable", ["key": .string(k)])
            _ = try await c.api.startedRun(ofEvent: start)
            try await Task.sleep(nanoseconds: 2_000_000_000)
            _ = try await c.send("interop/cancel", ["key": .string(k)])
            let run = try await c.api.endedRun(ofEvent: start)
            try c.expect(run.status == "Cancelled", "status \(run.status)")
            return "Cancelled"
        },
        Scenario("timeouts.finish") { c in
            let run = try await c.api.endedRun(ofEvent: try await c.send("interop/timeout"))
            try c.expect(run.status == "Cancelled", "status \(run.status)")
            return "Cancelled at the next step boundary"
        },
        Scenario("batchEvents") { c in
            let ids = try await c.inngest.send((1...3).map { InngestEvent(name: "interop/batch", data: ["i": .number(JSONNumber($0))]) })
            // The run belongs to whichever event opened the batch (arrival order may differ);
            // the 20 s batch timeout covers a loaded server taking the events in seconds apart.
            let out = try c.completed(try await c.api.endedRun(ofAnyEvent: ids))
            try c.expect(out == 3, "output \(out.serialized())")
            return "3 events in one run"
        },
        Scenario("debounce") { c in
            // One request and a 10 s period: under load the server's runner has taken
            // events of one request more than 2 s apart.
            let ids = try await c.inngest.send((1...3).map {
                InngestEvent(name: "interop/debounce", data: ["key": .string("d\(c.key)"), "i": .number(JSONNumber($0))])
            })
            // The run carries the last event the server took in (not always the last sent).
            let out = try c.completed(try await c.api.endedRun(ofAnyEvent: ids, deadline: 60))
            var runIds = Set<String>()
            for id in ids { for run in try await c.api.runs(ofEvent: id) { runIds.insert(run.id) } }
            try c.expect([1, 2, 3].contains(out) && runIds.count == 1, "output \(out.serialized()), distinct runs: \(runIds.count)")
            return "one run for three events"
        },
        Scenario("concurrency, throttle, rateLimit, priority, idempotency, timeouts accepted") { c in
            try await c.expectOutput(of: "interop/configured",
                                     ["ok": true, "key": "k", "priority": 0, "idem": .string("i\(c.key)")], equals: "configured ok")
            return "synced and ran"
        },
    ]
}
