import Foundation
import InngestProtocol
import JSON

/// `agent-loop-implement` (`agent/loop.tests.written`, `agent/loop.story.retried`):
/// the attempt's tool implements the story in the worktree and the result
/// is committed as `feat: [loop] [story] attempt-n — title`. A commit with
/// that message found by a fixed-string search means the attempt already
/// ran (a crash after committing), so the tool is not run twice.
public enum AgentLoopImplementFunction {
    public static let id = "agent-loop-implement"

    public static func make(_ services: FunctionServices) -> InngestFunction {
        let loop = LoopServices(services)
        return InngestFunction(id: id, name: "Agent loop: implement",
                               triggers: [.event("agent/loop.tests.written"), .event("agent/loop.story.retried")],
                               config: AgentLoopStage.configuration("implement", services: services)) { (ctx: FunctionContext) async throws -> JSON in
            let e = try FunctionInput.decode(AgentLoopStage.StoryEvent.self, from: ctx.event).validated()
            guard try await AgentLoopStage.guardStory(ctx, loop, e, step: "check-claim") else { return ["status": "stopped"] as JSON }
            let settings = try await ctx.step.run("read-loop") { try loop.settings(e.loopId) }

            let attempt = try await ctx.step.run("implement") { () -> Attempt in
                guard let record = try loop.store.story(e.loopId, e.storyId) else { throw LoopError.invalid("story \(e.storyId)") }
                let marker = LoopPrompts.attemptMarker(loopId: e.loopId, storyId: e.storyId, attempt: e.attempt) + " —"
                if let sha = try await loop.git(settings.worktree).findCommit(containing: marker) {
                    return Attempt(sha: sha, tool: nil, reused: true)
                }
                try loop.store.updateStory(e.loopId, e.storyId, status: .running, attempt: e.attempt, tool: e.tool)
                let prompt = try prompt(record.story, feedback: e.feedback, settings: settings, loop)
                let outcome = try await loop.tools(for: e.loopId).run(tool: e.tool, prompt: prompt, workDir: settings.workDir,
                                                                      name: "\(e.storyId)-\(e.attempt)")
                if outcome.status == .cancelled { return Attempt(sha: nil, tool: outcome, reused: false) }
                let message = LoopPrompts.attemptCommitMessage(loopId: e.loopId, storyId: e.storyId, attempt: e.attempt, title: record.story.title)
                var sha = try await loop.git(settings.worktree).commitAll(message: message)
                if sha == nil { sha = try await loop.git(settings.worktree).head() }  // the tool changed nothing
                return Attempt(sha: sha, tool: outcome, reused: false)
            }
            if attempt.tool?.status == .cancelled { return ["status": "cancelled"] as JSON }
            var committed = e
            committed.commitSha = attempt.sha
            committed.feedback = nil
            if let tool = attempt.tool, !tool.succeeded {
                // Still reviewed (the checks show what state it left), but the judge fails the attempt.
                committed.toolProblem = "The \(tool.tool) run ended \(tool.status.rawValue)\(tool.exitCode.map { " (exit \($0))" } ?? "")."
            }
            _ = try await ctx.step.sendEvent("emit-review", InngestEvent(name: "agent/loop.code.committed", data: try committed.json()))
            return ["status": "implemented", "storyId": .string(e.storyId), "attempt": .number(JSONNumber(e.attempt)),
                    "sha": attempt.sha.map(JSON.string) ?? .null, "reused": .bool(attempt.reused)] as JSON
        }
    }

    struct Attempt: Codable, Sendable {
        var sha: String?
        var tool: ToolOutcome?
        var reused: Bool
    }

    /// The implementor's prompt with what this project's earlier loops left
    /// (patterns, recommendations, lessons) and a look at the project.
    static func prompt(_ story: LoopStory, feedback: String?, settings: LoopSettings, _ loop: LoopServices) throws -> String {
        let saved = try loop.store.recommendations(projectKey: settings.projectKey)
        let recommendations = try saved.recommendations.map { try JSON(encoding: $0).serialized() }
        let listing = ((try? FileManager.default.contentsOfDirectory(atPath: settings.workDir)) ?? []).filter { $0 != ".git" }.sorted()
        let instructions = ["CLAUDE.md", "AGENTS.md"].map { name in
            (name: name, text: FileManager.default.contents(atPath: settings.workDir + "/" + name).map { String(decoding: $0.prefix(4000), as: UTF8.self) } ?? "")
        }
        return LoopPrompts.implement(story, feedback: feedback, patterns: saved.patterns, recommendations: recommendations,
                                     lessons: try loop.store.lessons(projectKey: settings.projectKey, limit: 5),
                                     fileListing: listing, instructions: instructions)
    }
}
