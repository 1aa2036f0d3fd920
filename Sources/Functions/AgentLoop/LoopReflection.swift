import Foundation

/// The LLM's reading of a finished loop, added to its retrospective note: an
/// analysis (a few bullets) and a narrative (a few paragraphs).
///
/// Optional by design: the note's facts come from the state store, so an LLM
/// that is down or answers off-format leaves the note without these sections
/// (and says why in `error`) instead of failing the retrospective.
public struct LoopReflection: Codable, Sendable, Equatable {
    public var analysis: String
    public var narrative: String
    public var error: String?

    /// Each section is cut to this many characters: the answer is written into the vault.
    static let maxSectionCharacters = 8_000
    /// How much of the progress log goes with the prompt.
    static let maxProgressCharacters = 6_000

    public var isEmpty: Bool { analysis.isEmpty && narrative.isEmpty }

    /// Asks `llm` about the loop `retro` describes.
    public static func ask(_ llm: any LLMClient, about retro: LoopRetrospective) async -> LoopReflection {
        let answer: String
        do {
            answer = try await llm.complete(LLMRequest(system: "You write short, concrete engineering retrospectives.",
                                                       prompt: prompt(retro), maxTokens: 2048))
        } catch {
            return LoopReflection(analysis: "", narrative: "", error: "LLM unavailable: \(error)")
        }
        return parse(answer)
    }

    /// The `## Analysis` and `## Narrative` sections of `answer`.
    public static func parse(_ answer: String) -> LoopReflection {
        let analysis = section("## Analysis", in: answer)
        let narrative = section("## Narrative", in: answer)
        if analysis.isEmpty && narrative.isEmpty {
            return LoopReflection(analysis: "", narrative: "", error: "the LLM's answer had neither ## Analysis nor ## Narrative")
        }
        return LoopReflection(analysis: analysis, narrative: narrative, error: nil)
    }

    /// The text after `heading` up to the next `## ` heading, trimmed and cut.
    private static func section(_ heading: String, in text: String) -> String {
        guard let start = text.range(of: heading) else { return "" }
        let rest = text[start.upperBound...]
        let end = rest.range(of: "\n## ")?.lowerBound ?? rest.endIndex
        return String(rest[..<end].trimmingCharacters(in: .whitespacesAndNewlines).prefix(maxSectionCharacters))
    }

    static func prompt(_ retro: LoopRetrospective) -> String {
        let progress = retro.progress.joined(separator: "\n\n")
        return """
        Here is the retrospective of an automated coding loop and its progress log.
        Reply in markdown with exactly two sections:
        ## Analysis
        3 to 7 bullets: what went well, what struggled and why, what to change next time.
        ## Narrative
        2 to 4 short paragraphs telling what happened.

        \(retro.note)

        ## Progress log (start)
        \(progress.prefix(maxProgressCharacters))
        """
    }
}
