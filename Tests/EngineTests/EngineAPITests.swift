import Engine
import Foundation
import HTTP
import InngestProtocol
import JSON
import SQLite
import Testing

@Suite("Engine HTTP API", .serialized)
struct EngineAPITests {
    static let echo = InngestFunction(id: "echo", triggers: [.event("api/echo")]) { ctx -> JSON in ctx.event.data }

    /// Events sent to the API. The engine's own `inngest/…` events are left
    /// out: a run that finishes before the count is read adds
    /// `inngest/function.finished`, which made this flaky on a loaded machine.
    func eventCount(_ h: EngineHarness) throws -> Int {
        try h.probe().queryOne("SELECT count(*) FROM events WHERE name NOT LIKE 'inngest/%'")?.int(0) ?? -1
    }

    @Test func acceptsOneOrManyEventsAndReportsTheirRuns() async throws {
        let h = try await EngineHarness.start(functions: [Self.echo])
        let (status, reply) = try await h.api("POST", "/e/any-key", body: Array(#"[{"name":"api/echo","data":{"n":1}},{"name":"api/echo","data":{"n":2}}]"#.utf8))
        #expect(status == 200)
        #expect(reply["status"] == 200)
        let ids = reply["ids"]?.arrayValue?.compactMap(\.stringValue) ?? []
        #expect(ids.count == 2)
        let runs = try await h.finishedRuns(forEvent: ids[1])
        #expect(runs[0]["output"]?["n"]?.intValue == 2)
        let (runStatus, run) = try await h.api("GET", "/v1/runs/\(runs[0]["run_id"]?.stringValue ?? "")")
        #expect(runStatus == 200)
        #expect(run["data"]?["status"] == "Completed")
        let (eventStatus, event) = try await h.api("GET", "/v1/events/\(ids[0])")
        #expect(eventStatus == 200 && event["data"]?["name"] == "api/echo")
        let (single, one) = try await h.api("POST", "/e/k", body: Array(#"{"name":"api/echo"}"#.utf8))
        #expect(single == 200 && one["ids"]?.arrayValue?.count == 1)
        let (healthStatus, health) = try await h.api("GET", "/health")
        #expect(healthStatus == 200 && health["status"] == "ok")
        let (missing, _) = try await h.api("GET", "/v1/runs/nope")
        #expect(missing == 404)
        await h.stop()
    }

    @Test(arguments: [
        ("{not json", 400, "not valid JSON"),
        (#"{"data":{}}"#, 400, "missing 'name'"),
        (#"[{"name":"ok"},{"name":""}]"#, 400, "event 1: 'name' must be a non-empty string"),
        (#"{"name":"x","data":[1]}"#, 400, "'data' must be an object"),
        (#"{"name":"x","ts":"yesterday"}"#, 400, "'ts' must be Unix milliseconds"),
        // These three once trapped converting to Int64 and took the engine down.
        (#"{"name":"x","ts":9223372036854775807}"#, 400, "'ts' must be Unix milliseconds"),
        (#"{"name":"x","ts":99999999999999999999999}"#, 400, "'ts' must be Unix milliseconds"),
        (#"{"name":"x","ts":1e300}"#, 400, "'ts' must be Unix milliseconds"),
        ("42", 400, "event object or an array"),
    ])
    func rejectsBadEventsWithAClearErrorAndStoresNothing(_ body: String, _ expectedStatus: Int, _ fragment: String) async throws {
        let h = try await EngineHarness.start(functions: [Self.echo])
        let (status, reply) = try await h.api("POST", "/e/key", body: Array(body.utf8))
        #expect(status == expectedStatus)
        #expect(reply["error"]?.stringValue?.contains(fragment) == true, "\(reply)")
        #expect(try eventCount(h) == 0)
        await h.stop()
    }

    @Test func rejectsOversizedPayloads() async throws {
        let h = try await EngineHarness.start(functions: [Self.echo]) { config in
            config.limits.maxEventBytes = 1_000
            config.limits.maxEventRequestBytes = 10_000
        }
        let big = String(repeating: "x", count: 2_000)
        let (status, reply) = try await h.api("POST", "/e/key", body: Array(#"{"name":"api/echo","data":{"blob":"\#(big)"}}"#.utf8))
        #expect(status == 413)
        #expect(reply["error"]?.stringValue?.contains("1000-byte limit") == true)
        let huge = String(repeating: "y", count: 20_000)
        let (status2, reply2) = try await h.api("POST", "/e/key", body: Array(#"{"name":"api/echo","data":{"blob":"\#(huge)"}}"#.utf8))
        #expect(status2 == 413)
        #expect(reply2["error"]?.stringValue?.contains("10000-byte limit") == true)
        #expect(try eventCount(h) == 0)
        await h.stop()
    }

    @Test func unknownEventKeyIsRefusedWhenKeysAreConfigured() async throws {
        let h = try await EngineHarness.start(functions: [Self.echo]) { config in config.eventKeys = ["secret-key"] }
        let (status, reply) = try await h.api("POST", "/e/wrong-key", body: Array(#"{"name":"api/echo"}"#.utf8))
        #expect(status == 401)
        #expect(reply["error"] == "Event key not found")
        #expect(try eventCount(h) == 0)
        let (ok, _) = try await h.api("POST", "/e/secret-key", body: Array(#"{"name":"api/echo"}"#.utf8))
        #expect(ok == 200)
        #expect(try eventCount(h) == 1)
        await h.stop()
    }

    @Test func registrationRejectsConfigTheEngineCannotHonour() async throws {
        let h = try await EngineHarness.start(functions: [Self.echo])
        func register(_ function: String) async throws -> (Int, JSON) {
            let body = #"{"url":"http://127.0.0.1:1/api","appName":"bad-app","sdk":"swift:v0","v":"0.1","functions":[\#(function)]}"#
            return try await h.api("POST", "/fn/register", body: Array(body.utf8))
        }
        let step = #""steps":{"step":{"id":"step","name":"step","runtime":{"type":"http","url":"http://127.0.0.1:1/api?fnId=f&stepId=step"}}}"#
        let cases: [(String, String)] = [
            (#"{"id":"f","name":"f","triggers":[{"event":"a"}],"batchEvents":{"maxSize":1,"timeout":"5s"},\#(step)}"#, "batchEvents 'maxSize' must be"),
            (#"{"id":"f","name":"f","triggers":[{"event":"a","expression":"event.data.x =="}],\#(step)}"#, "trigger expression"),
            (#"{"id":"f","name":"f","triggers":[{"cron":"61 * * * *"}],\#(step)}"#, "minute 61 is out of range"),
            (#"{"id":"f","name":"f","triggers":[{"event":"a"}],"priority":{"run":"event.data.p +"},\#(step)}"#, "priority.run"),
            (#"{"id":"f","name":"f","triggers":[{"cron":"* * * * *","jitter":"10m"}],\#(step)}"#, "cron jitter must be"),
            (#"{"id":"f","name":"f","triggers":[{"event":"a"}],"singleton":{"mode":"later"},\#(step)}"#, "singleton 'mode'"),
            (#"{"id":"f","name":"f","triggers":[{"event":"a"}],"checkpoint":"always",\#(step)}"#, "'checkpoint' must be an object"),
            (#"{"id":"f","triggers":[{"event":"a"}],\#(step)}"#, "a function name is required"),
            (#"{"id":"f","name":"f","triggers":[{"event":"a"}],"surprise":true,\#(step)}"#, "unknown setting 'surprise'"),
        ]
        for (function, fragment) in cases {
            let (status, reply) = try await register(function)
            #expect(status == 400, "\(fragment)")
            #expect(reply["error"]?.stringValue?.contains(fragment) == true, "\(reply)")
        }
        let (status, reply) = try await register(#"{"id":"f","name":"f","triggers":[{"event":"a"}],\#(step)}"#)
        #expect(status == 200 && reply["modified"] == true)
        let (_, again) = try await register(#"{"id":"f","name":"f","triggers":[{"event":"a"}],\#(step)}"#)
        #expect(again["modified"] == false)
        await h.stop()
    }

    @Test func largeRunStateIsServedThroughTheV0Endpoints() async throws {
        let fn = InngestFunction(id: "bulky", triggers: [.event("api/bulky")]) { ctx -> Int in
            let blob: String = try await ctx.step.run("make-blob") { String(repeating: "z", count: 3_000) }
            let again: String = try await ctx.step.run("echo-blob") { blob }
            return again.count
        }
        // A tiny inline limit forces use_api on every call after the first step.
        let h = try await EngineHarness.start(functions: [fn]) { config in config.settings.maxCallBodyBytes = 2_000 }
        let id = try await h.send("api/bulky")
        let runs = try await h.finishedRuns(forEvent: id)
        #expect(runs[0]["status"] == "Completed")
        #expect(runs[0]["output"]?.intValue == 3_000)
        let runID = runs[0]["run_id"]?.stringValue ?? ""
        let (batchStatus, batch) = try await h.api("GET", "/v0/runs/\(runID)/batch")
        #expect(batchStatus == 200 && batch.arrayValue?.count == 1)
        let (actionsStatus, actions) = try await h.api("GET", "/v0/runs/\(runID)/actions")
        #expect(actionsStatus == 200 && actions.objectValue?.count == 2)
        await h.stop()
    }
}
