import Foundation
import InngestProtocol
import JSON

/// `memory/observe-session` (`memory/session.compaction.pending`,
/// `memory/session.ended`): distil an agent session into observations,
/// append them to the day's memory log, remember them (SQLite + FTS5), and
/// announce that observations accumulated.
public enum ObserveSessionFunction {
    public static let id = "memory/observe-session"

    struct Input: Decodable {
        var sessionId: String?
        var dedupeKey: String?
        var trigger: String?
        var messages: String?
        var messageCount: Int?
        var tokensBefore: Int?
        var sessionName: String?
        var filesRead: [String]?
        var filesModified: [String]?
        var capturedAt: String?
    }

    public static let systemPrompt = """
    You observe a coding-agent session and extract durable observations. Reply exactly in this format:
    <observations>
      <segment>
        <narrative>1-3 sentences on what happened</narrative>
        <facts>
          - 🔴 [gate=allow confidence=0.92 category=jc:operations reason=system_fact] a fact worth remembering
          - 🟡 [gate=hold confidence=0.6 category=jc:projects reason=contextual_pattern] a fact that may matter
        </facts>
      </segment>
    </observations>
    <current-task>what the user is working on</current-task>
    <suggested-response>what the assistant should say next</suggested-response>
    gate is allow, hold or discard; category is one of jc:preferences, jc:rules-conventions, jc:system-architecture, \
    jc:operations, jc:memory-system, jc:projects, jc:people-relationships.
    """

