import Foundation
import Testing
import HTTP
import JSON
@testable import InngestProtocol
import TestSupport

/// Async checkpointing (`Checkpointing`): a call runs step after step, saving each to
/// `POST /v1/checkpoint/{runId}/async` on a loopback stand-in for the API, and
/// answers the server only when it reaches something the server must do. The
/// embedded engine's side is in EngineTests' EngineCheckpointTests.
@Suite struct CheckpointingTests {
    static let runID = "01HZXJ4K8Y8N3S7D2G5Q6R9T0V"

    static func chain(maxRuntime: InngestDuration? = nil) -> InngestFunction {
        InngestFunction(id: "chain", triggers: [.event("e")], config: .init(checkpointing: .init(maxRuntime: maxRuntime))) { ctx -> Int in
            let a = try await ctx.step.run("a") { 1 }
            let b = try await ctx.step.run("b") { a + 1 }
            try await ctx.step.sleep("nap", for: .seconds(5))
            return try await ctx.step.run("c") { b + 1 }
        }
    }

    /// One discovery call of `function` with the API at `api`; returns the response.
    static func call(_ function: InngestFunction, api: LoopbackServer, steps: JSONObject = JSONObject(), queueItem: String = "qi-1",
                     elapsed: @escaping @Sendable () -> Double = { 0 }) async -> HTTPResponse {
        let inngest = Inngest(appId: "test-app", functions: [function],
                              configuration: InngestConfiguration(mode: .dev, apiBaseURL: api.origin),
                              httpClient: SocketHTTPClient(), logSink: DiscardingLogSink(), elapsedClock: elapsed)
        let body = CallBody.make(steps: steps, queueItem: queueItem)
        return await inngest.handler.handle(CallBody.request(fnId: "test-app-\(function.id)", body: body))
    }

    @Test func stepsRunBackToBackEachCheckpointedUntilTheSleep() async throws {
        try await withLoopbackServer({ _, _ in HTTPResponse.json(200, [:]) }) { api in
            let r = await Self.call(Self.chain(), api: api)
            #expect(r.status == 206)
            #expect(r.json?[0]?["op"] == "Sleep" && r.json?[0]?["name"] == "nap")
            let checkpoints = api.requests
            #expect(checkpoints.count == 2)
            #expect(checkpoints.allSatisfy { $0.method == "POST" && $0.path == "/v1/checkpoint/\(Self.runID)/async" })
            let first = try JSON(parsing: checkpoints[0].body)
            #expect(first["run_id"]?.stringValue == Self.runID && first["qi_id"] == "qi-1")
            #expect(first["fn_id"] == "8f7b2a1e-0000-4000-8000-000000000001")
            #expect(first["steps"]?[0]?["op"] == "StepRun" && first["steps"]?[0]?["name"] == "a" && first["steps"]?[0]?["data"] == 1)
            #expect(try JSON(parsing: checkpoints[1].body)["steps"]?[0]?["data"] == 2)
        }
    }

    @Test func theLastStepsCompleteTheRunInTheSameCall() async throws {
        try await withLoopbackServer({ _, _ in HTTPResponse.json(200, [:]) }) { api in
            var steps = JSONObject()
            for (id, memo) in [("a", ["data": 1] as JSON), ("b", ["data": 2]), ("nap", .null)] {
                steps[StepIdHasher.hash(id, index: 0)] = memo
            }
            let r = await Self.call(Self.chain(), api: api, steps: steps)
            #expect(r.status == 200 && r.json == 3)
            #expect(api.requests.count == 1)
        }
    }

    @Test func aServerWithoutTheRouteGetsTheOrdinaryAnswer() async throws {
        try await withLoopbackServer({ _, _ in HTTPResponse(status: 404, body: Array("404 page not found".utf8)) }) { api in
            let r = await Self.call(Self.chain(), api: api)
            #expect(r.status == 206)
            #expect(r.json?[0]?["op"] == "StepRun" && r.json?[0]?["name"] == "a")
            #expect(api.requests.count == 1)
        }
    }

    @Test func withoutAQueueItemNothingIsCheckpointed() async throws {
        try await withLoopbackServer({ _, _ in HTTPResponse.json(200, [:]) }) { api in
            let r = await Self.call(Self.chain(), api: api, queueItem: "")
            #expect(r.json?[0]?["op"] == "StepRun")
            #expect(api.requests.isEmpty)
        }
    }

    @Test func aStaleCallStopsWithARetriableError() async throws {
        try await withLoopbackServer({ _, _ in HTTPResponse.json(409, ["error": "stale dispatch"]) }) { api in
            let r = await Self.call(Self.chain(), api: api)
            #expect(r.status == 500)
            #expect(r.json?["name"] == "StaleDispatchError")
            #expect(api.requests.count == 1)
        }
    }

    @Test func pastMaxRuntimeTheStepGoesBackInTheAnswer() async throws {
        final class Ticks: @unchecked Sendable {
            let lock = NSLock(); var n = 0.0
            func next() -> Double { lock.withLock { defer { n += 10 }; return n } }
        }
        let ticks = Ticks()  // every reading is 10 s after the last
        try await withLoopbackServer({ _, _ in HTTPResponse.json(200, [:]) }) { api in
            let r = await Self.call(Self.chain(maxRuntime: "15s"), api: api, elapsed: { ticks.next() })
            // Start 0 s; after a: 10 s (checkpointed); after b: 20 s, past 15 s: b is answered.
            #expect(r.status == 206 && r.json?[0]?["op"] == "StepRun" && r.json?[0]?["name"] == "b")
            #expect(api.requests.count == 1)
        }
    }

    @Test func aFailingStepIsAnsweredAsUsualAfterTheCheckpointedOnes() async throws {
        struct Boom: Error {}
        let fn = InngestFunction(id: "fails", triggers: [.event("e")], config: .init(checkpointing: .init())) { ctx -> Int in
            let a = try await ctx.step.run("a") { 1 }
            return try await ctx.step.run("b") { () async throws -> Int in if a == 1 { throw Boom() }; return a }
        }
        try await withLoopbackServer({ _, _ in HTTPResponse.json(200, [:]) }) { api in
            let r = await Self.call(fn, api: api)
            #expect(r.status == 206 && r.json?[0]?["op"] == "StepError" && r.json?[0]?["name"] == "b")
            // The checkpoint started the attempts again, so this is attempt 0 of 4, not final.
            #expect(r.headers["X-Inngest-No-Retry"] == "false")
            #expect(api.requests.count == 1)
        }
    }

    @Test func theSettingIsRegisteredForTheServersUI() {
        let payload = RegisterPayload.function(appId: "test-app", Self.chain(maxRuntime: "30s"), serveURL: "http://127.0.0.1:1/api")
        #expect(payload["checkpoint"] == ["batch_steps": 1, "max_runtime": "30s"])
    }
}
