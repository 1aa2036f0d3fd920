import Foundation
import InngestProtocol
import JSON

/// `agent-loop-plan`: on `agent/loop.started` it records the loop, adds its
/// worktree and branch, and reads (or asks the LLM for) the PRD; on every
/// `story.passed`/`story.failed` it picks the next story, claims it and
/// dispatches it, or announces `agent/loop.completed` when none is left.
public enum AgentLoopPlanFunction {
    public static let id = "agent-loop-plan"

    struct StartInput: Decodable {
        var loopId: String
        var project: String
        var prdPath: String?
        var goal: String?
        var context: [String]?
        var maxRetries: Int?
        var maxIterations: Int?
        var push: Bool?
        var originSession: String?
        var retryLadder: [String]?
        var toolAssignments: [String: ToolAssignment]?
        struct ToolAssignment: Decodable { var implementor: String? }
    }

    struct Next: Codable, Sendable {
        enum Action: String, Codable { case dispatch, complete, cancelled }
        var action: Action
        var storyId: String?
        var tool: String?
        var runToken: String?
        var completed: Int
        var failed: Int
        var summary: String?
    }

    public static func make(_ services: FunctionServices) -> InngestFunction {
        let loop = LoopServices(services)
        return InngestFunction(
            id: id, name: "Agent loop: plan",
            triggers: [.event("agent/loop.started"), .event("agent/loop.story.passed"), .event("agent/loop.story.failed")],
            config: AgentLoopStage.configuration("plan", services: services)
        ) { (ctx: FunctionContext) async throws -> JSON in
            let settings: LoopSettings
            if ctx.event.name == "agent/loop.started" {
                let input = try FunctionInput.decode(StartInput.self, from: ctx.event)
                settings = try await ctx.step.run("create-loop") { try await LoopStart.create(input, loop) }
                try await ctx.step.run("create-worktree") {
                    try await loop.git(settings.repoRoot).addWorktree(path: settings.worktree, branch: settings.branch)
                }
                let count = try await ctx.step.run("read-prd") { try await LoopStart.readPRD(input, settings, loop) }
                ctx.logger.info("[agent-loop] \(settings.loopId) started: \(count) stories")
            } else {
                let loopId = ctx.event.data["loopId"]?.stringValue ?? ""
                settings = try await ctx.step.run("read-loop") { try loop.settings(loopId) }
            }

            let token = "event:" + (ctx.event.id ?? ctx.runId)
            let next = try await ctx.step.run("next-story") { try pickNext(settings, token: token, loop) }
            switch next.action {
            case .cancelled:
                return ["status": "cancelled"] as JSON
            case .complete:
                _ = try await ctx.step.sendEvent("emit-complete", InngestEvent(name: "agent/loop.completed", data: [
                    "loopId": .string(settings.loopId), "project": .string(settings.project), "summary": .string(next.summary ?? ""),
                    "storiesCompleted": .number(JSONNumber(next.completed)), "storiesFailed": .number(JSONNumber(next.failed)),
                    "cancelled": false, "branchName": .string(settings.branch)]))
                return ["status": "complete", "summary": .string(next.summary ?? "")] as JSON
            case .dispatch:
                let event = AgentLoopStage.StoryEvent(loopId: settings.loopId, storyId: next.storyId!, attempt: 1, tool: next.tool!,
                                                      runToken: next.runToken!)
                _ = try await ctx.step.sendEvent("emit-dispatch", InngestEvent(name: "agent/loop.story.dispatched", data: try event.json()))
                return ["status": "dispatched", "storyId": .string(next.storyId!), "tool": .string(next.tool!)] as JSON
            }
        }
    }

    /// The next pending story in plan order, claimed for this run; or the
    /// loop's end when nothing is left or the iteration budget is spent.
    static func pickNext(_ settings: LoopSettings, token: String, _ loop: LoopServices) throws -> Next {
        if try loop.store.isCancelled(settings.loopId) { return Next(action: .cancelled, completed: 0, failed: 0) }
        let stories = try loop.store.stories(settings.loopId)
        let completed = stories.filter { $0.status == .passed }.count, failed = stories.filter { $0.status == .failed }.count
        let remaining = stories.filter { $0.status == .pending || $0.status == .running }
        if completed + failed >= settings.maxIterations || remaining.isEmpty {
            let why = remaining.isEmpty ? "All stories processed." : "max_iterations_reached (\(settings.maxIterations))."
            return Next(action: .complete, completed: completed, failed: failed,
                        summary: "\(why) \(completed) completed, \(failed) failed.")
        }
        let story = remaining[0].story
        guard try loop.store.claim(settings.loopId, story.id, token: token, seconds: loop.config.leaseSeconds, now: loop.now) else {
            // Another run holds the story: a duplicate delivery; that run carries the loop on.
            return Next(action: .cancelled, completed: completed, failed: failed)
        }
        let tool = settings.tool(storyId: story.id, attempt: 1)
        try loop.store.updateStory(settings.loopId, story.id, status: .running, tool: tool)
        return Next(action: .dispatch, storyId: story.id, tool: tool, runToken: token, completed: completed, failed: failed)
    }
}
