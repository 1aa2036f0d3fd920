import Foundation
import InngestProtocol
import JSON

/// Async checkpointing through the server: a function with `Checkpointing`
/// whose three steps run in one call, each saved with
/// `POST /v1/checkpoint/{runId}/async`, then a sleep that hands back to the
/// server, then one more step.
enum CheckpointInterop {
    static let functions = [
        InngestFunction(id: "checkpointed", triggers: [.event("interop/checkpointed")],
                        config: .init(checkpointing: .init())) { ctx in
            let run = ctx.runId
            let a = try await ctx.step.run("a") { await RunTally.shared.hit("\(run):cp-a"); return 1 }
            let b = try await ctx.step.run("b") { await RunTally.shared.hit("\(run):cp-b"); return a + 1 }
            let c = try await ctx.step.run("c") { b + 1 }
            try await ctx.step.sleep("pause", for: .seconds(1))
            let d = try await ctx.step.run("d") { c + 1 }
            return ["sum": .number(JSONNumber(a + b + c + d)),
                    "aRuns": .number(JSONNumber(await RunTally.shared.count("\(run):cp-a"))),
                    "bRuns": .number(JSONNumber(await RunTally.shared.count("\(run):cp-b")))] as JSON
        },
    ]

    static let scenarios = [
        Scenario("checkpointing: steps run back to back in one call") { c in
            let event = try await c.send("interop/checkpointed")
            let run = try await c.api.endedRun(ofEvent: event, deadline: 90)
            let out = try c.completed(run)
            try c.expect(out["sum"] == 10 && out["aRuns"] == 1 && out["bRuns"] == 1, "output \(out.serialized())")
            // One call ran a, b and c and answered the sleep; the next ran d and returned.
            // Had the server refused the checkpoints, each step would have been its own call.
            let answers = await RunTally.shared.logged("wire:ops:\(run.id)")
            try c.expect(answers == ["Sleep", "200"], "the calls were answered with \(answers), expected [Sleep, 200]")
            return "2 calls for 4 steps and a sleep; the server memoised the checkpointed steps (each ran once)"
        },
    ]
}
