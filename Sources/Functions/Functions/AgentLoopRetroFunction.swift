import Foundation
import InngestProtocol
import JSON

/// `agent-loop-retro` (`agent/loop.completed`): writes the loop's
/// retrospective to `<vault>/system/retrospectives/<loopId>.md` (the facts
/// from the state store, then the LLM's analysis and narrative when it gives
/// them; without them the note is still written) and stores
/// the recommendations (tool rankings, a suggested retry ladder) under the
/// project's key, where the next loop's planner reads them.
public enum AgentLoopRetroFunction {
    public static let id = "agent-loop-retro"

    public static func make(_ services: FunctionServices) -> InngestFunction {
        let loop = LoopServices(services)
        return InngestFunction(id: id, name: "Agent loop: retro", triggers: [.event("agent/loop.completed")],
                               config: AgentLoopStage.configuration("retro", services: services)) { (ctx: FunctionContext) async throws -> JSON in
            let loopId = ctx.event.data["loopId"]?.stringValue ?? ""
            let settings = try await ctx.step.run("read-loop") { try loop.settings(loopId) }
            let summary = ctx.event.data["summary"]?.stringValue ?? ""
            /// The loop as the state store has it now (each step reads it afresh).
            @Sendable func retrospective() throws -> LoopRetrospective {
                LoopRetrospective(loopId: loopId, project: settings.project, summary: summary, stories: try loop.store.stories(loopId),
                                  progress: try loop.store.progress(loopId), date: loop.now, startedAt: try loop.store.loop(loopId)?.createdAt)
            }
            let reflection = try await ctx.step.run("llm-reflection") { () -> LoopReflection in
                await LoopReflection.ask(services.llm, about: try retrospective())
            }
            if let problem = reflection.error { ctx.logger.warn("[agent-loop] \(loopId): retrospective without reflection: \(problem)") }
            let notePath = try await ctx.step.run("write-retrospective") { () -> String in
                try services.vault.write("system/retrospectives/\(loopId).md", try retrospective().note(with: reflection))
            }
            let recommendations = try await ctx.step.run("store-recommendations") { () -> LoopRecommendations in
                let retro = try retrospective()
                try loop.store.saveRecommendations(retro.recommendations, patterns: retro.codebasePatterns, projectKey: settings.projectKey, now: loop.now)
                return retro.recommendations
            }
            _ = try await ctx.step.sendEvent("emit-retro-complete", InngestEvent(name: "agent/loop.retro.completed", data: [
                "loopId": .string(loopId), "project": .string(settings.project), "note": .string(notePath),
                "recommendations": try JSON(encoding: recommendations)]))
            return ["status": "retro-complete", "note": .string(notePath),
                    "suggestedRetryLadder": .array(recommendations.suggestedRetryLadder.map(JSON.string))] as JSON
        }
    }
}
