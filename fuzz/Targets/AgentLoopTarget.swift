import Foundation
import Functions
import JSON

// `agent-loop`: what the agent loop reads from programs it does not control:
// a coding agent's or an LLM's printed answer (ClaudeOutputParser), a test
// runner's summary (TestCounts), and a PRD file from the project (LoopPRD,
// whose story ids become branch-free names in commits and files).

/// Input: tool output, NUL, test-runner output, NUL, PRD text.
func fuzzAgentLoop(_ bytes: [UInt8]) {
    var input = FuzzInput(bytes)
    let toolOutput = String(decoding: input.field(), as: UTF8.self)
    let testOutput = String(decoding: input.field(), as: UTF8.self)
    let prdText = input.rest()

    _ = ClaudeOutputParser.parse(toolOutput)
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
