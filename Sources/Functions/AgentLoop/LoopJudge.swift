import Foundation
import JSON

/// The judge's decision on one attempt, kept as a step result.
public struct JudgeVerdict: Codable, Sendable, Equatable {
    public var passed: Bool
    /// `pass` or `fail` from the LLM, or `unavailable` when it could not be asked.
    public var llmVerdict: String
    public var reasoning: String
    /// What the next attempt is told: the failed gates, the LLM's reasoning, the check output.
    public var feedback: String
}

/// Decides whether a story attempt passes: every mechanical check (exit
/// codes and test counts) must pass, and then the LLM must say `pass`.
///
/// When the LLM cannot be asked (down, bad key, unreadable answer) the
/// attempt fails unless `passWhenUnavailable` is set: a closed default, so
/// an outage never merges code nobody reviewed. The failure feedback says
/// so, and the retry ladder gives the story its remaining attempts.
public struct LoopJudge: Sendable {
    let llm: any LLMClient
    let passWhenUnavailable: Bool

    public init(llm: any LLMClient, passWhenUnavailable: Bool) {
        self.llm = llm
        self.passWhenUnavailable = passWhenUnavailable
    }

    /// `toolProblems` (the coding tool failed or timed out) fail the attempt like a failed check.
    /// The reviewer's red flags are not a gate: the LLM sees them, and a failed attempt's
    /// feedback repeats them for the next one.
    public func judge(story: LoopStory, checks: CheckReport, diff: String, toolProblems: [String] = [],
                      reviewer: ReviewerNotes? = nil) async -> JudgeVerdict {
        let gates = toolProblems + checks.failures
        let flags = reviewer?.redFlags ?? []
        guard gates.isEmpty else {
            return JudgeVerdict(passed: false, llmVerdict: "skipped", reasoning: "mechanical checks failed",
                                feedback: Self.feedback(gates: gates, llm: nil, redFlags: flags, checks: checks))
        }
        let (verdict, reasoning) = await ask(story: story, checks: checks, diff: diff, redFlags: flags)
        let passed = verdict == "pass" || (verdict == "unavailable" && passWhenUnavailable)
        return JudgeVerdict(passed: passed, llmVerdict: verdict, reasoning: reasoning,
                            feedback: passed ? "" : Self.feedback(gates: [], llm: "\(verdict.uppercased()): \(reasoning)",
                                                                  redFlags: flags, checks: checks))
    }

    /// The LLM's `(verdict, reasoning)`; `unavailable` on any failure to get a well-formed answer.
    func ask(story: LoopStory, checks: CheckReport, diff: String, redFlags: [String] = []) async -> (String, String) {
        let prompt = Self.prompt(story: story, checks: checks, diff: diff, redFlags: redFlags)
        let answer: String
        do {
            answer = try await llm.complete(LLMRequest(system: "You are a strict code reviewer. Answer with JSON only.", prompt: prompt, maxTokens: 1024))
        } catch {
            return ("unavailable", "LLM evaluation unavailable: \(error)")
        }
        guard let json = ClaudeOutputParser.parse(answer), let verdict = json["verdict"]?.stringValue,
              verdict == "pass" || verdict == "fail" else {
            return ("unavailable", "LLM answer was not {\"verdict\": \"pass\"|\"fail\", …}: \(answer.prefix(200))")
        }
        return (verdict, json["reasoning"]?.stringValue ?? "")
    }

    static func prompt(story: LoopStory, checks: CheckReport, diff: String, redFlags: [String] = []) -> String {
        let diffLines = diff.split(separator: "\n", omittingEmptySubsequences: false)
        let cut = diffLines.prefix(3000).joined(separator: "\n")
        return """
        Judge whether this change implements the story. Reply with ONLY {"verdict":"pass"|"fail","reasoning":"..."}.

        ## Story: \(story.title) (\(story.id))
        \(story.description ?? "")

        ## Acceptance Criteria
        \(story.criteria.map { "- " + $0 }.joined(separator: "\n"))

        ## Checks
        typecheckOk=\(checks.typecheckOk) lintOk=\(checks.lintOk) testsPassed=\(checks.testsPassed) testsFailed=\(checks.testsFailed)

        ## Reviewer red flags (informational)
        \(redFlags.isEmpty ? "None." : redFlags.map { "- " + $0 }.joined(separator: "\n"))

        ## Diff
        \(cut)
        """
    }

    static func feedback(gates: [String], llm: String?, redFlags: [String] = [], checks: CheckReport) -> String {
        var sections: [String] = []
        if !gates.isEmpty { sections.append("Mechanical gate failures:\n" + gates.map { "- " + $0 }.joined(separator: "\n")) }
        if let llm { sections.append("LLM verdict:\n- " + llm) }
        if !redFlags.isEmpty { sections.append("Reviewer questions failed:\n" + redFlags.map { "- " + $0 }.joined(separator: "\n")) }
        let failing = checks.results.filter { !$0.ok }.map { "$ \($0.command)\n\($0.output.suffix(3000))" }
        if !failing.isEmpty { sections.append("Check output:\n" + failing.joined(separator: "\n\n")) }
        return sections.joined(separator: "\n\n")
    }
}
