import Foundation
import InngestProtocol
import JSON

/// `content-summarize` (`content/summarize.requested {vaultPath, prompt?}`):
/// enrich a vault note with a summary written by the configured LLM, using
/// related remembered observations as context.
///
/// The original let the `pi` agent edit the file with its own tools; here the
/// model returns the new sections and the worker writes them, so the
/// frontmatter and the transcript cannot be damaged and a retry is harmless.
public enum ContentSummarizeFunction {
    public static let id = "content-summarize"

    public static let systemPrompt = """
    You enrich notes in a personal knowledge vault. You receive one Markdown note (often a video or meeting \
    transcript). Answer with Markdown sections only, in this order: `## Executive Summary` (2-3 paragraphs), \
    `## Key Points` (bullets), `## Speaker Context`, `## Notable Quotes` (verbatim from the transcript), \
    `## Related` (links you are sure of, as Markdown links), `## Tags` (one comma-separated line). \
    Do not repeat the frontmatter, the info callout or the transcript. No preamble.
    """

    struct Input: Decodable {
        var vaultPath: String
        var prompt: String?
    }

    public static func make(_ services: FunctionServices) -> InngestFunction {
        InngestFunction(id: id, name: "Content summarize", triggers: [.event("content/summarize.requested")],
                        config: FunctionConfiguration(retries: 1, concurrency: [.init(limit: 1)])) { ctx in
            let input = try FunctionInput.decode(Input.self, from: ctx.event)
            let vaultPath: String
            do { vaultPath = try FileVault(root: services.vault.root, lockDirectory: services.config.runDir + "/locks").absolutePath(input.vaultPath) } catch {
                throw NonRetriableError("content/summarize.requested: \(error)")
            }

            let title = try await ctx.step.run("read-title") {
                guard let note = try services.vault.read(vaultPath) else { throw SummarizeError.missingNote(vaultPath) }
                return SummaryMerge.title(of: note, path: vaultPath)
            }

            let memory = try await ctx.step.run("prefetch-memory") {
                let hits = (try? services.observations.search(title, limit: 5, includeWithheld: false)) ?? []
                return hits.enumerated().map { "\($0.offset + 1). [\($0.element.type) | \($0.element.category)] \($0.element.observation)" }
                    .joined(separator: "\n")
            }

            let summary = try await ctx.step.run("summarize") {
                guard let note = try services.vault.read(vaultPath) else { throw SummarizeError.missingNote(vaultPath) }
                var prompt = (input.prompt ?? "Summarize and enrich this note.") + "\n\nNote (\(title)):\n\n" + String(note.prefix(150_000))
                if !memory.isEmpty { prompt += "\n\nPrevious related memory:\n" + memory }
                do {
                    return try await services.llm.complete(LLMRequest(system: systemPrompt, prompt: prompt))
                } catch let error as LLMError where !error.isRetriable {
                    throw NonRetriableError(error.description)
                }
            }

            try await ctx.step.run("write-summary") {
                try services.vault.update(vaultPath) { current in
                    guard let current else { throw SummarizeError.missingNote(vaultPath) }
                    return SummaryMerge.apply(summary: summary, to: current)
                }
            }

            try await ctx.step.run("log-summary") {
                try services.log(id: "run:\(ctx.runId):summarize", action: "summarize", tool: id, detail: "enriched: \(title)",
                                 reason: "content/summarize event via inngest")
            }

            try await ctx.step.sendEvent("emit-summarized",
                                         InngestEvent(name: "content/summarized", data: ["vaultPath": .string(vaultPath), "title": .string(title)]))

            try await ctx.step.run("notify-gateway") {
                await services.notify("content.summarized", [
                    "title": .string(title), "vaultPath": .string(vaultPath),
                    "prompt": .string("\"\(title)\" has been fully ingested and summarized; the note is ready."),
                ])
            }

            return ContentSummarizeResult(vaultPath: vaultPath, title: title, status: "summarized")
        }
    }
}

public struct ContentSummarizeResult: Codable, Sendable, Equatable {
    public var vaultPath: String
    public var title: String
    public var status: String
}

public enum SummarizeError: Error, Sendable, Equatable, CustomStringConvertible {
    case missingNote(String)
    public var description: String {
        switch self { case .missingNote(let p): return "the note \(p) does not exist" }
    }
}
