import Foundation
import InngestProtocol
import JSON

/// What every agent-loop stage shares: its configuration (4 retries, one run
/// at a time per loop, cancelled by `agent/loop.cancelled` for the same
/// loop, and a failure handler that announces `agent/loop.function.failed`),
/// the data the stage events carry, and the story guard. See docs/agent-loop.md.
enum AgentLoopStage {
    static func configuration(_ stage: String, services: FunctionServices) -> FunctionConfiguration {
        FunctionConfiguration(
            retries: 4,
            concurrency: [.init(limit: 1, key: "event.data.loopId")],
            cancelOn: [.init(event: "agent/loop.cancelled", match: "data.loopId")],
            onFailure: { ctx in
                let original = ctx.failure?.event
                let message = ctx.failure?.message ?? "unknown error"
                var data = JSONObject([("loopId", original?.data["loopId"] ?? .null), ("functionName", .string(stage))])
                if let story = original?.data["storyId"] { data["storyId"] = story }
                data["error"] = .string(message)
                data["timestamp"] = .string(TimeFormat.iso8601(services.now()))
                _ = try await ctx.step.sendEvent("emit-loop-function-failed", InngestEvent(name: "agent/loop.function.failed", data: .object(data)))
                ctx.logger.error("[agent-loop-\(stage)] FAILED: \(message)")
            })
    }

    /// The data of the events between stages: ids and the attempt, never paths
    /// or commands (those come from the loop's stored settings).
    struct StoryEvent: Codable, Sendable {
        var loopId: String
        var storyId: String
        var attempt: Int
        var tool: String
        var runToken: String
        var feedback: String?
        var commitSha: String?
        /// Set by implement when the coding tool did not exit 0 (failed,
        /// timed out, missing): the judge counts that attempt as failed.
        var toolProblem: String?
        var checks: CheckReport?
        /// The reviewer's questions about the attempt (informational for the judge).
        var reviewerNotes: ReviewerNotes?

        func validated() throws -> StoryEvent {
            guard LoopIdentifier.isValid(loopId), LoopIdentifier.isValid(storyId), LoopIdentifier.isValid(tool),
                  attempt >= 1, attempt <= 100 else {
                throw NonRetriableError("agent loop event with invalid loopId/storyId/tool/attempt")
            }
            return self
        }

        func json() throws -> JSON { try JSON(encoding: self) }
    }

    /// Checks that this run still owns the story. A stage that may not go on
    /// ends the loop visibly (status `blocked`, an `agent/loop.blocked` event
    /// and a log line) instead of silently stopping the chain; a cancelled
    /// loop or a duplicate delivery for a finished story just stops.
    static func guardStory(_ ctx: FunctionContext, _ loop: LoopServices, _ e: StoryEvent, step: String) async throws -> Bool {
        let verdict = try await ctx.step.run(step) {
            try loop.store.check(e.loopId, e.storyId, token: e.runToken, seconds: loop.config.leaseSeconds, now: loop.now)
        }
        switch verdict {
        case .ok: return true
        case .cancelled, .alreadyFinished:
            ctx.logger.info("[agent-loop] \(e.loopId)/\(e.storyId): \(verdict.rawValue), stopping")
            return false
        case .leaseExpired, .alreadyClaimed:
            try await ctx.step.run("\(step)-blocked") {
                try loop.store.setStatus(e.loopId, "blocked", reason: "\(e.storyId): \(verdict.rawValue)", now: loop.now)
                try loop.base.log(id: "loop:\(e.loopId):blocked:\(e.storyId)", action: "blocked", tool: "agent-loop",
                                  detail: "loop \(e.loopId) stopped at story \(e.storyId)", reason: verdict.rawValue)
            }
            ctx.logger.error("[agent-loop] \(e.loopId) blocked at \(e.storyId): \(verdict.rawValue)")
            _ = try await ctx.step.sendEvent("emit-blocked", InngestEvent(name: "agent/loop.blocked", data: [
                "loopId": .string(e.loopId), "storyId": .string(e.storyId), "reason": .string(verdict.rawValue)]))
            return false
        }
    }
}
