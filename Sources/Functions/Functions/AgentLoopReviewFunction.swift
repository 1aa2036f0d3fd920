import InngestProtocol
import JSON

/// `agent-loop-review` (`agent/loop.code.committed`): runs the project's
/// configured checks (type check, lint, tests) in the worktree and hands
/// their exit codes and test counts to the judge.
public enum AgentLoopReviewFunction {
    public static let id = "agent-loop-review"

    public static func make(_ services: FunctionServices) -> InngestFunction {
        let loop = LoopServices(services)
        return InngestFunction(id: id, name: "Agent loop: review", triggers: [.event("agent/loop.code.committed")],
                               config: AgentLoopStage.configuration("review", services: services)) { (ctx: FunctionContext) async throws -> JSON in
            let e = try FunctionInput.decode(AgentLoopStage.StoryEvent.self, from: ctx.event).validated()
            guard try await AgentLoopStage.guardStory(ctx, loop, e, step: "check-claim") else { return ["status": "stopped"] as JSON }
            let settings = try await ctx.step.run("read-loop") { try loop.settings(e.loopId) }
            let report = try await ctx.step.run("run-checks") {
                await loop.checks.run(loop.config.checks(for: settings.projectKey), in: settings.workDir)
            }
            var judged = e
            judged.checks = report
            _ = try await ctx.step.sendEvent("emit-judge", InngestEvent(name: "agent/loop.checks.completed", data: try judged.json()))
            return ["status": "reviewed", "testsPassed": .number(JSONNumber(report.testsPassed)),
                    "testsFailed": .number(JSONNumber(report.testsFailed)), "failures": .array(report.failures.map(JSON.string))] as JSON
        }
    }
}
