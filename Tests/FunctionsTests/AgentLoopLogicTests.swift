import Foundation
import HTTP
import JSON
import Testing
@testable import Functions
import TestSupport

/// The agent loop's pure logic and its state store, without processes.
@Suite struct AgentLoopLogicTests {
    @Test func claudeOutputParserReadsEnvelopesFencesAndBraces() {
        #expect(ClaudeOutputParser.parse("") == nil)
        #expect(ClaudeOutputParser.parse("   \n ") == nil)
        #expect(ClaudeOutputParser.parse(#"{"verdict":"pass"}"#)?["verdict"] == "pass")
        #expect(ClaudeOutputParser.parse(#"[1,2]"#) == [1, 2])
        // claude --output-format json: the answer is a string inside `result`.
        let envelope = #"{"type":"result","subtype":"success","result":"Sure:\n```json\n{\"verdict\":\"fail\"}\n```","session_id":"s","total_cost_usd":0.1}"#
        #expect(ClaudeOutputParser.parse(envelope)?["verdict"] == "fail")
        #expect(ClaudeOutputParser.parse("Here you go:\n```json\n{\"a\": 1}\n```\nthanks")?["a"] == 1)
        #expect(ClaudeOutputParser.parse("The answer is {\"a\": {\"b\": 2}} as requested.")?["a"]?["b"] == 2)
        #expect(ClaudeOutputParser.parse("no json here") == nil)
        #expect(ClaudeOutputParser.parse("} backwards {") == nil)
        #expect(ClaudeOutputParser.parse(#"{"result": "not json"}"#) == nil)
    }

    /// PRD and context paths come from event data: only files inside the
    /// project are read, whatever `..` or a symbolic link says.
    @Test func startPathsAreConfinedToTheProject() throws {
        let dir = try TemporaryDirectory("loop-paths")
        let project = dir.file("project")
        try FileManager.default.createDirectory(atPath: project + "/docs", withIntermediateDirectories: true)
        try "secret\n".write(toFile: dir.file("outside.txt"), atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: project + "/docs/escape", withDestinationPath: dir.path)
        #expect(LoopStart.confined("prd.json", to: project) == project + "/prd.json")
        #expect(LoopStart.confined(project + "/docs/a.md", to: project) == project + "/docs/a.md")
        for hostile in ["../outside.txt", "/etc/passwd", dir.file("outside.txt"), "docs/../../outside.txt",
                        "docs/escape/outside.txt", project + "/docs/escape/outside.txt", "", ".", project] {
            #expect(LoopStart.confined(hostile, to: project) == nil, "\(hostile)")
        }
    }

    @Test func durationsReadLikeAPersonWouldSayThem() {
        #expect(LoopDuration.format(milliseconds: -5) == "0s")
        #expect(LoopDuration.format(milliseconds: 999) == "0s")
        #expect(LoopDuration.format(milliseconds: 45_000) == "45s")
        #expect(LoopDuration.format(milliseconds: 187_000) == "3m 07s")
        #expect(LoopDuration.format(milliseconds: 7_500_000) == "2h 05m")
        #expect(LoopDuration.format(milliseconds: Int.max) .hasSuffix("m"))
    }

    @Test func testCountsComeFromEachRunnersSummary() {
        #expect(TestCounts.parse("test_a ... ok\n\nRan 4 tests in 0.01s\n\nFAILED (failures=1, errors=1)")! == (2, 2))
        #expect(TestCounts.parse("Ran 1 test in 0.000s\n\nOK")! == (1, 0))
        #expect(TestCounts.parse("===== 3 passed, 1 failed in 0.12s =====")! == (3, 1))
        #expect(TestCounts.parse("12 pass\n0 fail\nRan 12 tests across 3 files.")! == (12, 0))
        #expect(TestCounts.parse("ok 1 - a\nnot ok 2 - b\nok 3 - c")! == (2, 1))
        #expect(TestCounts.parse("Executed 5 tests, with 2 failures (0 unexpected)")! == (3, 2))
        #expect(TestCounts.parse("nothing to see") == nil)
        #expect(TestCounts.parse("99999999999999999999 passed")?.passed ?? 0 < 1_000_000_000)
    }

