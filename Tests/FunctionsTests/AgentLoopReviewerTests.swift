import Foundation
import HTTP
import JSON
import Testing
@testable import Functions
import TestSupport

/// The reviewer's questions and the retrospective's reflection, against a
/// stand-in LLM on loopback (and an unreachable one): what the LLM says, and
/// what happens when it says nothing usable.
@Suite struct AgentLoopReviewerTests {
    static let story = LoopStory(id: "ADD-1", title: "add", description: "Add add to calc.py", acceptance_criteria: ["calc.add works"])

    static let diff = """
        diff --git a/calc.py b/calc.py
        index 1111111..2222222 100644
        --- a/calc.py
        +++ b/calc.py
        @@ -1 +1,3 @@
        +def add(a, b):
        diff --git a/tests/test_add.py b/tests/test_add.py
        new file mode 100644
        --- /dev/null
        +++ b/tests/test_add.py
        @@ -0,0 +1 @@
        +import calc
        diff --git a/src/adder.test.ts b/src/adder.test.ts
        new file mode 100644
        diff --git a/README.md b/README.md
        new file mode 100644
        diff --git a/../etc/passwd_test.py b/../etc/passwd_test.py
        new file mode 100644
        """

    static func client(_ url: String) -> AnthropicMessagesClient {
        AnthropicMessagesClient(config: LLMConfig(baseURL: url, model: "m", apiKeyEnv: "K", maxTokens: 10, timeout: 5),
                                apiKey: "test-key", http: SocketHTTPClient())
    }

    @Test func newTestFilesAreFoundByTheCommonConventions() {
        #expect(LoopReviewer.newTestFiles(inDiff: Self.diff) == ["tests/test_add.py", "src/adder.test.ts", "../etc/passwd_test.py"])
        for path in ["tests/test_x.py", "pkg/x_test.go", "Tests/CalcTests/CalcTests.swift", "a/__tests__/x.js", "x.spec.ts", "lib/y_test.py"] {
            #expect(LoopReviewer.isTestPath(path), "\(path)")
        }
        for path in ["calc.py", "README.md", "src/testing.py", "contest.py", "latest/x.py"] {
            #expect(!LoopReviewer.isTestPath(path), "\(path)")
        }
    }

    @Test func theReviewerReadsNewTestsInsideTheWorktreeAndAsksTheLLM() async throws {
        let dir = try TemporaryDirectory("reviewer")
        try dir.write("work/tests/test_add.py", "import calc\nassert calc.add(1, 2) == 3\n")
        try dir.write("etc/passwd_test.py", "SECRET outside the worktree\n")
        let llm = try anthropicStandIn { _, _ in
            #"{"questions":[{"id":"q2","answer":true,"evidence":"calls calc.add"},{"id":"q3","answer":false,"evidence":"asserts a constant"}]}"#
        }
        let notes = await LoopReviewer(llm: Self.client(llm.url)).review(story: Self.story, diff: Self.diff, worktree: dir.file("work"))
        await llm.stop()
        let request = try #require(llm.requests.first)
        let prompt = try #require(try JSON(parsing: request.body)["messages"]?[0]?["content"]?.stringValue)
        #expect(prompt.contains("# tests/test_add.py\nimport calc\nassert calc.add(1, 2) == 3"))
        #expect(!prompt.contains("SECRET"), "a path from the diff led out of the worktree")
        #expect(notes.questions.map(\.id) == ["q1", "q2", "q3", "q4"])
        #expect(notes.questions[0].answer && notes.questions[0].evidence.contains("tests/test_add.py"))
        #expect(notes.redFlags == ["q3: asserts a constant", "q4: The LLM did not answer q4."])
    }

