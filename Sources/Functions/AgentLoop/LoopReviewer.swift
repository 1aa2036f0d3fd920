import Foundation
import JSON

/// One reviewer question with its answer and the evidence for it.
public struct ReviewerQuestion: Codable, Sendable, Equatable {
    public var id: String
    public var answer: Bool
    public var evidence: String

    public init(id: String, answer: Bool, evidence: String) {
        self.id = id
        self.answer = answer
        self.evidence = evidence
    }
}

/// What the reviewer found about one attempt, carried to the judge. The
/// questions inform the judge and the next attempt's feedback; they are not a
/// gate (the checks and the judge's verdict decide).
public struct ReviewerNotes: Codable, Sendable, Equatable {
    public var questions: [ReviewerQuestion]

    /// Every question answered "no", as `qN: evidence`.
    public var redFlags: [String] { questions.filter { !$0.answer }.map { "\($0.id): \($0.evidence)" } }
}

/// The reviewer's four questions about an attempt's diff:
///
/// - q1, answered from the diff alone: did the attempt add test files?
/// - q2–q4, asked of the LLM with the story, the diff and the new test files:
///   do the tests exercise the real implementation (not stubs), are they
///   truthful (not gaming the checks), and do tests and implementation together
///   accomplish the story?
///
/// An LLM that cannot be asked, or answers without the questions, makes every
/// LLM question "no" with the reason as evidence: the notes never block, and a
/// reviewer that said nothing must not read as one that approved.
public struct LoopReviewer: Sendable {
    let llm: any LLMClient

    /// Test files the reviewer reads: at most this many, each cut to `maxFileCharacters`.
    static let maxFiles = 10
    static let maxFileCharacters = 4_000
    static let maxDiffLines = 3_000

    public init(llm: any LLMClient) { self.llm = llm }

    /// Reviews the attempt whose changes are `diff`; `worktree` is where its files are read.
    public func review(story: LoopStory, diff: String, worktree: String) async -> ReviewerNotes {
        let paths = Self.newTestFiles(inDiff: diff)
        let files = paths.prefix(Self.maxFiles).compactMap { Self.read($0, in: worktree) }
        let q1 = ReviewerQuestion(id: "q1", answer: !paths.isEmpty,
                                  evidence: paths.isEmpty ? "No new test files in the diff."
                                      : "New test files: " + paths.prefix(Self.maxFiles).joined(separator: ", "))
        return ReviewerNotes(questions: [q1] + (await ask(story: story, diff: diff, testFiles: files)))
    }

    /// q2–q4 from the LLM; every one "no" when the LLM gives no usable answer.
    func ask(story: LoopStory, diff: String, testFiles: [(path: String, text: String)]) async -> [ReviewerQuestion] {
        let answer: String
        do {
            answer = try await llm.complete(LLMRequest(system: "You review code changes. Answer with JSON only.",
                                                       prompt: Self.prompt(story: story, diff: diff, testFiles: testFiles),
                                                       maxTokens: 1024))
        } catch {
            return Self.llmQuestions.map { ReviewerQuestion(id: $0, answer: false, evidence: "LLM unavailable: \(error)") }
        }
        return Self.parse(answer)
    }

    static let llmQuestions = ["q2", "q3", "q4"]

    /// The LLM's answers to q2–q4; a missing or malformed one is "no", saying why.
    public static func parse(_ answer: String) -> [ReviewerQuestion] {
        guard let list = ClaudeOutputParser.parse(answer)?["questions"]?.arrayValue else {
            return llmQuestions.map { ReviewerQuestion(id: $0, answer: false, evidence: "The LLM's answer was not the JSON asked for.") }
        }
        return llmQuestions.map { id in
            guard let q = list.first(where: { $0["id"]?.stringValue == id }), case .bool(let yes)? = q["answer"] else {
                return ReviewerQuestion(id: id, answer: false, evidence: "The LLM did not answer \(id).")
            }
            return ReviewerQuestion(id: id, answer: yes, evidence: String((q["evidence"]?.stringValue ?? "").prefix(1_000)))
        }
    }

    /// Files the diff creates (`new file mode` after their `diff --git` header) whose path looks like a test.
    public static func newTestFiles(inDiff diff: String) -> [String] {
        var found: [String] = []
        var current: String?
        for line in diff.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("diff --git ") {
                current = line.range(of: " b/", options: .backwards).map { String(line[$0.upperBound...]) }
            } else if line.hasPrefix("new file mode"), let path = current {
                if isTestPath(path), !found.contains(path) { found.append(path) }
                current = nil
            } else if line.hasPrefix("@@") {
                current = nil
            }
        }
        return found
    }

    /// A test by the conventions of the common ecosystems: `*.test.*`/`*.spec.*` (JavaScript),
    /// `test_*.py`/`*_test.py`, `*_test.go`, `*Tests.swift`/`*Test.swift`/`*Test.java`, or
    /// any file under a `test`, `tests`, `Tests` or `__tests__` folder.
    public static func isTestPath(_ path: String) -> Bool {
        let parts = path.split(separator: "/")
        guard let name = parts.last else { return false }
        if parts.dropLast().contains(where: { ["test", "tests", "Tests", "__tests__", "spec"].contains($0) }) { return true }
        let stem = name.split(separator: ".").first.map(String.init) ?? String(name)
        return name.contains(".test.") || name.contains(".spec.") || name.hasPrefix("test_") || stem.hasSuffix("_test")
            || stem.hasSuffix("Tests") || stem.hasSuffix("Test")
    }

    /// The start of the file's text when `relative` stays inside `worktree` (links resolved)
    /// and names a regular file: the diff comes from what a coding tool wrote, so neither
    /// its paths nor its files are trusted (a FIFO would block the read, a huge file fill
    /// memory; only the bytes the prompt can use are read).
    static func read(_ relative: String, in worktree: String) -> (path: String, text: String)? {
        let full = worktree + "/" + relative
        guard PathContainment.isInside(full, worktree),
              (try? FileManager.default.attributesOfItem(atPath: full)[.type] as? FileAttributeType) == .typeRegular,
              let handle = FileHandle(forReadingAtPath: full) else { return nil }
        defer { try? handle.close() }
        guard let data = try? handle.read(upToCount: maxFileCharacters * 4) else { return nil }
        return (relative, String(String(decoding: data, as: UTF8.self).prefix(maxFileCharacters)))
    }

    static func prompt(story: LoopStory, diff: String, testFiles: [(path: String, text: String)]) -> String {
        let cut = diff.split(separator: "\n", omittingEmptySubsequences: false).prefix(maxDiffLines).joined(separator: "\n")
        let tests = testFiles.isEmpty ? "(none)" : testFiles.map { "# \($0.path)\n\($0.text)" }.joined(separator: "\n\n")
        return """
        Review this change to a project. If the evidence for an answer is missing, answer false.
        Reply with ONLY {"questions":[{"id":"q2","answer":true|false,"evidence":"..."},{"id":"q3",...},{"id":"q4",...}]}.
        - q2: Do the tests exercise the real implementation (not stubs or mocks of the thing under test)?
        - q3: Are the tests truthful (they check behaviour, not constants, and do not game the checks)?
        - q4: Do the tests and the implementation together accomplish the story's intent?

        ## Story: \(story.title) (\(story.id))
        \(story.description ?? "")

        ## Acceptance Criteria
        \(story.criteria.map { "- " + $0 }.joined(separator: "\n"))

        ## New test files
        \(tests)

        ## Diff
        \(cut)
        """
    }
}
