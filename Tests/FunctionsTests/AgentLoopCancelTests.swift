import Foundation
import JSON
import Testing
import TestSupport
@testable import Functions
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension ExternalTools.AgentLoopTests {
    /// True while a process with this id exists (and is not a zombie we could reap).
    static func alive(_ pid: Int32) -> Bool { kill(pid, 0) == 0 }

    static func pids(_ path: String) -> [Int32] {
        ((try? String(contentsOfFile: path, encoding: .utf8)) ?? "").split(whereSeparator: { $0 == " " || $0 == "\n" }).compactMap { Int32($0) }
    }

    @Test func cancelWhileAToolRunsKillsItsProcessGroupAndNothingLaterRuns() async throws {
        let fx = try await AgentLoopFixture(tools: ["codex": ["hang", "--pids", "{dir}/agent.pids"]])
        let pidFile = fx.harness.dir.file("agent.pids")
        try fx.writePRD(stories: [("ADD-1", "add")])
        let chain = try await EngineChain(fx.harness)
        let started = await fx.cli(["loop", "start", fx.project], engine: chain.engine.baseURL)
        let loopId = started.out.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(await eventually(timeout: 30) { Self.pids(pidFile).count == 2 }, "the stand-in agent never started")
        let pids = Self.pids(pidFile)
        #expect(pids.allSatisfy(Self.alive))

        let cancelled = await fx.cli(["loop", "cancel", loopId, "testing cancel"], engine: chain.engine.baseURL)
        #expect(cancelled.code == .success, "\(cancelled.err)")
        // The agent and its child (the whole group) are gone.
        #expect(await eventually { !pids.contains(where: Self.alive) }, "still running: \(pids.filter(Self.alive))")

        let runs = try await chain.settled(expected: 2)
        await chain.stop()
        #expect(Set(runs.map(\.function)) == ["agent-loop-plan", "agent-loop-test-writer"], "\(runs)")
        let writer = try #require(runs.first { $0.function == "agent-loop-test-writer" })
        #expect(writer.status == "Cancelled" || writer.output?["status"] == "cancelled", "\(writer)")
        #expect(try fx.store.loop(loopId)?.status == "cancelled")
        #expect(try fx.store.loop(loopId)?.reason == "testing cancel")
        #expect(try await fx.log("integration") == ["calculator skeleton"])
        await fx.stop()
    }

    @Test func aHangingToolIsCutAtItsTimeoutAndCountsAsAFailedAttempt() async throws {
        try Tools.require("python3", install: "apt-get install python3")
        let fx = try await AgentLoopFixture(tools: ["codex": ["hang-impl"]], toolTimeout: 1)
        try fx.writePRD(stories: [("ADD-1", "add")])
        let chain = try await EngineChain(fx.harness)
        let started = await fx.cli(["loop", "start", fx.project, "--max-retries", "1"], engine: chain.engine.baseURL)
        let loopId = started.out.trimmingCharacters(in: .whitespacesAndNewlines)
        // plan, test-writer, implement, review, judge, plan, complete, retro.
        let runs = try await chain.settled(expected: 8)
        await chain.stop()
        #expect(runs.allSatisfy { $0.status == "Completed" }, "\(runs)")
        #expect(runs.first { $0.function == "agent-loop-judge" }?.output?["status"] == "failed")
        let story = try #require(try fx.store.story(loopId, "ADD-1"))
        #expect(story.status == .failed && story.attempts == 1)
        #expect(try fx.store.progress(loopId).contains { $0.contains("The codex run ended timed_out") && $0.contains("NEEDS HUMAN REVIEW") })
        let output = try String(contentsOfFile: fx.harness.config.agentLoop.outputDir + "/\(loopId)/ADD-1-1.out", encoding: .utf8)
        #expect(output.contains("timed out after 1"))
        #expect(output.contains("[agent] working on it"), "what the tool printed before the kill is kept")
        await fx.stop()
    }
}
