import Foundation
import JSON
import Testing
@testable import Functions

extension ExternalTools {
    /// The agent loop end to end: `joelclaw loop start` sends the event to the
    /// embedded engine, which drives the seven stages over HTTP to the worker;
    /// real git, the stand-in coding agent, the project's real unittest run
    /// and a loopback LLM judge.
    @Suite struct AgentLoopTests {
        @Test func twoStoryLoopRunsFromTheCLIToAMergeAndARetroTheNextLoopReads() async throws {
            try Tools.require("python3", install: "apt-get install python3")
            let fx = try await AgentLoopFixture()
            try fx.writePRD(stories: [("ADD-1", "add"), ("MUL-1", "mul")])
            let userHead = try await fx.git(["rev-parse", "HEAD"])
            let chain = try await EngineChain(fx.harness)
            let started = await fx.cli(["loop", "start", fx.project, "--retry-ladder", "pi,claude"], engine: chain.engine.baseURL)
            #expect(started.code == .success, "\(started.err)")
            let loopId = started.out.trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(LoopIdentifier.isValid(loopId) && loopId.hasPrefix("loop-"))

            // plan, then per story test-writer, implement, review, judge, plan; then complete and retro.
            let runs = try await chain.settled(expected: 13)
            #expect(runs.allSatisfy { $0.status == "Completed" }, "\(runs.filter { $0.status != "Completed" })")
            #expect(runs.filter { $0.function == "agent-loop-judge" }.compactMap { $0.output?["status"]?.stringValue } == ["passed", "passed"])
            let complete = try #require(runs.first { $0.function == "agent-loop-complete" })
            #expect(complete.output?["status"] == "merged", "\(String(describing: complete.output))")
            // Per story the reviewer asked its questions and the judge its verdict, each about that
            // story; the retrospective asked for a reflection once.
            let prompts = fx.prompts
            let reviews = prompts.filter { $0.contains("\"questions\"") }, verdicts = prompts.filter { $0.contains("\"verdict\"") }
            #expect(reviews.count == 2 && reviews[0].contains("(ADD-1)") && reviews[1].contains("(MUL-1)"))
            #expect(verdicts.count == 2 && verdicts[0].contains("(ADD-1)") && verdicts[1].contains("(MUL-1)"))
            #expect(prompts.filter { $0.contains("## Narrative") }.count == 1)
            // The reviewer read the new test file the test-writer committed, and found no red flags.
            #expect(reviews[0].contains("# tests/test_add.py\n"), "\(reviews[0].prefix(600))")
            let review = try #require(runs.first { $0.function == "agent-loop-review" })
            #expect(review.output?["reviewerRedFlags"] == [], "\(String(describing: review.output))")

            // The target branch has the tests and one commit per attempt, merged; the user's checkout is untouched.
            let merged = try await fx.log("integration")
            #expect(merged.contains("test: [\(loopId)] [ADD-1] acceptance tests"))
            #expect(merged.contains("feat: [\(loopId)] [ADD-1] attempt-1 — add"))
            #expect(merged.contains("feat: [\(loopId)] [MUL-1] attempt-1 — mul"))
            #expect(merged.filter { $0.hasPrefix("feat:") }.count == 2)
            let calc = try await fx.git(["show", "integration:calc.py"])
            #expect(calc.contains("return a + b") && calc.contains("return a * b"))
            #expect(try await fx.git(["rev-parse", "HEAD"]) == userHead)
            #expect(try await fx.git(["status", "--porcelain"]).split(separator: "\n").allSatisfy { $0.hasSuffix("prd.json") })
            #expect(try await fx.git(["ls-tree", "-r", "--name-only", "integration"]).contains(".out") == false)
            // Worktree and loop branch are gone.
            let settings = try #require(try fx.store.settings(loopId))
            #expect(!FileManager.default.fileExists(atPath: settings.worktree))
            #expect(try await fx.git(["branch", "--list", "agent-loop/*"]).isEmpty)

            // Status through the CLI.
            let status = await fx.cli(["loop", "status", loopId, "--json"], engine: chain.engine.baseURL)
            let json = try JSON(parsing: status.out)
            #expect(json["status"] == "merged")
            #expect(json["stories"]?.arrayValue?.map { $0["status"]?.stringValue ?? "" } == ["passed", "passed"])
            #expect(json["stories"]?.arrayValue?.map { $0["tool"]?.stringValue ?? "" } == ["pi", "pi"])
            let list = await fx.cli(["loop", "list"], engine: chain.engine.baseURL)
            #expect(list.out.contains(loopId) && list.out.contains("merged"))

            // Retro: the vault note and the recommendations under the project's key.
            let note = try #require(try fx.harness.services.vault.read("system/retrospectives/\(loopId).md"))
            #expect(note.contains("storiesCompleted: 2") && note.contains("\nduration: ") && note.contains("| ADD-1 | add | pass | 1 | pi |"))
            #expect(note.contains("## Analysis\n- Every story passed on its first attempt.") && note.contains("## Narrative\nThe loop grew"))
            let saved = try #require(try fx.store.recommendations(projectKey: ProjectKey.normalise(fx.project)).recommendations)
            #expect(saved.suggestedRetryLadder == ["pi"] && saved.sourceLoopId == loopId)

            // A second loop on the project, without a ladder, uses the suggested one.
            try fx.writePRD("prd-div.json", title: "Division", stories: [("DIV-1", "div")])
            let second = await fx.cli(["loop", "start", fx.project, "--prd", "prd-div.json"], engine: chain.engine.baseURL)
            let secondId = second.out.trimmingCharacters(in: .whitespacesAndNewlines)
            let all = try await chain.settled(expected: 13 + 8)
            await chain.stop()
            #expect(all.allSatisfy { $0.status == "Completed" })
            let secondSettings = try #require(try fx.store.settings(secondId))
            #expect(secondSettings.retryLadder == ["pi"])
            #expect(try fx.store.story(secondId, "DIV-1")?.tool == "pi")
            #expect(try fx.store.story(secondId, "DIV-1")?.status == .passed)
            await fx.stop()
        }