    public static func make(_ services: FunctionServices, timeZone: TimeZone = .current) -> InngestFunction {
        InngestFunction(id: id, name: "Observe Session",
                        triggers: [.event("memory/session.compaction.pending"), .event("memory/session.ended")],
                        config: FunctionConfiguration(retries: 4, throttle: .init(limit: 4, period: "60s"))) { ctx in
            let input = try FunctionInput.decode(Input.self, from: ctx.event)
            let sessionId = try FunctionInput.require(input.sessionId, "sessionId", in: ctx.event)
            let dedupeKey = try FunctionInput.require(input.dedupeKey, "dedupeKey", in: ctx.event)
            let trigger = try FunctionInput.require(input.trigger, "trigger", in: ctx.event)
            let allowed = ctx.event.name == "memory/session.compaction.pending" ? ["compaction"] : ["shutdown", "backfill"]
            guard allowed.contains(trigger) else {
                throw NonRetriableError("trigger \"\(trigger)\" does not match \(ctx.event.name) (expected \(allowed.joined(separator: " or ")))")
            }
            let capturedAt = input.capturedAt ?? TimeFormat.iso8601(services.now())
            guard let captured = ObservationDailyLog.parseISO8601(capturedAt) else {
                throw NonRetriableError("\(ctx.event.name) has an unreadable capturedAt \"\(capturedAt)\" (expected ISO 8601)")
            }
            let date = TimeFormat.utcDay(captured)

            let acquired = try await ctx.step.run("dedupe-check") {
                try services.database.acquireLock("memory:observe:lock:\(dedupeKey)", owner: ctx.runId, seconds: 3600, now: services.now())
            }
            guard acquired else {
                return ObserveResult(status: "deduplicated", sessionId: sessionId, dedupeKey: dedupeKey, observationCount: 0,
                                     reflectableCount: 0, store: nil, index: nil, accumulatedEvent: false, usedFallback: false)
            }

            let transcript = ObservationSanitizer.sanitizeTranscript(input.messages ?? "")
                ?? "No user-facing transcript content available after tool-call sanitization."
            let observer = try await ctx.step.run("call-observer-llm") {
                var prompt = "Analyze the session transcript and extract observations.\n\nTrigger: \(trigger)\n"
                if let name = input.sessionName { prompt += "Session: \(name)\n" }
                prompt += "Please follow the system prompt format exactly.\n\nTranscript:\n\(transcript)"
                prompt += "\n\nSession context:\n- sessionId: \(sessionId)\n- dedupeKey: \(dedupeKey)"
                do {
                    return ObserverCall(text: try await services.llm.complete(LLMRequest(system: systemPrompt, prompt: prompt)), fallback: false)
                } catch {
                    // Fail open: a session's notes are still worth keeping.
                    let notes = transcript.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
                        .filter { !$0.isEmpty }.prefix(12).map { "- \($0)" }.joined(separator: "\n")
                    let reason = String("\(error)".prefix(220))
                    return ObserverCall(text: "Observer fallback used (\(trigger)) because LLM call failed: \(reason)\nSession notes:\n\(notes)",
                                        fallback: true)
                }
            }

            // Pure and cheap: recomputed on each replay from the memoized answer.
            let output = ObserverOutput.parse(observer.text)
            let fallbackText = ObservationSanitizer.sanitizeText(output.observations) ?? output.observations
            let items = observationItems(output, fallbackText: fallbackText)
            let reflectable = items.filter { $0.gate.isReflectable }

            try await ctx.step.run("append-daily-log") {
                let block = ObservationDailyLog.block(
                    sessionId: sessionId, dedupeKey: dedupeKey, time: ObservationDailyLog.clockTime(capturedAt, timeZone: timeZone),
                    trigger: trigger, filesModified: input.filesModified?.count ?? 0, filesRead: input.filesRead?.count ?? 0,
                    output: output, fallbackText: fallbackText)
                try FileVault(root: services.config.memoryLogDir, lockDirectory: services.config.runDir + "/locks").update("\(date).md") {
                    ObservationDailyLog.appending(block, dedupeKey: dedupeKey, to: $0)
                }
            }

            let stored = try await ctx.step.run("store-observations") {
                try services.observations.store(items, sessionId: sessionId, source: trigger, batchKey: dedupeKey, now: services.now())
            }

            var indexed: IndexOutcome? = nil
            if let index = services.observationIndex {
                // Best effort: SQLite above is the record.
                indexed = try await ctx.step.run("store-to-qdrant") {
                    let points = zip(stored.ids, items).map { id, item in
                        IndexedObservation(id: id, sessionId: sessionId, text: item.gate.text, type: item.type, source: trigger,
                                           verdict: item.gate.verdict.rawValue, category: item.gate.category,
                                           timestamp: Int64(services.now().timeIntervalSince1970))
                    }
                    do {
                        try await index.upsert(points)
                        return IndexOutcome(stored: true, count: points.count, error: nil)
                    } catch {
                        return IndexOutcome(stored: false, count: 0, error: "\(error)")
                    }
                }
            }

            let emit = trigger != "backfill"
            if emit {
                let tokens = trigger == "compaction" ? (input.tokensBefore ?? 0) : (input.messageCount ?? 0)
                try await ctx.step.sendEvent("emit-accumulated", InngestEvent(name: "memory/observations.accumulated", data: [
                    "date": .string(date), "totalTokens": .number(JSONNumber(tokens)),
                    "observationCount": .number(JSONNumber(items.count)), "reflectableCount": .number(JSONNumber(reflectable.count)),
                    "capturedAt": .string(capturedAt),
                ]))
            }

            try await ctx.step.run("notify-gateway") {
                await services.notify("memory.observed", [
                    "sessionId": .string(sessionId), "trigger": .string(trigger), "observations": .number(JSONNumber(items.count)),
                    "reflectableObservations": .number(JSONNumber(reflectable.count)), "mergedCount": .number(JSONNumber(stored.mergedCount)),
                ])
            }

            return ObserveResult(status: "observed", sessionId: sessionId, dedupeKey: dedupeKey, observationCount: items.count,
                                 reflectableCount: reflectable.count, store: stored, index: indexed, accumulatedEvent: emit,
                                 usedFallback: observer.fallback)
        }
    }

    /// Narratives and facts as items, or the whole text as one when the
    /// observer gave no segments; each sanitized and gated, empties dropped.
    static func observationItems(_ output: ObserverOutput, fallbackText: String) -> [ObservationItem] {
        var raw: [(String, String)] = []
        for segment in output.segments {
            raw.append(("segment_narrative", segment.narrative))
            raw += segment.facts.map { ("segment_fact", $0) }
        }
        if output.segments.isEmpty { raw.append(("observation_text", fallbackText)) }
        return raw.compactMap { type, text in
            guard let clean = ObservationSanitizer.sanitizeText(text) else { return nil }
            let gate = WriteGate.decide(clean)
            return gate.text.isEmpty ? nil : ObservationItem(type: type, gate: gate)
        }
    }
}

struct ObserverCall: Codable, Sendable {
    var text: String
    var fallback: Bool
}

public struct ObserveResult: Codable, Sendable, Equatable {
    public var status: String
    public var sessionId: String
    public var dedupeKey: String
    public var observationCount: Int
    public var reflectableCount: Int
    public var store: ObservationStoreResult?
    /// Nil when no Qdrant URL is configured.
    public var index: IndexOutcome?
    public var accumulatedEvent: Bool
    public var usedFallback: Bool
}

public struct IndexOutcome: Codable, Sendable, Equatable {
    public var stored: Bool
    public var count: Int
    public var error: String?
}
