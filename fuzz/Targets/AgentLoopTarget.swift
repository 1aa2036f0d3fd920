import Foundation
import Functions
import JSON

// `agent-loop`: what the agent loop reads from programs it does not control:
// a coding agent's or an LLM's printed answer (ClaudeOutputParser), a test
// runner's summary (TestCounts), and a PRD file from the project (LoopPRD,
// whose story ids become branch-free names in commits and files); the
// reviewer's reading of a diff the agent produced and of the LLM's answers,
// and the retrospective's reflection.

/// Input: tool output, NUL, test-runner output, NUL, PRD text.
func fuzzAgentLoop(_ bytes: [UInt8]) {
    var input = FuzzInput(bytes)
    let toolOutput = String(decoding: input.field(), as: UTF8.self)
    let testOutput = String(decoding: input.field(), as: UTF8.self)
    let prdText = input.rest()

    _ = ClaudeOutputParser.parse(toolOutput)
    let answers = LoopReviewer.parse(toolOutput)
    guard answers.map(\.id) == ["q2", "q3", "q4"] else { fatalError("reviewer answers \(answers.map(\.id))") }
    for path in LoopReviewer.newTestFiles(inDiff: toolOutput) {
        guard !path.isEmpty, !path.contains("\n"), LoopReviewer.isTestPath(path) else { fatalError("test file \(path) from a diff") }
    }
    let reflection = LoopReflection.parse(toolOutput)
    guard reflection.analysis.count <= 8_000, reflection.narrative.count <= 8_000,
          reflection.isEmpty == (reflection.error != nil) else { fatalError("reflection \(reflection)") }
    if let counts = TestCounts.parse(testOutput) {
        guard counts.passed >= 0, counts.failed >= 0 else { fatalError("negative test counts \(counts) from \(testOutput.prefix(200))") }
    }
    if let json = try? JSON(parsing: prdText), let prd = try? json.decode(LoopPRD.self) {
        for story in prd.stories where LoopIdentifier.isValid(story.id) {
            // A valid id is a plain name: it can never be read as an option or a path.
            guard !story.id.hasPrefix("-"), !story.id.contains("/"), !story.id.contains("..") else {
                fatalError("story id \(story.id) passed as valid")
            }
        }
    }
}