        @Test func aStoryThatKeepsFailingWalksTheLadderAndNeedsHumanReviewWhileTheOtherPasses() async throws {
            try Tools.require("python3", install: "apt-get install python3")
            let wrong = ["good", "--wrong", "MUL-1"]
            let fx = try await AgentLoopFixture(tools: ["codex": wrong, "claude": wrong])
            try fx.writePRD(stories: [("ADD-1", "add"), ("MUL-1", "mul")])
            let chain = try await EngineChain(fx.harness)
            let started = await fx.cli(["loop", "start", fx.project, "--max-retries", "2"], engine: chain.engine.baseURL)
            let loopId = started.out.trimmingCharacters(in: .whitespacesAndNewlines)
            // ADD-1: 4 stages; MUL-1: test-writer + 2 × (implement, review, judge); 3 plans; complete, retro.
            let runs = try await chain.settled(expected: 16)
            await chain.stop()
            #expect(runs.allSatisfy { $0.status == "Completed" }, "\(runs.filter { $0.status != "Completed" })")
            #expect(runs.filter { $0.function == "agent-loop-judge" }.compactMap { $0.output?["status"]?.stringValue } == ["passed", "retry", "failed"])
            #expect(runs.first { $0.output?["status"] == "retry" }?.output?["nextTool"] == "claude")

            let mul = try #require(try fx.store.story(loopId, "MUL-1"))
            #expect(mul.status == .failed && mul.attempts == 2 && mul.tool == "claude")
            #expect(mul.lastResult?.contains("NEEDS HUMAN REVIEW") == true)
            #expect(try fx.store.story(loopId, "ADD-1")?.status == .passed)
            #expect(try fx.store.progress(loopId).contains { $0.contains("MUL-1") && $0.contains("⚠️ NEEDS HUMAN REVIEW") })
            let merged = try await fx.log("integration")
            #expect(merged.contains("feat: [\(loopId)] [MUL-1] attempt-1 — mul") && merged.contains("feat: [\(loopId)] [MUL-1] attempt-2 — mul"))
            #expect(try fx.store.lessons(projectKey: ProjectKey.normalise(fx.project), limit: 5).first?.contains("MUL-1") == true)
            let note = try #require(try fx.harness.services.vault.read("system/retrospectives/\(loopId).md"))
            #expect(note.contains("| MUL-1 | mul | fail | 2 | claude |"))
            await fx.stop()
        }
    }
}