    @Test func idsFromEventsAreCheckedBeforeTheyBecomeBranchesOrFileNames() {
        for good in ["loop-mlo4j1sj-392wlt", "ADD-1", "x_y"] { #expect(LoopIdentifier.isValid(good)) }
        for bad in ["", "-rf", "../x", "a b", "a;b", "a/b", "--upload-pack=x", String(repeating: "a", count: 81), "a\nb"] {
            #expect(!LoopIdentifier.isValid(bad), "\(bad)")
        }
        let id = LoopIdentifier.make(now: Date(timeIntervalSince1970: 1_771_264_000), random: { 35 })
        #expect(id == "loop-\(String(1_771_264_000_000, radix: 36))-00000z" && LoopIdentifier.isValid(id))
    }

    @Test func projectKeysAgreeHoweverThePathIsWritten() throws {
        let dir = try TemporaryDirectory("project-key")
        try FileManager.default.createDirectory(atPath: dir.file("repo/pkg"), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: dir.file("link"), withDestinationPath: dir.file("repo"))
        let key = ProjectKey.normalise(dir.file("repo/pkg"))
        #expect(ProjectKey.normalise(dir.file("repo/pkg/")) == key)
        #expect(ProjectKey.normalise(dir.file("repo/./x/../pkg")) == key)
        #expect(ProjectKey.normalise(dir.file("link/pkg")) == key)
    }

    @Test func theLadderGivesEachAttemptItsTool() {
        let s = LoopSettings(loopId: "l", project: "/p", projectKey: "/p", repoRoot: "/p", relativePath: "", worktree: "/w", workDir: "/w",
                             branch: "agent-loop/l", targetBranch: "main", push: false, maxRetries: 3, maxIterations: 10,
                             retryLadder: ["codex", "claude"], toolAssignments: ["S-2": "pi"], originSession: nil)
        #expect((1...4).map { s.tool(storyId: "S-1", attempt: $0) } == ["codex", "claude", "claude", "claude"])
        #expect((1...2).map { s.tool(storyId: "S-2", attempt: $0) } == ["pi", "claude"])
    }

    /// The judge when the LLM is down: closed by default (the attempt fails
    /// and says why), open only when configured; failed checks never reach it.
    @Test func anUnreachableLLMFailsTheAttemptUnlessConfiguredOpen() async throws {
        let down = AnthropicMessagesClient(config: LLMConfig(baseURL: "http://127.0.0.1:9", model: "m", apiKeyEnv: "K", maxTokens: 10, timeout: 2),
                                           apiKey: "k", http: SocketHTTPClient())
        let story = LoopStory(id: "S-1", title: "t")
        let green = CheckReport(results: [.init(kind: .test, command: "t", exitCode: 0, output: "Ran 1 test\nOK")], testsPassed: 1, testsFailed: 0)
        let closed = await LoopJudge(llm: down, passWhenUnavailable: false).judge(story: story, checks: green, diff: "")
        #expect(!closed.passed && closed.llmVerdict == "unavailable" && closed.feedback.contains("LLM evaluation unavailable"))
        let open = await LoopJudge(llm: down, passWhenUnavailable: true).judge(story: story, checks: green, diff: "")
        #expect(open.passed && open.llmVerdict == "unavailable")
        let red = CheckReport(results: [.init(kind: .test, command: "t", exitCode: 1, output: "FAILED (failures=1)")], testsPassed: 0, testsFailed: 1)
        let failed = await LoopJudge(llm: down, passWhenUnavailable: true).judge(story: story, checks: red, diff: "")
        #expect(!failed.passed && failed.llmVerdict == "skipped" && failed.feedback.contains("1 test(s) failed."))
        let none = await LoopJudge(llm: down, passWhenUnavailable: true).judge(story: story, checks: CheckReport(results: [], testsPassed: 0, testsFailed: 0), diff: "")
        #expect(!none.passed && none.feedback.contains("No test command"))
        let garbled = try anthropicStandIn { _, _ in "I think it is fine" }
        let unreadable = await LoopJudge(llm: AnthropicMessagesClient(config: LLMConfig(baseURL: garbled.url, model: "m", apiKeyEnv: "K", maxTokens: 10, timeout: 5),
                                                                      apiKey: "test-key", http: SocketHTTPClient()), passWhenUnavailable: false)
            .judge(story: story, checks: green, diff: "")
        #expect(!unreadable.passed && unreadable.llmVerdict == "unavailable")
        await garbled.stop()
    }

    @Test func stateKeepsItsExpiryAcrossUpdatesAndClaimsAreLeases() throws {
        let dir = try TemporaryDirectory("loop-state")
        let db = try FunctionsDatabase(path: dir.file("f.sqlite"))
        let store = LoopStateStore(database: db)
        let t0 = Date(timeIntervalSince1970: 1_000_000)
        let s = LoopSettings(loopId: "loop-a", project: "/p", projectKey: "/p", repoRoot: "/p", relativePath: "", worktree: "/w", workDir: "/w",
                             branch: "agent-loop/loop-a", targetBranch: "main", push: false, maxRetries: 2, maxIterations: 10,
                             retryLadder: ["codex"], toolAssignments: [:], originSession: nil)
        try store.createLoop(s, now: t0, ttl: 100)
        try store.seedStories("loop-a", prd: LoopPRD(title: "T", stories: [LoopStory(id: "B", title: "b", priority: 2), LoopStory(id: "A", title: "a", priority: 1), LoopStory(id: "C", title: "c")]), now: t0)
        #expect(try store.stories("loop-a").map(\.story.id) == ["A", "B", "C"])
        // Updates long after creation leave the expiry where it was.
        try store.updateStory("loop-a", "A", status: .passed, attempt: 1, tool: "codex", result: "passed")
        try store.setStatus("loop-a", "running", now: t0.addingTimeInterval(90))
        var other = s
        other.loopId = "loop-b"
        try store.createLoop(other, now: t0.addingTimeInterval(101), ttl: 100)  // purges what expired
        #expect(try store.settings("loop-a") == nil && store.stories("loop-a").isEmpty)

        #expect(try store.claim("loop-b", "X", token: "t1", seconds: 10, now: t0))
        #expect(try store.claim("loop-b", "X", token: "t1", seconds: 10, now: t0))   // a retried step
        #expect(try !store.claim("loop-b", "X", token: "t2", seconds: 10, now: t0))
        try store.seedStories("loop-b", prd: LoopPRD(title: "T", stories: [LoopStory(id: "X", title: "x")]), now: t0)
        #expect(try store.check("loop-b", "X", token: "t2", seconds: 10, now: t0) == .alreadyClaimed)
        #expect(try store.check("loop-b", "X", token: "t1", seconds: 10, now: t0.addingTimeInterval(5)) == .ok)  // renews to +15
        #expect(try store.check("loop-b", "X", token: "t1", seconds: 10, now: t0.addingTimeInterval(14)) == .ok)
        #expect(try store.check("loop-b", "X", token: "t1", seconds: 10, now: t0.addingTimeInterval(60)) == .leaseExpired)
        #expect(try store.cancel("loop-b", reason: "r", now: t0))
        #expect(try store.check("loop-b", "X", token: "t1", seconds: 10, now: t0) == .cancelled)
        try store.appendProgress("loop-b", "once", now: t0)
        try store.appendProgress("loop-b", "once", now: t0)
        #expect(try store.progress("loop-b") == ["once"])
    }

    @Test func retroRanksToolsAndSuggestsTheLadder() {
        let records = [
            StoryRecord(story: LoopStory(id: "A", title: "a"), status: .passed, attempts: 1, tool: "claude", lastResult: nil),
            StoryRecord(story: LoopStory(id: "B", title: "b|c"), status: .passed, attempts: 2, tool: "codex", lastResult: nil),
            StoryRecord(story: LoopStory(id: "C", title: "c"), status: .failed, attempts: 2, tool: "pi", lastResult: nil),
        ]
        let retro = LoopRetrospective(loopId: "loop-x", project: "/p", summary: "done", stories: records,
                                      progress: ["## Codebase Patterns\nUse stdlib only.\n## Other"], date: Date(timeIntervalSince1970: 0))
        #expect(retro.recommendations.suggestedRetryLadder == ["claude", "codex"])
        #expect(retro.toolRankings.map(\.tool) == ["claude", "codex", "pi"])
        #expect(retro.codebasePatterns == "Use stdlib only.")
        #expect(retro.note.hasPrefix("---\nloopId: loop-x\nproject: /p\ndate: 1970-01-01T00:00:00.000Z\nstoriesCompleted: 2\nstoriesFailed: 1\n---\n"))
        #expect(retro.note.contains("| B | b\\|c | pass | 2 | codex |"))
        #expect(!retro.note.contains("duration:"), "no start time, no duration")

        var timed = retro
        timed.startedAt = Date(timeIntervalSince1970: -187)
        #expect(timed.note.contains("\ndate: 1970-01-01T00:00:00.000Z\nduration: 3m 07s\nstoriesCompleted: 2\n"))
        timed.startedAt = Date(timeIntervalSince1970: 60)  // a clock set back: never a negative duration
        #expect(timed.note.contains("\nduration: 0s\n"))
        timed.startedAt = Date.distantPast
        #expect(timed.note.contains("\nduration: "))
    }

    @Test func promptsKeepTheStoryWholeAndContextWithinBudget() {
        let story = LoopStory(id: "S-1", title: "Title", description: "Do it", acceptance_criteria: ["one", "two"])
        let big = String(repeating: "p", count: 7000)
        let prompt = LoopPrompts.implement(story, feedback: "fix x", patterns: big, recommendations: "{}", lessons: ["l1"],
                                           fileListing: ["a.py"], instructions: [("CLAUDE.md", String(repeating: "c", count: 3000))])
        #expect(prompt.hasSuffix("Fix any existing test your change breaks."))
        #expect(prompt.contains("## Feedback from Previous Attempt\nfix x") && prompt.contains("- one\n- two"))
        #expect(prompt.contains("## Codebase Patterns") && !prompt.contains("## Project Instructions"))
        #expect(LoopPrompts.attemptCommitMessage(loopId: "loop-1", storyId: "S-1", attempt: 2, title: "T") == "feat: [loop-1] [S-1] attempt-2 — T")
    }
}
