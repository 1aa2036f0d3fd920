import Foundation
import InngestProtocol
import JSON

/// The invoked function's typed result.
struct ChildResult: Codable, Sendable { var y: Int }

/// The functions of the interop app (id `interop`), one per behaviour a check
/// drives through the real server; the `Scenarios` say what each must produce.
enum InteropFunctions {
    static let child = InngestFunction(id: "child", triggers: [.event("interop/child.direct")]) { ctx in
        let x = ctx.event.data["x"]?.intValue ?? 0
        let y = try await ctx.step.run("double") { x * 2 }
        return ChildResult(y: y)
    }

    static let slowChild = InngestFunction(id: "slow-child", triggers: [.event("interop/slow.direct")]) { ctx in
        try await ctx.step.sleep("slow", for: .seconds(20))
        return "late"
    }

    static let failingChild = InngestFunction(id: "failing-child", triggers: [.event("interop/failing.direct")],
                                              config: .init(retries: 0)) { ctx in
        try await ctx.step.run("explode") { () async throws -> Void in throw NonRetriableError("child exploded") }
        return "unreachable"
    }

    static var all: [InngestFunction] {
        [
            InngestFunction(id: "memo", triggers: [.event("interop/memo")]) { ctx in
                let run = ctx.runId
                let a = try await ctx.step.run("a") { await RunTally.shared.hit("\(run):a"); return 1 }
                let b = try await ctx.step.run("b") { await RunTally.shared.hit("\(run):b"); return a + 1 }
                let d1 = try await ctx.step.run("dup") { "first" }
                let d2 = try await ctx.step.run("dup") { "second" }
                let aRuns = await RunTally.shared.count("\(run):a")
                let bRuns = await RunTally.shared.count("\(run):b")
                return ["a": .number(JSONNumber(a)), "b": .number(JSONNumber(b)), "dup": [.string(d1), .string(d2)],
                        "aRuns": .number(JSONNumber(aRuns)), "bRuns": .number(JSONNumber(bRuns))] as JSON
            },
            InngestFunction(id: "sleeper", triggers: [.event("interop/sleep")]) { ctx in
                let t0 = try await ctx.step.run("t0") { Date().timeIntervalSince1970 }
                try await ctx.step.sleep("nap", for: .seconds(2))
                let t1 = try await ctx.step.run("t1") { Date().timeIntervalSince1970 }
                return ["slept": .number(JSONNumber(t1 - t0))] as JSON
            },
            InngestFunction(id: "waiter", triggers: [.event("interop/wait.start")]) { ctx in
                let timeout = InngestDuration(ctx.event.data["timeout"]?.stringValue ?? "30s")
                let reply = try await ctx.step.waitForEvent("wait", event: "interop/wait.reply", timeout: timeout,
                                                            match: "data.key")
                return reply.map { $0.data["answer"] ?? .null } ?? .string("timeout")
            },
            child,
            InngestFunction(id: "invoker", triggers: [.event("interop/invoke")]) { ctx in
                let r: ChildResult = try await ctx.step.invoke("call-child", function: child, data: ["x": 21] as JSON,
                                                               timeout: .seconds(30))
                return r
            },
            InngestFunction(id: "sender", triggers: [.event("interop/send")]) { ctx in
                try await ctx.step.sendEvent("emit", InngestEvent(name: "interop/sent", data: ["n": 1]))
            },
            InngestFunction(id: "fanout", triggers: [.event("interop/parallel")]) { ctx in
                let (a, b) = try await ctx.step.parallel(
                    { try await ctx.step.run("p1") { "x" } },
                    { try await ctx.step.run("p2") { "y" } })
                return a + b
            },
            InngestFunction(id: "flaky-step", triggers: [.event("interop/flaky.step")],
                            config: .init(retries: 3)) { ctx in
                let attempt = ctx.attempt
                return try await ctx.step.run("flaky") {
                    if attempt == 0 { throw InteropError(message: "first attempt fails") }
                    return "ok after \(attempt)"
                }
            },
            InngestFunction(id: "flaky-body", triggers: [.event("interop/flaky.body")],
                            config: .init(retries: 3)) { ctx in
                if ctx.attempt == 0 { throw InteropError(message: "body fails once") }
                return "body ok at \(ctx.attempt)"
            },
            InngestFunction(id: "caught", triggers: [.event("interop/caught")], config: .init(retries: 2)) { ctx in
                do {
                    try await ctx.step.run("fatal-step") { () async throws -> Void in throw NonRetriableError("nope") }
                    return "not thrown"
                } catch let error as StepError {
                    return "caught: \(error.message)"
                }
            },
            InngestFunction(id: "doomed", triggers: [.event("interop/doomed")],
                            config: .init(retries: 3, onFailure: { ctx in
                                let failure = ctx.failure
                                await RunTally.shared.note("failure:\(failure?.runId ?? "?")", failure?.message ?? "?")
                            })) { ctx in
                let run = ctx.runId
                try await ctx.step.run("fatal") { () async throws -> Void in
                    await RunTally.shared.hit("\(run):fatal")
                    throw NonRetriableError("doomed on purpose")
                }
            },
            InngestFunction(id: "big-state", triggers: [.event("interop/big")], config: .init(retries: 0)) { ctx in
                // Two 2.5 MB results: the state passes 4 MB, so the server sends use_api.
                let a = try await ctx.step.run("big-a") { String(repeating: "a", count: 2_500_000) }
                let b = try await ctx.step.run("big-b") { String(repeating: "b", count: 2_500_000) }
                let n = try await ctx.step.run("after") { a.count + b.count }
                return n
            },
            slowChild,
            failingChild,
            InngestFunction(id: "invoke-timeout", triggers: [.event("interop/invoke.timeout")]) { ctx in
                do {
                    let _: String = try await ctx.step.invoke("call-slow", function: slowChild, timeout: .seconds(2))
                    return "no timeout"
                } catch let error as StepError {
                    return error.name
                }
            },
            InngestFunction(id: "invoke-failing", triggers: [.event("interop/invoke.failing")]) { ctx in
                do {
                    let _: String = try await ctx.step.invoke("call-failing", function: failingChild)
                    return "no error"
                } catch let error as StepError {
                    return "\(error.name): \(error.message)"
                }
            },
            InngestFunction(id: "racer", triggers: [.event("interop/race")]) { ctx in
                try await ctx.step.race(
                    { try await ctx.step.waitForEvent("never", event: "interop/never", timeout: .seconds(30)) == nil ? "timeout" : "event" },
                    { try await ctx.step.sleep("short", for: .seconds(1)); return "slept" })
            },
            InngestFunction(id: "retry-after", triggers: [.event("interop/retry.after")], config: .init(retries: 2)) { ctx in
                let attempt = ctx.attempt
                let t0 = try await ctx.step.run("t0") { Date().timeIntervalSince1970 }
                let t1 = try await ctx.step.run("busy") {
                    if attempt == 0 { throw RetryAfterError("busy", after: .seconds(3)) }
                    return Date().timeIntervalSince1970
                }
                return ["waited": .number(JSONNumber(t1 - t0)), "attempt": .number(JSONNumber(attempt))] as JSON
            },
            InngestFunction(id: "batch", triggers: [.event("interop/batch")],
                            config: .init(batchEvents: .init(maxSize: 3, timeout: .seconds(20)))) { ctx in
                ctx.events.count
            },
            InngestFunction(id: "wait-if", triggers: [.event("interop/waitif.start")]) { ctx in
                let e = try await ctx.step.waitForEvent("wait", event: "interop/waitif.reply", timeout: .seconds(30),
                                                        if: "async.data.n > 5 && async.data.key == event.data.key")
                return e?.data["n"] ?? .null
            },
            InngestFunction(id: "sleep-until", triggers: [.event("interop/sleep.until")]) { ctx in
                let target = try await ctx.step.run("target") { Date().timeIntervalSince1970 + 2 }
                try await ctx.step.sleepUntil("until", Date(timeIntervalSince1970: target))
                let now = try await ctx.step.run("now") { Date().timeIntervalSince1970 }
                return now >= target - 0.5
            },
            InngestFunction(id: "send-many", triggers: [.event("interop/send.many")]) { ctx in
                try await ctx.step.sendEvent("emit", InngestEvent(name: "interop/many", data: ["i": 1]),
                                             InngestEvent(name: "interop/many", data: ["i": 2]))
            },
            InngestFunction(id: "exhausted", triggers: [.event("interop/exhausted")], config: .init(retries: 1)) { ctx in
                let run = ctx.runId
                await RunTally.shared.hit("\(run):body")
                throw InteropError(message: "always fails")
            },
            InngestFunction(id: "configured", triggers: [.event("interop/configured", if: "event.data.ok == true")],
                            config: .init(retries: 1,
                                          concurrency: [.init(limit: 2), .init(limit: 1, key: "event.data.key", scope: .environment)],
                                          throttle: .init(limit: 10, period: .seconds(1), burst: 2, key: "event.data.key"),
                                          rateLimit: .init(limit: 100, period: .minutes(1), key: "event.data.key"),
                                          priority: .init(run: "event.data.priority"),
                                          idempotency: "event.data.idem",
                                          timeouts: .init(start: .minutes(1), finish: .minutes(2)))) { ctx in
                try await ctx.step.run("ok") { "configured ok" }
            },
            InngestFunction(id: "debounced", triggers: [.event("interop/debounce")],
                            config: .init(debounce: .init(period: .seconds(10), key: "event.data.key"))) { ctx in
                ctx.event.data["i"] ?? .null
            },
            InngestFunction(id: "every-minute", triggers: [.cron("* * * * *"), .cron("TZ=Europe/Paris * * * * *")]) { ctx in
                await RunTally.shared.note("cron", "\(ctx.event.name) \(ctx.event.data["cron"]?.stringValue ?? "?")")
                return ctx.event.name
            },
            InngestFunction(id: "echo", triggers: [.event("interop/echo")]) { ctx in
                let data = ctx.event.data
                let same = try await ctx.step.run("ünïcode step / \"quoted\" \u{1F600}") { data }
                return ["data": data, "memo": same] as JSON
            },
            InngestFunction(id: "timed-out", triggers: [.event("interop/timeout")],
                            config: .init(timeouts: .init(finish: .seconds(2)))) { ctx in
                try await ctx.step.sleep("long", for: .seconds(5))
                return "finished"
            },
            InngestFunction(id: "step-exhausted", triggers: [.event("interop/step.exhausted")], config: .init(retries: 1)) { ctx in
                let run = ctx.runId
                try await ctx.step.run("always") { () async throws -> Void in
                    await RunTally.shared.hit("\(run):always")
                    throw InteropError(message: "always fails")
                }
            },
            InngestFunction(id: "max-attempts", triggers: [.event("interop/max.attempts")], config: .init(retries: 2)) { ctx in
                ["sdk": ctx.maxAttempts.map { .number(JSONNumber($0)) } ?? .null] as JSON
            },
            InngestFunction(id: "cancellable", triggers: [.event("interop/cancellable")],
                            config: .init(cancelOn: [.init(event: "interop/cancel", match: "data.key")])) { ctx in
                try await ctx.step.sleep("long", for: .seconds(60))
                return "not cancelled"
            },
        ] + SignalInterop.functions + CheckpointInterop.functions
    }
}
