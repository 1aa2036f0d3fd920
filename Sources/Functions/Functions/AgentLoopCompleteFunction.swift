import Foundation
import InngestProtocol
import JSON

/// `agent-loop-complete` (`agent/loop.completed`): merges the loop's branch
/// into the configured target branch (without touching any checkout; a
/// conflict changes nothing and is reported), pushes the target branch only
/// when the start event asked, removes the worktree, and records the outcome.
public enum AgentLoopCompleteFunction {
    public static let id = "agent-loop-complete"

    public static func make(_ services: FunctionServices) -> InngestFunction {
        let loop = LoopServices(services)
        return InngestFunction(id: id, name: "Agent loop: complete", triggers: [.event("agent/loop.completed")],
                               config: AgentLoopStage.configuration("complete", services: services)) { (ctx: FunctionContext) async throws -> JSON in
            let loopId = ctx.event.data["loopId"]?.stringValue ?? ""
            let settings = try await ctx.step.run("read-loop") { try loop.settings(loopId) }
            if try await ctx.step.run("check-cancel", { try loop.store.isCancelled(loopId) }) {
                return ["status": "cancelled"] as JSON
            }
            let stories = try await ctx.step.run("read-stories") { try loop.store.stories(loopId).map { "\($0.story.id): \($0.status.rawValue)" } }
            let merge = try await ctx.step.run("merge") {
                try await loop.git(settings.repoRoot).merge(branch: settings.branch, into: settings.targetBranch,
                                                   message: "Merge \(settings.branch) (\(stories.joined(separator: ", ")))")
            }
            var pushed = "not requested"
            if merge.merged && settings.push {
                pushed = try await ctx.step.run("push") { () -> String in
                    do {
                        try await loop.git(settings.repoRoot).push(remote: loop.config.remote, branch: settings.targetBranch)
                        return "pushed"
                    } catch {
                        return "push_failed: \(String("\(error)".prefix(500)))"
                    }
                }
            }
            try await ctx.step.run("remove-worktree") {
                try await loop.git(settings.repoRoot).removeWorktree(path: settings.worktree)
                if merge.merged { try await loop.git(settings.repoRoot).deleteBranch(settings.branch) }
            }
            let status = merge.merged ? "merged" : merge.reason == "no_new_commits" ? "completed" : "merge-failed"
            let pushResult = pushed
            try await ctx.step.run("record-outcome") {
                try loop.store.setStatus(loopId, status, reason: merge.merged ? nil : merge.reason,
                                         summary: ctx.event.data["summary"]?.stringValue, now: loop.now)
                try loop.store.appendProgress(loopId, "## Loop finished: \(status)\n- Merge: \(merge.reason)\n- Push: \(pushResult)", now: loop.now)
            }
            try await ctx.step.run("notify-gateway") {
                await services.notify(merge.merged ? "loop.complete" : "loop.failed", [
                    "loopId": .string(loopId), "storiesCompleted": ctx.event.data["storiesCompleted"] ?? .null,
                    "storiesFailed": ctx.event.data["storiesFailed"] ?? .null, "reason": .string(merge.reason)])
            }
            return ["status": .string(status), "merge": try JSON(encoding: merge), "push": .string(pushed),
                    "branchName": .string(settings.branch), "into": .string(settings.targetBranch)] as JSON
        }
    }
}
