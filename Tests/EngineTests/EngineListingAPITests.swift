import Engine
import Foundation
import HTTP
import InngestProtocol
import JSON
import Testing
import TestSupport

/// The read side a console uses (event and run pages, counts, traces, re-run),
/// against a signed engine, as the worker runs it by default.
@Suite("Engine listing API", .serialized)
struct EngineListingAPITests {
    static let key = "signkey-test-" + String(repeating: "5a", count: 32)

    static let echo = InngestFunction(id: "echo", triggers: [.event("list/echo")]) { ctx -> JSON in ctx.event.data }

    static let twoSteps = InngestFunction(id: "two-steps", triggers: [.event("list/steps")],
                                          config: FunctionConfiguration(retries: 1)) { ctx -> String in
        let first: Int = try await ctx.step.run("first step") { 41 }
        if ctx.event.data["fail"] == true {
            let _: Int = try await ctx.step.run("second step") { throw NonRetriableError("second step broke <b>") }
        }
        return "done \(first + 1)"
    }

    static let sleeper = InngestFunction(id: "sleeper", triggers: [.event("list/sleep")]) { ctx -> String in
        try await ctx.step.sleep("long nap", for: .minutes(30))
        return "woke"
    }

    func start() async throws -> EngineHarness {
        try await EngineHarness.start(functions: [Self.echo, Self.twoSteps, Self.sleeper], sdkSigningKey: Self.key) { config in
            config.signingKey = Self.key
            config.eventKeys = ["bench-key"]
        }
    }

    func get(_ h: EngineHarness, _ path: String, method: String = "GET") async throws -> (Int, JSON) {
        let token = try SigningKey(parsing: Self.key).bearerToken
        return try await h.api(method, path, headers: ["Authorization": "Bearer \(token)"])
    }

    @Test func eventsComeNewestFirstInKeysetPagesFilteredByName() async throws {
        let h = try await start()
        var sent: [String] = []
        for n in 0..<5 { sent.append(try await h.send("list/echo", ["n": .number(JSONNumber(n))])) }
        try await h.send("list/other")
        var seen: [String] = []
        var cursor: String?
        var pages = 0
        repeat {
            let (status, page) = try await get(h, "/v1/events?name=list/echo&limit=2" + (cursor.map { "&cursor=\($0)" } ?? ""))
            #expect(status == 200)
            let items = page["data"]?.arrayValue ?? []
            #expect(items.allSatisfy { $0["name"] == "list/echo" && $0["received_at"]?.stringValue != nil })
            seen += items.compactMap { $0["internal_id"]?.stringValue }
            cursor = page["cursor"]?.stringValue
            pages += 1
        } while cursor != nil && pages < 10
        #expect(seen == sent.reversed())
        #expect(pages == 3)
        let (_, all) = try await get(h, "/v1/events?limit=100")
        let names = all["data"]?.arrayValue?.compactMap { $0["name"]?.stringValue }.filter { !$0.hasPrefix("inngest/") }
        #expect(names?.first == "list/other")
        let (_, none) = try await get(h, "/v1/events?received_after=2999-01-01T00:00:00Z")
        #expect(none["data"]?.arrayValue?.isEmpty == true)
        let (unauthorized, _) = try await h.api("GET", "/v1/events")
        #expect(unauthorized == 401)
        await h.stop()
    }

    @Test(arguments: [
        "/v1/events?limit=0", "/v1/events?limit=101", "/v1/events?limit=ten", "/v1/events?limit=99999999999999999999999",
        "/v1/events?cursor=garbage", "/v1/events?cursor=-5.x", "/v1/events?received_after=yesterday",
        "/v1/events?received_before=2026-13-45T99:00:00Z", "/v1/runs?status=Bogus", "/v1/runs?first=401",
        "/v1/runs?from=%00", "/v1/runs?cursor=1.%20", "/v1/runs/counts?cap=0", "/v1/runs/counts?cap=100001",
    ])
    func hostileQueryValuesAreRefusedWithA400(_ path: String) async throws {
        let h = try await start()
        let (status, reply) = try await get(h, path)
        #expect(status == 400, "\(path): \(reply)")
        // A NUL in the target is refused by the HTTP server itself, before the API sees it.
        #expect(reply["error"]?.stringValue?.isEmpty == false || path.contains("%00"))
        await h.stop()
    }

    @Test func anAppsFunctionsAreListedAsTheServerListsThem() async throws {
        let h = try await start()
        let (status, reply) = try await get(h, "/v1/apps/test-app/functions")
        #expect(status == 200)
        let functions = try #require(reply.arrayValue)
        #expect(functions.compactMap { $0["id"]?.stringValue } == ["test-app-echo", "test-app-sleeper", "test-app-two-steps"])
        #expect(functions[0]["app_id"] == "test-app" && functions[0]["config"]?["triggers"]?[0]?["event"] == "list/echo")
        #expect(functions.allSatisfy { $0["internal_id"]?.stringValue != nil && $0["created_at"]?.stringValue != nil })
        for path in ["/v1/apps/other-app/functions", "/v1/apps/x'%20OR%20'1'='1/functions"] {
            let (unknownStatus, unknown) = try await get(h, path)
            #expect(unknownStatus == 200 && unknown.arrayValue?.isEmpty == true, "\(path): \(unknown)")
        }
        let (refused, _) = try await h.api("GET", "/v1/apps/test-app/functions")
        #expect(refused == 401)
        await h.stop()
    }

