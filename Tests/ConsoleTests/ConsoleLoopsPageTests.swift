@testable import Console
import Foundation
@testable import Functions
import HTTP
import InngestProtocol
import LoopConsole
import Testing
import TestSupport

/// The Loops page over a real loop state store: loops written by the agent
/// loop's own store into a SQLite file, read back through the reader the
/// worker wires into the console, and rendered by the console's handler.
@Suite struct ConsoleLoopsPageTests {
    static let evil = #"<script>alert("loop")</script>&'"#

    /// A console with only the loop source, open (no signing key), as a worker without keys serves it.
    static func page(_ loops: (@Sendable () throws -> [ConsoleLoop])?) async throws -> (Int, String) {
        let api = InngestAPIClient(configuration: InngestConfiguration(mode: .dev, apiBaseURL: "http://127.0.0.1:9"),
                                   httpClient: SocketHTTPClient())
        let sources = ConsoleSources(api: api, functions: { [] }, send: { _ in [] }, loops: loops, now: { 0 })
        let console = ConsoleHandler(prefix: "/console", auth: ConsoleAuth(signingKeys: []), sources: sources)
        let response = await console.handle(HTTPRequest(method: "GET", target: "/console/loops", path: "/console/loops",
                                                        query: [], headers: HTTPHeaders(), body: []))
        guard case .bytes(let bytes) = response.body else { return (response.status, "") }
        return (response.status, String(decoding: bytes, as: UTF8.self))
    }

    static func settings(_ id: String, project: String) -> LoopSettings {
        LoopSettings(loopId: id, project: project, projectKey: project, repoRoot: project, relativePath: "", worktree: "/w/\(id)",
                     workDir: "/w/\(id)", branch: "agent-loop/\(id)", targetBranch: "main", push: false, maxRetries: 3,
                     maxIterations: 10, retryLadder: ["codex", "claude"], toolAssignments: [:], originSession: nil)
    }

    @Test func loopsWrittenToTheStoreShowWithStoriesAttemptsToolsAndOutcomes() async throws {
        let scratch = try TemporaryDirectory("console-loops")
        let dir = scratch.path
        let path = dir + "/functions.sqlite"
        let store = LoopStateStore(database: try FunctionsDatabase(path: path))
        let t0 = Date(timeIntervalSince1970: 1_767_225_600)

        try store.createLoop(Self.settings("loop-old", project: "/src/calc"), now: t0, ttl: 86_400 * 365)
        try store.seedStories("loop-old", prd: LoopPRD(title: "Calculator", stories: [
            LoopStory(id: "S-2", title: "Divide", priority: 2), LoopStory(id: "S-1", title: "Add", priority: 1),
        ]), now: t0)
        try store.updateStory("loop-old", "S-1", status: .passed, attempt: 1, tool: "codex", result: "checks passed")
        try store.updateStory("loop-old", "S-2", status: .failed, attempt: 3, tool: "claude", result: "division by zero not handled")
        try store.setStatus("loop-old", "merge-failed", reason: "merge_conflict", now: t0.addingTimeInterval(60))

        try store.createLoop(Self.settings("loop-new", project: "/src/site"), now: t0.addingTimeInterval(3_600), ttl: 86_400 * 365)
        try store.seedStories("loop-new", prd: LoopPRD(title: Self.evil, stories: [LoopStory(id: "S-9", title: Self.evil)]),
                              now: t0.addingTimeInterval(3_600))
        try store.updateStory("loop-new", "S-9", status: .running, attempt: 2, tool: "pi", result: Self.evil)

        let reader = ConsoleLoopReader(databasePath: path)
        let loops = try reader.read()
        #expect(loops.map(\.id) == ["loop-new", "loop-old"], "newest first")
        let old = try #require(loops.last)
        #expect(old.title == "Calculator" && old.status == "merge-failed" && old.reason == "merge_conflict")
        #expect(old.project == "/src/calc" && old.createdAt == 1_767_225_600_000)
        #expect(old.stories.map(\.id) == ["S-1", "S-2"], "plan order: by priority")
        #expect(old.stories.map(\.attempts) == [1, 3] && old.stories.map(\.tool) == ["codex", "claude"])
        #expect(old.stories.map(\.status) == ["passed", "failed"])
        #expect(try ConsoleLoopReader(databasePath: path, limit: 1).read().map(\.id) == ["loop-new"])

        let (status, html) = try await Self.page { try reader.read() }
        #expect(status == 200)
        #expect(html.contains("Calculator") && html.contains("merge_conflict") && html.contains("2026-01-01T00:00:00"))
        #expect(html.contains("<td>S-2 Divide</td><td>failed</td><td>3</td><td>claude</td><td class=\"wide\">division by zero not handled</td>"))
        #expect(html.contains("<td>S-1 Add</td><td>passed</td><td>1</td><td>codex</td>"))
        #expect(html.contains("<td>running</td><td>2</td><td>pi</td>"))
        #expect(!html.contains("<script>alert"), "a story or loop title is shown as text")
        let escaped = "&lt;script&gt;alert(&quot;loop&quot;)&lt;/script&gt;&amp;&#39;"
        #expect(html.components(separatedBy: escaped).count - 1 == 3, "loop title, story title and result, each escaped")
        #expect(html.range(of: "loop-new")!.lowerBound < html.range(of: "loop-old")!.lowerBound)
    }

    @Test func aMissingStoreIsNoLoopsAndAnUnreadableOneIsSaidSo() async throws {
        let scratch = try TemporaryDirectory("console-loops")
        let dir = scratch.path

        let missing = ConsoleLoopReader(databasePath: dir + "/none.sqlite")
        #expect(try missing.read().isEmpty)
        #expect(!FileManager.default.fileExists(atPath: dir + "/none.sqlite"), "reading creates no database")
        #expect(try await Self.page { try missing.read() }.1.contains("No loops yet."))

        try Data("not a database, <b>bold</b>".utf8).write(to: URL(fileURLWithPath: dir + "/garbage.sqlite"))
        let garbage = ConsoleLoopReader(databasePath: dir + "/garbage.sqlite")
        #expect(throws: (any Error).self) { try garbage.read() }
        let (status, html) = try await Self.page { try garbage.read() }
        #expect(status == 200 && html.contains("Loops could not be read"))

        #expect(try await Self.page(nil).1.contains("No loop state store is configured"))
    }
}
