@testable import Console
import Foundation
import HTTP
import InngestProtocol
import JSON
import Testing
import TestSupport

/// The runs page's reading for a server without `GET /v1/runs` (the open-source
/// Inngest server): the runs of recent events, through the same REST client, here
/// against the engine's `/v1/events` and `/v1/events/{id}/runs`.
@Suite("Runs from recent events", .serialized)
struct RunsFromEventsTests {
    @Test func recentEventsRunsAreListedNamedBySlugAndFiltered() async throws {
        let h = try await ConsoleHarness(functions: [ConsoleHandlerTests.steps, ConsoleHandlerTests.sleeper])
        let done = try await h.inngest.send(InngestEvent(name: "console/steps", data: ["who": "<b>ada</b>"]))[0]
        try await waitUntil("the steps run completes") { h.engine.runs(forEvent: done).first?["status"] == "Completed" }
        let sleeping = try await h.inngest.send(InngestEvent(name: "console/sleep"))[0]
        try await waitUntil("the sleeper sleeps") { h.engine.runs(forEvent: sleeping).first?["status"] == "Running" }
        let reader = RunsFromEvents(api: h.console.sources.api, appID: "console-test")

        let all = try await reader.page(RunsPage.Filter(), fromMilliseconds: nil)
        #expect(all.runs.compactMap { $0["function_slug"]?.stringValue } == ["console-test-sleeper", "console-test-steps"])
        #expect(all.runs.compactMap { $0["event_name"]?.stringValue } == ["console/sleep", "console/steps"])
        #expect(all.runs.compactMap { $0["status"]?.stringValue } == ["Running", "Completed"])
        #expect(all.cursor == nil, "fewer events than a page")

        var completed = RunsPage.Filter()
        completed.status = "Completed"
        #expect(try await reader.page(completed, fromMilliseconds: nil).runs.map { $0["event_id"] } == [.string(done)])
        var sleeper = RunsPage.Filter()
        sleeper.functionID = "console-test-sleeper"
        #expect(try await reader.page(sleeper, fromMilliseconds: nil).runs.map { $0["event_id"] } == [.string(sleeping)])
        let future = Int64(Date().timeIntervalSince1970 * 1000) + 3_600_000
        #expect(try await reader.page(RunsPage.Filter(), fromMilliseconds: future).runs.isEmpty)

        let rows = RunsPage(prefix: "/console", now: Int64(Date().timeIntervalSince1970 * 1000)).rows(all.runs)
        #expect(rows.contains("console-test-steps") && rows.contains("console/sleep") && rows.contains("Running"))
        await h.stop()
    }

    @Test func aServerThatNamesFunctionsByUUIDIsMappedToSlugs() {
        let run: JSON = ["run_id": "01RUN", "function_id": "0b5e2f4e-0000-4000-8000-000000000001", "status": "Failed",
                         "run_started_at": "2026-12-06T01:02:03.456Z", "ended_at": "2026-12-06T01:02:04Z", "event_id": "01EVT"]
        let row = RunsFromEvents.row(run, eventName: "x/y", slugs: ["0b5e2f4e-0000-4000-8000-000000000001": "system-bus-x"])
        #expect(row["id"] == "01RUN" && row["function_slug"] == "system-bus-x" && row["started_at"] == "2026-12-06T01:02:03.456Z")
        let unmapped = RunsFromEvents.row(run, eventName: "x/y", slugs: [:])
        #expect(unmapped["function_slug"] == "0b5e2f4e-0000-4000-8000-000000000001")
        var failed = RunsPage.Filter()
        failed.status = "Failed"
        #expect(RunsFromEvents.matches(row, failed, fromMilliseconds: nil))
        #expect(!RunsFromEvents.matches(row, RunsPage.Filter(), fromMilliseconds: 1_900_000_000_000))
        #expect(!RunsFromEvents.matches(RunsFromEvents.row([:], eventName: "", slugs: [:]), RunsPage.Filter(), fromMilliseconds: 0))
    }

    /// An event whose runs the server will not give is counted and said, not
    /// dropped in silence: the other events' runs are listed, and the note
    /// rides with the rows (escaped) so a live refresh keeps it. A loopback
    /// server stands in for the open-source server, since the engine never
    /// fails one event's runs alone.
    @Test func eventsWhoseRunsCannotBeReadAreCountedAndSaid() async throws {
        let server = try LoopbackServer { request in
            switch request.path {
            case "/v1/events":
                return .json(200, ["data": [["internal_id": "01GOOD", "name": "a/b"], ["internal_id": "01BAD", "name": "c/d"],
                                            ["internal_id": "01EMPTY", "name": "e/f"]]])
            case "/v1/events/01GOOD/runs":
                return .json(200, ["data": [["run_id": "01RUN", "function_id": "fn-uuid", "status": "Completed",
                                             "run_started_at": "2026-12-06T01:02:03Z", "event_id": "01GOOD"]]])
            case "/v1/events/01EMPTY/runs": return .json(200, ["data": []])
            case "/v1/apps/app/functions": return .json(200, [["id": "app-fn", "internal_id": "fn-uuid"]])
            default: return .json("{\"error\":\"<boom>\"}", status: 500)
            }
        }
        let api = InngestAPIClient(configuration: InngestConfiguration(mode: .dev, apiBaseURL: server.url), httpClient: SocketHTTPClient())
        let page = try await RunsFromEvents(api: api, appID: "app").page(RunsPage.Filter(), fromMilliseconds: nil)
        #expect(page.runs.map { $0["function_slug"] } == ["app-fn"])
        #expect(page.unreadEvents == 1)
        let note = try #require(RunsFromEvents.incompleteNote(page))
        #expect(note.hasPrefix("The runs of 1 event could not be read, so this list may be incomplete ("), "\(note)")
        #expect(note.contains("500"))
        let rows = RunsPage(prefix: "/console", now: 0).rows(page.runs, note: note)
        #expect(rows.contains("app-fn") && rows.contains("class=\"error\"") && !rows.contains("<boom>"))
        #expect(RunsFromEvents.incompleteNote(RunsFromEvents.Page(runs: [], cursor: nil)) == nil)
        await server.stop()
    }

    /// A server that ignores `limit` and lists 40 events costs one page of
    /// runs requests (25), not one per event it sent.
    @Test func aServerIgnoringTheLimitCostsOnePageOfRequests() async throws {
        let server = try LoopbackServer { request in
            if request.path == "/v1/events" {
                return .json(200, ["data": .array((0..<40).map { ["internal_id": .string("01E\($0)"), "name": "a/b"] })])
            }
            return .json(200, ["data": []])
        }
        let api = InngestAPIClient(configuration: InngestConfiguration(mode: .dev, apiBaseURL: server.url), httpClient: SocketHTTPClient())
        let page = try await RunsFromEvents(api: api, appID: nil).page(RunsPage.Filter(), fromMilliseconds: nil)
        #expect(page.runs.isEmpty && page.unreadEvents == 0)
        #expect(server.requests.filter { $0.path.hasSuffix("/runs") }.count == RunsFromEvents.eventsPerPage)
        await server.stop()
    }
}
