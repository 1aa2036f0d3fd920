import InngestProtocol
import JSON

/// `agent-loop-review` (`agent/loop.code.committed`): runs the project's
/// configured checks (type check, lint, tests) in the worktree, asks the
/// reviewer's questions about the attempt's diff (new tests? real, truthful,
/// accomplishing the story?), and hands both to the judge.
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
            let notes = try await ctx.step.run("ask-reviewer") { () -> ReviewerNotes in
                guard let record = try loop.store.story(e.loopId, e.storyId) else { throw LoopError.invalid("story \(e.storyId)") }
                let diff = try await loop.git(settings.worktree).diff(since: settings.targetBranch)
                return await loop.reviewer.review(story: record.story, diff: diff, worktree: settings.worktree)
            }
            var judged = e
            judged.checks = report
            judged.reviewerNotes = notes
            _ = try await ctx.step.sendEvent("emit-judge", InngestEvent(name: "agent/loop.checks.completed", data: try judged.json()))
            return ["status": "reviewed", "testsPassed": .number(JSONNumber(report.testsPassed)),
                    "testsFailed": .number(JSONNumber(report.testsFailed)), "failures": .array(report.failures.map(JSON.string)),
                    "reviewerRedFlags": .array(notes.redFlags.map(JSON.string))] as JSON
        }
    }
}