    @Test func injectionShapedFiltersAreJustValues() async throws {
        let h = try await start()
        try await h.send("list/echo")
        for path in ["/v1/events?name=x'%20OR%20'1'='1", "/v1/runs?function_id=x'%20OR%201=1--"] {
            let (status, reply) = try await get(h, path)
            #expect(status == 200)
            #expect((reply["data"] ?? reply["runs"])?.arrayValue?.isEmpty == true, "\(path): \(reply)")
        }
        await h.stop()
    }

    @Test func runsArePagedAndFilteredByFunctionStatusAndTimeAndCountedWithACap() async throws {
        let h = try await start()
        var echoIDs: [String] = []
        for n in 0..<3 { echoIDs.append(try await h.send("list/echo", ["n": .number(JSONNumber(n))])) }
        let failing = try await h.send("list/steps", ["fail": true])
        for id in echoIDs { _ = try await h.finishedRuns(forEvent: id) }
        _ = try await h.finishedRuns(forEvent: failing)

        let (status, all) = try await get(h, "/v1/runs?first=2")
        #expect(status == 200)
        #expect(all["runs"]?.arrayValue?.count == 2 && all["has_more"] == true)
        let echoFunction = try #require(h.engine.runs(forEvent: echoIDs[0]).first?["function_id"]?.stringValue)
        var ids: [String] = []
        var cursor: String?
        repeat {
            let (_, page) = try await get(h, "/v1/runs?function_id=\(echoFunction)&first=2" + (cursor.map { "&cursor=\($0)" } ?? ""))
            ids += page["runs"]?.arrayValue?.compactMap { $0["id"]?.stringValue } ?? []
            #expect(page["runs"]?.arrayValue?.allSatisfy { $0["event_name"] == "list/echo" && $0["status"] == "Completed" } == true)
            cursor = page["cursor"]?.stringValue
        } while cursor != nil && ids.count < 10
        #expect(ids == echoIDs.reversed().compactMap { h.engine.runs(forEvent: $0).first?["run_id"]?.stringValue })

        let (_, failed) = try await get(h, "/v1/runs?status=Failed")
        let failedRuns = failed["runs"]?.arrayValue ?? []
        #expect(failedRuns.count == 1 && failedRuns[0]["error"]?["message"]?.stringValue?.contains("second step broke") == true)
        let (_, future) = try await get(h, "/v1/runs?from=2999-01-01T00:00:00Z")
        #expect(future["runs"]?.arrayValue?.isEmpty == true)

        let (_, count) = try await get(h, "/v1/runs/counts?function_id=\(echoFunction)")
        #expect(count["count"] == 3 && count["capped"] == false)
        let (_, capped) = try await get(h, "/v1/runs/counts?cap=2")
        #expect(capped["count"] == 2 && capped["capped"] == true)
        await h.stop()
    }

    @Test func aTraceListsEachStepInOrderWithOutputsErrorsAndAttempts() async throws {
        let h = try await start()
        let event = try await h.send("list/steps", ["fail": true])
        let run = try #require(try await h.finishedRuns(forEvent: event).first)
        let runID = try #require(run["run_id"]?.stringValue)
        let (status, trace) = try await get(h, "/v1/runs/\(runID)/trace")
        #expect(status == 200)
        let root = try #require(trace["data"])
        #expect(root["status"] == "Failed" && root["is_root"] == true && root["duration_ms"]?.intValue != nil)
        let steps = root["children"]?.arrayValue ?? []
        #expect(steps.map { $0["name"]?.stringValue ?? "" } == ["first step", "second step"])
        #expect(steps.first?["step_op"] == "StepRun" && steps.first?["output"] == 41 && steps.first?["status"] == "Completed")
        #expect(steps.last?["status"] == "Failed")
        #expect(steps.last?["error"]?["message"]?.stringValue?.contains("second step broke <b>") == true)
        #expect(steps.allSatisfy { ($0["attempts"]?.intValue ?? 0) >= 1 && $0["started_at"]?.stringValue != nil })
        let (missing, _) = try await get(h, "/v1/runs/nope/trace")
        #expect(missing == 404)
        await h.stop()
    }

    @Test func aSleepingRunShowsItsSleepAndACancelledOneCanBeRerun() async throws {
        let h = try await start()
        let event = try await h.send("list/sleep")
        try await h.awaitQueued("sleep")
        let runID = try #require(h.engine.runs(forEvent: event).first?["run_id"]?.stringValue)
        let (_, sleeping) = try await get(h, "/v1/runs/\(runID)/trace")
        let nap = sleeping["data"]?["children"]?[0]
        #expect(nap?["step_op"] == "Sleep" && nap?["status"] == "Sleeping" && nap?["step_info"]?["sleep_until"]?.stringValue != nil)

        let (refused, _) = try await get(h, "/v1/runs/\(runID)/rerun", method: "POST")
        #expect(refused == 409)
        let (cancelled, _) = try await get(h, "/v1/runs/\(runID)", method: "DELETE")
        #expect(cancelled == 200)
        let (_, after) = try await get(h, "/v1/runs/\(runID)/trace")
        #expect(after["data"]?["status"] == "Cancelled" && after["data"]?["children"]?[0]?["status"] == "Cancelled")

        let (rerunStatus, rerun) = try await get(h, "/v1/runs/\(runID)/rerun", method: "POST")
        #expect(rerunStatus == 200)
        let newID = try #require(rerun["data"]?["run_id"]?.stringValue)
        #expect(newID != runID)
        try await waitUntil("the re-run sleeps") { try h.queued("sleep") >= 1 }
        let (_, fresh) = try await get(h, "/v1/runs/\(newID)")
        #expect(fresh["data"]?["status"] == "Running" && fresh["data"]?["event_id"]?.stringValue == event)
        let (unknown, _) = try await get(h, "/v1/runs/nope/rerun", method: "POST")
        #expect(unknown == 404)
        await h.stop()
    }
}
