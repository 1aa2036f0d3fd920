import Foundation
import InngestProtocol
import JSON

/// `agent-loop-judge` (`agent/loop.checks.completed`): the checks and then
/// the LLM decide. A pass marks the story passed; a failure with attempts
/// left retries implement with the next tool of the ladder; the last
/// failure marks the story failed (NEEDS HUMAN REVIEW). Either end hands the
/// loop back to the planner for the next story.
public enum AgentLoopJudgeFunction {
    public static let id = "agent-loop-judge"

    public static func make(_ services: FunctionServices) -> InngestFunction {
        let loop = LoopServices(services)
        return InngestFunction(id: id, name: "Agent loop: judge", triggers: [.event("agent/loop.checks.completed")],
                               config: AgentLoopStage.configuration("judge", services: services)) { (ctx: FunctionContext) async throws -> JSON in
            let e = try FunctionInput.decode(AgentLoopStage.StoryEvent.self, from: ctx.event).validated()
            guard try await AgentLoopStage.guardStory(ctx, loop, e, step: "check-claim") else { return ["status": "stopped"] as JSON }
            let settings = try await ctx.step.run("read-loop") { try loop.settings(e.loopId) }
            let checks = e.checks ?? CheckReport(results: [], testsPassed: 0, testsFailed: 0)

            let verdict = try await ctx.step.run("judge") { () -> JudgeVerdict in
                guard let record = try loop.store.story(e.loopId, e.storyId) else { throw LoopError.invalid("story \(e.storyId)") }
                let diff = try await loop.git(settings.worktree).diff(since: settings.targetBranch)
                return await loop.judge.judge(story: record.story, checks: checks, diff: diff,
                                              toolProblems: e.toolProblem.map { [$0] } ?? [], reviewer: e.reviewerNotes)
            }
            let title = try await ctx.step.run("read-title") { try loop.store.story(e.loopId, e.storyId)?.story.title ?? e.storyId }
            let header = "**Story \(e.storyId): \(title)**"
            let stamp = TimeFormat.iso8601(services.now())
            var next = JSONObject([("loopId", .string(e.loopId)), ("storyId", .string(e.storyId)), ("attempt", .number(JSONNumber(e.attempt)))])

            if verdict.passed {
                try await ctx.step.run("record-pass") {
                    try loop.store.updateStory(e.loopId, e.storyId, status: .passed, attempt: e.attempt, tool: e.tool, result: "passed")
                    try loop.store.appendProgress(e.loopId, "### \(stamp)\n\(header) — PASSED (attempt \(e.attempt))\n- Tool: \(e.tool)\n- Tests passed: \(checks.testsPassed)", now: loop.now)
                    try loop.store.release(e.loopId, e.storyId)
                }
                _ = try await ctx.step.sendEvent("emit-story-pass", InngestEvent(name: "agent/loop.story.passed", data: .object(next)))
                return ["status": "passed"] as JSON
            }
            if e.attempt < settings.maxRetries {
                let retry = AgentLoopStage.StoryEvent(loopId: e.loopId, storyId: e.storyId, attempt: e.attempt + 1,
                                                      tool: settings.tool(storyId: e.storyId, attempt: e.attempt + 1),
                                                      runToken: e.runToken, feedback: String(verdict.feedback.prefix(8000)))
                try await ctx.step.run("record-retry") {
                    try loop.store.updateStory(e.loopId, e.storyId, status: .running, attempt: e.attempt, result: "attempt \(e.attempt) failed: \(verdict.reasoning.prefix(200))")
                    try loop.store.appendProgress(e.loopId, "### \(stamp)\n\(header) — RETRY (attempt \(e.attempt) failed)\n- Tool: \(e.tool)\n- Next: \(retry.tool)", now: loop.now)
                }
                _ = try await ctx.step.sendEvent("emit-retry-implement", InngestEvent(name: "agent/loop.story.retried", data: try retry.json()))
                return ["status": "retry", "nextTool": .string(retry.tool)] as JSON
            }
            try await ctx.step.run("record-failure") {
                let last = String(verdict.feedback.prefix(500))
                try loop.store.updateStory(e.loopId, e.storyId, status: .failed, attempt: e.attempt, tool: e.tool, result: "failed: NEEDS HUMAN REVIEW")
                try loop.store.appendProgress(e.loopId, "### \(stamp)\n\(header) — FAILED (after \(e.attempt) attempts)\n- Tool: \(e.tool)\n- Last results: \(last)\n- ⚠️ NEEDS HUMAN REVIEW", now: loop.now)
                try loop.store.addLesson("\(e.storyId) (\(title)) failed after \(e.attempt) attempts: \(last.prefix(300))", projectKey: settings.projectKey, now: loop.now)
                try loop.store.release(e.loopId, e.storyId)
            }
            next["reason"] = .string("Failed after \(e.attempt) attempts. \(verdict.feedback.prefix(500))")
            _ = try await ctx.step.sendEvent("emit-story-fail", InngestEvent(name: "agent/loop.story.failed", data: .object(next)))
            return ["status": "failed"] as JSON
        }
    }
}
