import Foundation
import InngestProtocol
import JSON

/// `agent-loop-test-writer` (`agent/loop.story.dispatched`): the story's
/// tool writes acceptance tests in the loop's worktree; the new test files
/// are committed once, then implement is asked for.
public enum AgentLoopTestWriterFunction {
    public static let id = "agent-loop-test-writer"

    public static func make(_ services: FunctionServices) -> InngestFunction {
        let loop = LoopServices(services)
        return InngestFunction(id: id, name: "Agent loop: write tests", triggers: [.event("agent/loop.story.dispatched")],
                               config: AgentLoopStage.configuration("test-writer", services: services)) { (ctx: FunctionContext) async throws -> JSON in
            let e = try FunctionInput.decode(AgentLoopStage.StoryEvent.self, from: ctx.event).validated()
            guard try await AgentLoopStage.guardStory(ctx, loop, e, step: "check-claim") else { return ["status": "stopped"] as JSON }
            let settings = try await ctx.step.run("read-loop") { try loop.settings(e.loopId) }
            let message = LoopPrompts.testsCommitMessage(loopId: e.loopId, storyId: e.storyId)

            let before = try await ctx.step.run("snapshot-untracked") { try await loop.git(settings.workDir).untrackedFiles() }
            let result = try await ctx.step.run("write-tests") { () -> TestsResult in
                if let sha = try await loop.git(settings.worktree).findCommit(containing: message) {
                    return TestsResult(commit: sha, files: [], tool: nil)
                }
                guard let record = try loop.store.story(e.loopId, e.storyId) else { throw LoopError.invalid("story \(e.storyId)") }
                let outcome = try await loop.tools(for: e.loopId).run(tool: e.tool, prompt: LoopPrompts.testWriter(record.story),
                                                                      workDir: settings.workDir, name: "\(e.storyId)-tests")
                if outcome.status == .cancelled { return TestsResult(commit: nil, files: [], tool: outcome) }
                let seen = Set(before)
                let files = try await loop.git(settings.workDir).untrackedFiles().filter { !seen.contains($0) && isTestPath($0) }.sorted()
                let sha = try await loop.git(settings.workDir).commit(files, message: message)
                return TestsResult(commit: sha, files: files, tool: outcome)
            }
            if result.tool?.status == .cancelled { return ["status": "cancelled"] as JSON }
            _ = try await ctx.step.sendEvent("emit-tests-written", InngestEvent(name: "agent/loop.tests.written", data: try e.json()))
            return ["status": "tests-written", "storyId": .string(e.storyId), "testFiles": .array(result.files.map(JSON.string))] as JSON
        }
    }

    struct TestsResult: Codable, Sendable {
        var commit: String?
        var files: [String]
        var tool: ToolOutcome?
    }

    /// Test files by the usual conventions: a `test`/`tests`/`__tests__`/`spec`
    /// directory, or a name like `test_x.py`, `x_test.go`, `x.test.ts`, `XTests.swift`.
    static func isTestPath(_ path: String) -> Bool {
        let parts = path.lowercased().split(separator: "/")
        guard let name = parts.last else { return false }
        if parts.dropLast().contains(where: { ["test", "tests", "__tests__", "spec", "specs"].contains($0) }) { return true }
        return name.hasPrefix("test_") || name.contains("_test.") || name.contains(".test.") || name.contains(".spec.")
            || name.contains("tests.") || name.hasPrefix("test-")
    }
}
