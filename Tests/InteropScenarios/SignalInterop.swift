import Foundation
import InngestProtocol
import JSON

/// `step.waitForSignal` and `sendSignal` (`POST /v1/signals`) through the server:
/// one function that waits for the signal its event names, one that sends it
/// from a step (`step.sendSignal`), and one scenario that checks a signal's
/// delivery from a client and from a step, a timeout, and both conflict modes.
enum SignalInterop {
    static let functions = [
        InngestFunction(id: "signal-waiter", triggers: [.event("interop/signal.wait")]) { ctx in
            let data = ctx.event.data
            let got = try await ctx.step.waitForSignal(
                "wait", signal: data["signal"]?.stringValue ?? "", timeout: InngestDuration(data["timeout"]?.stringValue ?? "30s"),
                onConflict: data["replace"]?.boolValue == true ? .replace : .fail)
            return got.map { ["signal": .string($0.signal), "data": $0.data] as JSON } ?? .string("timeout")
        },
        InngestFunction(id: "signal-sender", triggers: [.event("interop/signal.send")]) { ctx -> String in
            try await ctx.step.sendSignal("send", signal: ctx.event.data["signal"]?.stringValue ?? "", data: "from a step") ?? "nobody"
        },
    ]

    static let scenarios = [
        Scenario("waitForSignal: delivered, timed out, conflicts") { c in
            // Waits outlast the newest server's delay in listing a run (about 15 s) several times over.
            func wait(_ signal: String, timeout: String = "2m", replace: Bool = false) async throws -> String {
                let event = try await c.send("interop/signal.wait", ["signal": .string(signal), "timeout": .string(timeout),
                                                                     "replace": .bool(replace)])
                _ = try await c.api.startedRun(ofEvent: event)
                try await Task.sleep(nanoseconds: 2_000_000_000) // the pause is stored after the run's first call
                return event
            }
            /// Sends until a run takes the signal (its pause may be stored a moment after the run started).
            func signal(_ name: String, _ data: JSON) async throws -> String {
                for _ in 0..<20 {
                    if let run = try await c.inngest.sendSignal(name, data: data) { return run }
                    try await Task.sleep(nanoseconds: 500_000_000)
                }
                throw InteropError(message: "no run took signal \(name)")
            }
            // Delivered: the run gets the signal's name and data; the answer names the run.
            let delivered = try await wait("d\(c.key)")
            let taker = try await signal("d\(c.key)", ["ok": true])
            let run = try await c.api.endedRun(ofEvent: delivered)
            try c.expect(taker == run.id, "POST /v1/signals answered run \(taker), the waiting run is \(run.id)")
            let out = try c.completed(run)
            try c.expect(Checks.same(out, ["signal": .string("d\(c.key)"), "data": ["ok": true]]), "output \(out.serialized())")
            // From a step: step.sendSignal resumes the waiting run and answers its id
            // (sent again while the pause is not stored yet: "nobody").
            let waiting = try await wait("s\(c.key)")
            var sentTo: JSON = "nobody"
            for _ in 0..<10 where sentTo == "nobody" {
                let sender = try await c.send("interop/signal.send", ["signal": .string("s\(c.key)")])
                sentTo = try c.completed(try await c.api.endedRun(ofEvent: sender))
            }
            let waiter = try await c.api.endedRun(ofEvent: waiting)
            try c.expect(sentTo == .string(waiter.id), "step.sendSignal answered \(sentTo.serialized()), the waiting run is \(waiter.id)")
            let received = try c.completed(waiter)
            try c.expect(Checks.same(received, ["signal": .string("s\(c.key)"), "data": "from a step"]), "step-sent output \(received.serialized())")
            // Timed out: nil, and a late signal finds nobody (404 -> nil).
            let timedOut = try await c.send("interop/signal.wait", ["signal": .string("t\(c.key)"), "timeout": "3s"])
            let late = try c.completed(try await c.api.endedRun(ofEvent: timedOut))
            try c.expect(late == "timeout", "timeout output \(late.serialized())")
            let nobody = try await c.inngest.sendSignal("t\(c.key)")
            try c.expect(nobody == nil, "a signal nobody waits for resumed \(nobody ?? "")")
            // Conflict "fail": the second waiter fails at once; the first keeps the signal.
            let holder = try await wait("c\(c.key)")
            let loser = try await c.send("interop/signal.wait", ["signal": .string("c\(c.key)")])
            let lost = try await c.api.endedRun(ofEvent: loser, deadline: 30)
            // The server reports the error as the run's output, the embedded engine as its `error`.
            let record = try await c.api.get("/v1/runs/\(lost.id)")["data"]?.serialized() ?? ""
            try c.expect(lost.status == "Failed" && record.contains("Signal conflict"),
                         "second waiter ended \(lost.status): \(record.prefix(300))")
            _ = try await signal("c\(c.key)", 1)
            try c.expect(Checks.same(try c.completed(try await c.api.endedRun(ofEvent: holder))["data"], 1), "holder's output")
            // Conflict "replace": the new waiter takes the signal; the old one waits out its timeout.
            let replaced = try await wait("r\(c.key)", timeout: "60s")
            let replacer = try await wait("r\(c.key)", replace: true)
            _ = try await signal("r\(c.key)", 2)
            try c.expect(Checks.same(try c.completed(try await c.api.endedRun(ofEvent: replacer))["data"], 2), "replacer's output")
            let old = try c.completed(try await c.api.endedRun(ofEvent: replaced, deadline: 120))
            try c.expect(old == "timeout", "the replaced waiter's output \(old.serialized())")
            return "delivered to \(taker), from a step to \(waiter.id); nil after 3 s and a late signal found nobody; fail: \(lost.status); replace: the old wait timed out"
        },
    ]
}
