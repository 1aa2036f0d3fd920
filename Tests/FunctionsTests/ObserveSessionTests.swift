import Foundation
import HTTP
import InngestProtocol
import JSON
import Testing
@testable import Functions
import TestSupport

@Suite struct ObserveSessionTests {
    static func fixture(_ name: String) throws -> String {
        let dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
        return try String(contentsOf: dir.appendingPathComponent(name), encoding: .utf8)
    }

    /// The compaction event from the fixtures, with the transcript as `messages`.
    static func event(dedupeKey: String? = nil) throws -> JSON {
        var data = try JSON(parsing: fixture("session-compaction.json"))
        data["messages"] = .string(try fixture("session-transcript.txt"))
        if let dedupeKey { data["dedupeKey"] = .string(dedupeKey) }
        return data
    }

    @Test func sessionIsObservedStoredSearchableAndDeduplicated() async throws {
        let answer = try Self.fixture("observer-answer.xml")
        let llm = try anthropicStandIn { system, prompt in
            #expect(system.contains("<observations>"))
            return answer
        }
        let h = try FunctionsHarness { c, _ in c.llm.baseURL = llm.url }

        let first = try await h.run("memory/observe-session", "memory/session.compaction.pending", try Self.event())
        let output = try #require(first.outcome.output, "\(first.outcome)")
        #expect(output["status"] == "observed" && output["usedFallback"] == false)
        #expect(output["observationCount"] == 6)  // 2 narratives + 4 facts
        #expect(output["reflectableCount"] == 4)  // narratives fall back to allow; hold and discard do not count
        #expect(first.completedSteps == ["dedupe-check", "call-observer-llm", "append-daily-log", "store-observations",
                                         "emit-accumulated", "notify-gateway"])

        // The model saw the conversation, not the tool calls or shell lines.
        let sent = try JSON(parsing: try #require(llm.requests.first).body)
        let prompt = try #require(sent["messages"]?[0]?["content"]?.stringValue)
        #expect(prompt.contains("Cannot find module 'hono'") && prompt.contains("Trigger: compaction\nSession: worker crash\n"))
        #expect(!prompt.contains("toolu_") && !prompt.contains("toolCall") && !prompt.contains("$ bun install"))
        #expect(!prompt.contains("git log --oneline"))

        // Daily log: one block, in the fixture's layout.
        let time = ObservationDailyLog.clockTime("2026-02-16T10:04:31.000Z", timeZone: .current)
        let log = try h.dir.read("memory/2026-02-16.md")
        #expect(log == """

        ### 🔭 Observations (session: s-123, \(time)) <!-- observe:s-123:compaction:1 -->

        **Trigger**: compaction
        **Files**: 1 modified, 3 read

        #### Debugged worker crash caused by a missing dependency.

        🔴 [gate=allow confidence=0.92 category=jc:operations reason=system_fact] start.sh must run bun install before serve
        🟡 [gate=hold confidence=0.61 category=jc:operations reason=contextual_pattern] The worker log lives in the launchd err file

        #### Joel asked for concise replies.

        🟢 [gate=allow confidence=0.8 category=jc:preferences reason=explicit_user_preference] Joel prefers short answers
        [gate=discard confidence=0.9 reason=ephemeral] The restart took a few seconds

        **Current task**: Harden worker startup

        """)

        // Searchable; withheld observations stay out of default searches.
        let hits = try h.services.observations.search("bun install serve", limit: 5, includeWithheld: false)
        #expect(hits.first?.observation == "start.sh must run bun install before serve")
        #expect(hits.first?.category == "jc:operations" && hits.first?.sessionId == "s-123")
        #expect(try h.services.observations.search("launchd err file", limit: 5, includeWithheld: false).isEmpty)
        #expect(try h.services.observations.search("launchd err file", limit: 5, includeWithheld: true).count == 1)

        let accumulated = try #require(h.sentEvents.first { $0.name == "memory/observations.accumulated" })
        #expect(accumulated.data == ["date": "2026-02-16", "totalTokens": 48210, "observationCount": 6, "reflectableCount": 4,
                                     "capturedAt": "2026-02-16T10:04:31.000Z"])

        // The same capture delivered again: deduplicated, nothing appended, model not called.
        let again = try await h.run("memory/observe-session", "memory/session.compaction.pending", try Self.event())
        #expect(again.outcome.output?["status"] == "deduplicated")
        #expect(try h.dir.read("memory/2026-02-16.md") == log)
        #expect(llm.requests.count == 1)

        // A later capture of the same session: appended, and the same facts merge instead of duplicating.
        let later = try await h.run("memory/observe-session", "memory/session.compaction.pending", try Self.event(dedupeKey: "s-123:compaction:2"))
        #expect(later.outcome.output?["store"]?["mergedCount"] == 6)
        #expect(try h.dir.read("memory/2026-02-16.md").components(separatedBy: "### 🔭 Observations").count == 3)
        let merged = try h.services.observations.search("bun install serve", limit: 5, includeWithheld: true)
        #expect(merged.count == 1 && merged[0].mergedCount == 2)
    }

    /// The model is down: the run still records the session (fail open, as
    /// as intended), with the transcript's first lines as the notes.
    @Test func observerFailureFallsBackToSessionNotes() async throws {
        let llm = try LoopbackServer { _ in .json(#"{"type":"error","error":{"type":"overloaded_error"}}"#, status: 529) }
        let h = try FunctionsHarness { c, _ in c.llm.baseURL = llm.url }
        let report = try await h.run("memory/observe-session", "memory/session.ended",
                                     try { var e = try Self.event(); e["trigger"] = "backfill"; return e }())
        let output = try #require(report.outcome.output, "\(report.outcome)")
        #expect(output["usedFallback"] == true && output["observationCount"] == 1 && output["accumulatedEvent"] == false)
        let log = try h.dir.read("memory/2026-02-16.md")
        #expect(log.contains("Observer fallback used (backfill) because LLM call failed: LLM: HTTP 529"))
        #expect(log.contains("- user: the worker keeps crashing on boot since this morning, can you look?"))
        #expect(!h.sentEvents.contains { $0.name == "memory/observations.accumulated" }, "backfill does not trigger reflection")
    }

    @Test func invalidInputStopsAtOnce() async throws {
        let h = try FunctionsHarness()
        var missing = try Self.event()
        missing["sessionId"] = ""
        let a = try await h.run("memory/observe-session", "memory/session.compaction.pending", missing)
        #expect(a.calls == 1 && a.outcome.errorMessage?.contains("non-empty \"sessionId\"") == true)
        var badDate = try Self.event()
        badDate["capturedAt"] = "../../etc"
        let c = try await h.run("memory/observe-session", "memory/session.compaction.pending", badDate)
        #expect(c.calls == 1 && c.outcome.errorMessage?.contains("unreadable capturedAt") == true)
        let b = try await h.run("memory/observe-session", "memory/session.ended", try Self.event())
        #expect(b.calls == 1 && b.outcome.errorMessage?.contains("does not match memory/session.ended") == true)
    }
}

/// A Qdrant stand-in on loopback: collections and points kept in memory,
/// requests checked for the REST API's shape.
final class QdrantStandIn: @unchecked Sendable {
    private let lock = NSLock()
    private var collections: [String: JSON] = [:]
    private(set) var points: [String: JSON] = [:]
    var server: LoopbackServer!

    init() throws {
        server = try LoopbackServer { [unowned self] request in self.handle(request) }
    }

    var storedPoints: [String: JSON] { lock.lock(); defer { lock.unlock() }; return points }

    private func handle(_ request: HTTPRequest) -> HTTPResponse {
        lock.lock(); defer { lock.unlock() }
        let parts = request.path.split(separator: "/").map(String.init)
        guard parts.first == "collections", parts.count >= 2 else { return .json(#"{"status":"not found"}"#, status: 404) }
        let name = parts[1]
        switch (request.method, parts.count) {
        case ("GET", 2):
            return collections[name] == nil ? .json(#"{"status":{"error":"Not found"}}"#, status: 404) : .json(#"{"result":{},"status":"ok"}"#)
        case ("PUT", 2):
            guard let body = try? JSON(parsing: request.body), body["vectors"]?["distance"] == "Cosine" else { return .json("{}", status: 400) }
            collections[name] = body
            return .json(#"{"result":true,"status":"ok"}"#)
        case ("PUT", 3) where parts[2] == "points" && request.queryValue("wait") == "true":
            guard let size = collections[name]?["vectors"]?["size"]?.intValue,
                  let list = (try? JSON(parsing: request.body))?["points"]?.arrayValue else { return .json("{}", status: 400) }
            for point in list {
                guard let id = point["id"]?.stringValue, UUID(uuidString: id) != nil, point["vector"]?.arrayValue?.count == size else {
                    return .json(#"{"status":{"error":"bad point"}}"#, status: 400)
                }
                points[id] = point
            }
            return .json(#"{"result":{"status":"completed"},"status":"ok"}"#)
        default:
            return .json("{}", status: 405)
        }
    }
}

extension ObserveSessionTests {
    @Test func observationsAreAlsoIndexedInQdrantWhenConfigured() async throws {
        let answer = try Self.fixture("observer-answer.xml")
        let llm = try anthropicStandIn { _, _ in answer }
        let qdrant = try QdrantStandIn()
        let h = try FunctionsHarness { c, _ in
            c.llm.baseURL = llm.url
            c.qdrantURL = qdrant.server.url
        }
        let first = try await h.run("memory/observe-session", "memory/session.compaction.pending", try Self.event())
        #expect(first.outcome.output?["index"] == ["stored": true, "count": 6])
        let storedIds = first.outcome.output?["store"]?["ids"]?.arrayValue?.compactMap(\.stringValue)
        let ids = try #require(storedIds)
        #expect(Set(qdrant.storedPoints.keys) == Set(ids))
        let point = try #require(qdrant.storedPoints[ids[1]])
        #expect(point["payload"]?["observation"] == "start.sh must run bun install before serve")
        #expect(point["payload"]?["category_id"] == "jc:operations" && point["payload"]?["session_id"] == "s-123")
        let norm = (point["vector"]?.arrayValue ?? []).compactMap(\.doubleValue).reduce(0) { $0 + $1 * $1 }
        #expect(abs(norm - 1) < 1e-9)

        // A later capture with the same facts merges: the same points are replaced, none added.
        _ = try await h.run("memory/observe-session", "memory/session.compaction.pending", try Self.event(dedupeKey: "s-123:compaction:2"))
        #expect(qdrant.storedPoints.count == 6)

        // Qdrant down: the run still succeeds (SQLite is the record) and says why.
        let down = try FunctionsHarness { c, _ in
            c.llm.baseURL = llm.url
            c.qdrantURL = "http://127.0.0.1:\(try LoopbackSSHD.freePort())"
        }
        let report = try await down.run("memory/observe-session", "memory/session.compaction.pending", try Self.event())
        #expect(report.outcome.output?["status"] == "observed")
        #expect(report.outcome.output?["index"]?["stored"] == false)
        #expect(try down.services.observations.search("bun install", limit: 1, includeWithheld: false).count == 1)
    }
}