    /// Files a coding tool left are not trusted: a FIFO named like a test is skipped (reading it
    /// would block for ever), a huge one is read only as far as the prompt uses it.
    @Test func onlyTheStartOfRegularTestFilesIsRead() throws {
        let dir = try TemporaryDirectory("reviewer-files")
        try dir.write("work/tests/test_big.py", String(repeating: "x = 1\n", count: 500_000))
        try dir.write("work/tests/.keep", "")
        #expect(mkfifo(dir.file("work/tests/test_pipe.py"), 0o644) == 0)
        #expect(LoopReviewer.read("tests/test_pipe.py", in: dir.file("work")) == nil)
        let big = try #require(LoopReviewer.read("tests/test_big.py", in: dir.file("work")))
        #expect(big.text.count == LoopReviewer.maxFileCharacters)
        #expect(LoopReviewer.read("tests", in: dir.file("work")) == nil, "a directory is not a file")
    }

    @Test func withoutAnLLMEveryLLMQuestionIsANoThatSaysWhy() async throws {
        let down = await LoopReviewer(llm: Self.client("http://127.0.0.1:9")).review(story: Self.story, diff: "", worktree: "/nonexistent")
        #expect(down.questions.map(\.answer) == [false, false, false, false])
        #expect(down.questions[0].evidence == "No new test files in the diff.")
        #expect(down.questions.dropFirst().allSatisfy { $0.evidence.hasPrefix("LLM unavailable:") })
        for answer in ["looks good", #"{"questions":"yes"}"#, #"{"questions":[{"id":"q2","answer":"true"}]}"#] {
            let parsed = LoopReviewer.parse(answer)
            #expect(parsed.map(\.answer) == [false, false, false], "\(answer)")
        }
    }

    @Test func redFlagsReachTheJudgesPromptAndTheNextAttemptButDoNotGate() async throws {
        let llm = try anthropicStandIn { _, prompt in
            prompt.contains("q3: asserts a constant") ? #"{"verdict":"fail","reasoning":"tests prove nothing"}"# : #"{"verdict":"pass"}"#
        }
        let green = CheckReport(results: [.init(kind: .test, command: "t", exitCode: 0, output: "OK")], testsPassed: 1, testsFailed: 0)
        let flagged = ReviewerNotes(questions: [.init(id: "q1", answer: true, evidence: "tests/test_add.py"),
                                                .init(id: "q3", answer: false, evidence: "asserts a constant")])
        let judge = LoopJudge(llm: Self.client(llm.url), passWhenUnavailable: false)
        let failed = await judge.judge(story: Self.story, checks: green, diff: "", reviewer: flagged)
        #expect(!failed.passed && failed.feedback.contains("Reviewer questions failed:\n- q3: asserts a constant"))
        let clean = await judge.judge(story: Self.story, checks: green, diff: "", reviewer: ReviewerNotes(questions: []))
        #expect(clean.passed && clean.feedback.isEmpty)
        await llm.stop()
    }

    @Test func theReflectionIsAddedToTheNoteOrLeftOutSayingWhy() async throws {
        let retro = LoopRetrospective(loopId: "loop-a", project: "/p", summary: "done", stories: [], progress: ["## Codebase Patterns\nsmall"],
                                      date: Date(timeIntervalSince1970: 1_000_000))
        let llm = try anthropicStandIn { _, _ in "Sure.\n## Analysis\n- fast\n## Narrative\nIt went well.\n## Other\nignored" }
        let reflection = await LoopReflection.ask(Self.client(llm.url), about: retro)
        await llm.stop()
        #expect(reflection == LoopReflection(analysis: "- fast", narrative: "It went well.", error: nil))
        #expect(retro.note(with: reflection) == retro.note + "\n## Analysis\n- fast\n\n## Narrative\nIt went well.\n")

        let down = await LoopReflection.ask(Self.client("http://127.0.0.1:9"), about: retro)
        #expect(down.isEmpty && down.error?.hasPrefix("LLM unavailable") == true)
        #expect(retro.note(with: down) == retro.note)
        let offFormat = LoopReflection.parse("no headings here")
        #expect(offFormat.isEmpty && offFormat.error != nil)
        let huge = LoopReflection.parse("## Analysis\n" + String(repeating: "x", count: 100_000))
        #expect(huge.analysis.count == LoopReflection.maxSectionCharacters)
    }
}
