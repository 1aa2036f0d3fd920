import Foundation
import Testing
import HTTP
import JSON
@testable import InngestProtocol
import TestSupport

/// `step.waitForSignal`'s op and memo as the Inngest server reads and writes
/// them, and `sendSignal`'s request to `POST /v1/signals` against a loopback
/// stand-in for the REST API (the embedded engine's own signal flow is in
/// EngineTests' EngineSignalTests).
@Suite struct SignalStepTests {
    static let hashedWait = StepIdHasher.hash("wait", index: 0)

    static func waiter(_ conflict: SignalConflict = .fail) -> InngestFunction {
        InngestFunction(id: "w", triggers: [.event("e")]) { ctx -> JSON in
            guard let got = try await ctx.step.waitForSignal("wait", signal: "approval-7", timeout: "10m", onConflict: conflict) else {
                return "timeout"
            }
            return ["signal": .string(got.signal), "data": got.data]
        }
    }

    @Test func opCarriesSignalTimeoutAndConflict() async {
        let r = await OpShapeTests.call(Self.waiter())
        #expect(r.status == 206)
        #expect(r.json == [["op": "WaitForSignal", "id": .string(Self.hashedWait), "name": "wait", "displayName": "wait",
                            "opts": ["signal": "approval-7", "timeout": "10m", "conflict": "fail"], "data": nil]])
        let replacing = await OpShapeTests.call(Self.waiter(.replace))
        #expect(replacing.json?[0]?["opts"]?["conflict"] == "replace")
    }

    @Test func memoIsTheSignalWithItsDataOrNilOnTimeout() async {
        var steps = JSONObject()
        steps[Self.hashedWait] = ["data": ["signal": "approval-7", "data": ["ok": true]]]
        #expect(await OpShapeTests.call(Self.waiter(), steps: steps).json == ["signal": "approval-7", "data": ["ok": true]])
        steps[Self.hashedWait] = ["data": ["signal": "approval-7"]]
        #expect(await OpShapeTests.call(Self.waiter(), steps: steps).json == ["signal": "approval-7", "data": nil])
        steps[Self.hashedWait] = .null
        #expect(await OpShapeTests.call(Self.waiter(), steps: steps).json == "timeout")
    }

    @Test func aMemoThatIsNoSignalFailsTheCallInsteadOfInventingOne() async {
        var steps = JSONObject()
        steps[Self.hashedWait] = ["data": 42]
        let r = await OpShapeTests.call(Self.waiter(), steps: steps)
        #expect(r.status == 500)
        #expect(r.json?["message"]?.stringValue?.contains("wait") == true)
    }

    @Test func conflictErrorFromTheServerIsAStepError() async {
        let fn = InngestFunction(id: "w", triggers: [.event("e")]) { ctx -> String in
            do {
                _ = try await ctx.step.waitForSignal("wait", signal: "s", timeout: "1m")
                return "resumed"
            } catch let error as StepError {
                return error.message
            }
        }
        var steps = JSONObject()
        steps[Self.hashedWait] = ["error": ["name": "Error", "message": "Signal conflict; signal wait already exists for another run"]]
        #expect(await OpShapeTests.call(fn, steps: steps).json == "Signal conflict; signal wait already exists for another run")
    }

    static func client(_ api: LoopbackServer, key: String? = nil) throws -> InngestAPIClient {
        let configuration = try InngestConfiguration(mode: key == nil ? .dev : .cloud,
                                                     signingKey: key.map { try SigningKey(parsing: $0) }, apiBaseURL: api.origin)
        return InngestAPIClient(configuration: configuration, httpClient: SocketHTTPClient())
    }

    @Test func sendSignalPostsNameAndDataWithTheBearerKey() async throws {
        let key = "signkey-test-" + String(repeating: "ef", count: 32)
        try await withLoopbackServer({ _, _ in HTTPResponse.json(200, ["data": ["run_id": "01RUN"], "metadata": [:]]) }) { api in
            let runID = try await Self.client(api, key: key).sendSignal("approval-7", data: ["ok": true])
            #expect(runID == "01RUN")
            let request = try #require(api.requests.first)
            #expect(request.method == "POST" && request.path == "/v1/signals")
            #expect(try JSON(parsing: request.body) == ["signal": "approval-7", "data": ["ok": true]])
            #expect(request.headers["Authorization"] == "Bearer \(try SigningKey(parsing: key).bearerToken)")
        }
    }

    @Test func noWaitingRunIsNilButOtherFailuresThrow() async throws {
        try await withLoopbackServer({ request, n in
            switch n {
            case 0: return HTTPResponse.json(404, ["error": "No signal found", "data": nil, "status": 404])
            case 1: return HTTPResponse(status: 404, body: Array("404 page not found".utf8))
            case 2: return HTTPResponse.json(500, ["error": "Failed to receive signal", "status": 500])
            default: return HTTPResponse.json(200, ["data": [:]])
            }
        }) { api in
            let client = try Self.client(api)
            #expect(try await client.sendSignal("nobody") == nil)
            await #expect(throws: InngestAPIError.self) { try await client.sendSignal("old-server") }
            await #expect(throws: InngestAPIError.self) { try await client.sendSignal("broken") }
            await #expect(throws: InngestAPIError.self) { try await client.sendSignal("no-run-id") }
            #expect(try JSON(parsing: api.requests[0].body) == ["signal": "nobody", "data": nil])
        }
    }

    @Test func stepSendSignalRunsOnceAndMemoisesTheResumedRun() async throws {
        let fn = InngestFunction(id: "signaller", triggers: [.event("e")]) { ctx -> String in
            let run = try await ctx.step.sendSignal("notify", signal: "approval-7", data: ["ok": true])
            return run ?? "nobody"
        }
        try await withLoopbackServer({ _, _ in HTTPResponse.json(200, ["data": ["run_id": "01RUN"]]) }) { api in
            let inngest = Inngest(appId: "test-app", functions: [fn],
                                  configuration: InngestConfiguration(mode: .dev, apiBaseURL: api.origin),
                                  httpClient: SocketHTTPClient(), logSink: DiscardingLogSink())
            let first = await inngest.handler.handle(CallBody.request(fnId: "test-app-signaller", body: CallBody.make()))
            #expect(first.status == 206)
            #expect(first.json == [["op": "StepRun", "id": .string(StepIdHasher.hash("notify", index: 0)), "name": "notify",
                                    "displayName": "notify", "opts": ["type": "step.sendSignal"], "data": ["run_id": "01RUN"]]])
            #expect(api.requests.count == 1 && api.requests[0].path == "/v1/signals")
            var steps = JSONObject()
            steps[StepIdHasher.hash("notify", index: 0)] = ["data": ["run_id": nil]]
            let replay = await inngest.handler.handle(CallBody.request(fnId: "test-app-signaller", body: CallBody.make(steps: steps)))
            #expect(replay.status == 200 && replay.json == "nobody")
            #expect(api.requests.count == 1)
        }
    }
}
