import Foundation
import Testing
import HTTP
import JSON
@testable import InngestProtocol

/// Every op the SDK emits, with the exact wire shape (docs/serve-protocol.md, "Responses and ops") and the
/// status and headers that go with it.
@Suite struct OpShapeTests {
    struct Boom: Error, CustomStringConvertible { var description: String { "broken" } }

    static func call(_ fn: InngestFunction, stepId: String = "step", steps: JSONObject = JSONObject(),
                     attempt: Int = 0, maxAttempts: Int = 4, disableImmediate: Bool = false,
                     event: JSON? = nil) async -> HTTPResponse {
        let inngest = devInngest([fn])
        let body = event.map { CallBody.make(event: $0, steps: steps, attempt: attempt, maxAttempts: maxAttempts,
                                             disableImmediateExecution: disableImmediate) }
            ?? CallBody.make(steps: steps, attempt: attempt, maxAttempts: maxAttempts, disableImmediateExecution: disableImmediate)
        return await inngest.handler.handle(CallBody.request(fnId: "test-app-\(fn.id)", stepId: stepId, body: body))
    }

    static let hashA = "86f7e437faa5a7fce15d1ddcb9eaeaea377667b8"

    static let failing = InngestFunction(id: "failing", triggers: [.event("test/event")]) { ctx in
        try await ctx.step.run("a") { () async throws -> Int in throw Boom() }
    }

    @Test func stepErrorIsRetriable() async {
        let r = await Self.call(Self.failing)
        #expect(r.status == 206)
        #expect(r.headers["X-Inngest-No-Retry"] == "false")
        #expect(r.json == [["op": "StepError", "id": .string(Self.hashA), "name": "a", "displayName": "a",
                            "error": ["name": "Boom", "message": "broken"], "data": nil]])
    }

    /// A final step failure is `StepError` + `X-Inngest-No-Retry: true`, never `StepFailed`:
    /// the real dev server before September 2025 (built at c5ee6c2c) answers a `StepFailed`
    /// op with "StepFailed does not belong to Opcode values" and the run never ends.
    @Test func lastAttemptIsStepErrorWithNoRetry() async {
        let r = await Self.call(Self.failing, attempt: 3, maxAttempts: 4)
        #expect(r.status == 206)
        #expect(r.headers["X-Inngest-No-Retry"] == "true")
        #expect(r.json == [["op": "StepError", "id": .string(Self.hashA), "name": "a", "displayName": "a",
                            "error": ["name": "Boom", "message": "broken"], "data": nil]])
    }

    @Test func nonRetriableErrorInStepIsStepErrorWithNoRetry() async {
        let fn = InngestFunction(id: "nr", triggers: [.event("e")]) { ctx in
            try await ctx.step.run("a") { () async throws -> Int in throw NonRetriableError("bad input") }
        }
        let r = await Self.call(fn)
        #expect(r.headers["X-Inngest-No-Retry"] == "true")
        #expect(r.json?[0]?["op"] == "StepError")
        #expect(r.json?[0]?["error"] == ["name": "NonRetriableError", "message": "bad input"])
    }

    @Test func retryAfterInStepSetsHeader() async {
        let fn = InngestFunction(id: "ra", triggers: [.event("e")]) { ctx in
            try await ctx.step.run("a") { () async throws -> Int in throw RetryAfterError("busy", after: .seconds(30)) }
        }
        let r = await Self.call(fn)
        #expect(r.status == 206)
        #expect(r.headers["Retry-After"] == "30")
        #expect(r.headers["X-Inngest-No-Retry"] == "false")
        #expect(r.json?[0]?["op"] == "StepError")
    }

    @Test func retryAfterDateIsRFC3339() {
        let e = RetryAfterError("later", at: Date(timeIntervalSince1970: 1787392800))
        #expect(e.retryAfterHeader == "2026-08-22T10:00:00Z")
        let ms = RetryAfterError("later", at: Date(timeIntervalSince1970: 1787392800.25))
        #expect(ms.retryAfterHeader == "2026-08-22T10:00:00.250Z")
    }

    @Test func waitForEventShape() async {
        let fn = InngestFunction(id: "w", triggers: [.event("e")]) { ctx in
            _ = try await ctx.step.waitForEvent("wait", event: "test/resume", timeout: "10s",
                                                if: "async.data.resume == true && async.data.id == event.data.id")
        }
        let r = await Self.call(fn)
        #expect(r.status == 206)
        #expect(r.json == [["op": "WaitForEvent", "id": "daaad336276d15594d0e765f96c17cd746bf4971", "name": "wait",
                            "displayName": "wait",
                            "opts": ["event": "test/resume", "timeout": "10s",
                                     "if": "async.data.resume == true && async.data.id == event.data.id"],
                            "data": nil]])
    }

    @Test func waitForEventMatchBuildsExpression() async {
        let fn = InngestFunction(id: "w", triggers: [.event("e")]) { ctx in
            _ = try await ctx.step.waitForEvent("wait", event: "x", timeout: .hours(1), match: "data.id")
        }
        let r = await Self.call(fn)
        #expect(r.json?[0]?["opts"] == ["event": "x", "timeout": "1h", "if": "event.data.id == async.data.id"])
    }

    @Test func waitForEventMemoIsTheEventOrNil() async {
        let fn = InngestFunction(id: "w", triggers: [.event("e")]) { ctx -> String in
            let got = try await ctx.step.waitForEvent("wait", event: "test/resume", timeout: "10s")
            return got.map { "\($0.name):\($0.data["id"]?.stringValue ?? "")" } ?? "timeout"
        }
        var steps = JSONObject()
        steps["daaad336276d15594d0e765f96c17cd746bf4971"] = ["data": ["id": "123", "resume": true], "id": "resume",
                                                              "name": "test/resume", "ts": 1724300000000, "user": [:]]
        #expect(await Self.call(fn, steps: steps).json == "test/resume:123")
        steps["daaad336276d15594d0e765f96c17cd746bf4971"] = .null
        #expect(await Self.call(fn, steps: steps).json == "timeout")
    }

    @Test func sleepUntilUsesRFC3339() async {
        let fn = InngestFunction(id: "s", triggers: [.event("e")]) { ctx in
            try await ctx.step.sleepUntil("until", Date(timeIntervalSince1970: 1787392800))
        }
        #expect(await Self.call(fn).json?[0]?["opts"] == ["duration": "2026-08-22T10:00:00Z"])
    }

    static let child = InngestFunction(id: "child", triggers: [.event("child/run")]) { _ in 1 }

    @Test func invokeShapeAndMemo() async {
        struct Input: Codable { var x: Int }
        let fn = InngestFunction(id: "parent", triggers: [.event("e")]) { ctx -> Int in
            let n: Int = try await ctx.step.invoke("call-child", function: Self.child, data: Input(x: 1), timeout: "1h")
            return n * 2
        }
        let r = await Self.call(fn)
        #expect(r.json == [["op": "InvokeFunction", "id": .string(Digest_sha1("call-child")), "name": "call-child",
                            "displayName": "call-child",
                            "opts": ["function_id": "test-app-child", "payload": ["data": ["x": 1]], "timeout": "1h"],
                            "data": nil]])
        var steps = JSONObject()
        steps[Digest_sha1("call-child")] = ["data": 21]
        #expect(await Self.call(fn, steps: steps).json == 42)
    }

    @Test func invokeTimeoutIsAStepError() async {
        let fn = InngestFunction(id: "parent", triggers: [.event("e")]) { ctx -> String in
            do {
                let _: Int = try await ctx.step.invoke("call-child", functionId: "other-app-fn", data: JSON.null)
                return "finished"
            } catch let e as StepError {
                return e.name
            }
        }
        var steps = JSONObject()
        steps[Digest_sha1("call-child")] = ["error": ["name": "InngestInvokeTimeoutError", "message": "Timed out waiting for invoked function to complete"]]
        #expect(await Self.call(fn, steps: steps).json == "InngestInvokeTimeoutError")
    }

    @Test func sendEventPlannedThenRun() async throws {
        let fn = InngestFunction(id: "send", triggers: [.event("e")]) { ctx -> [String] in
            try await ctx.step.sendEvent("send-welcome", InngestEvent(name: "app/welcome"))
        }
        // Immediate execution would send through the (unreachable) client, so plan it first.
        let planned = await Self.call(fn, disableImmediate: true)
        #expect(planned.json == [["op": "StepPlanned", "id": "35b38d6e7e06b2259cf170fbc128c883b2327cab", "name": "send-welcome",
                                  "displayName": "send-welcome", "opts": ["type": "step.sendEvent"], "data": nil]])
        var steps = JSONObject()
        steps["35b38d6e7e06b2259cf170fbc128c883b2327cab"] = ["data": ["ids": ["01J1"]]]
        #expect(await Self.call(fn, steps: steps).json == ["01J1"])
    }

    @Test func disableImmediateExecutionPlansARunStep() async {
        let r = await Self.call(StepRuntimeTests.twoSteps, disableImmediate: true)
        #expect(r.json == [["op": "StepPlanned", "id": "98bf98df193bcce7c33e6bc50927cf2ac21206cb", "name": "first step",
                            "displayName": "first step", "data": nil]])
    }

    @Test func targetedCallRunsOnlyThatStep() async {
        let fn = InngestFunction(id: "par", triggers: [.event("e")]) { ctx in
            let (a, b) = try await ctx.step.parallel(
                { try await ctx.step.run("fetch-user") { "u" } },
                { try await ctx.step.run("fetch-orders") { 3 } })
            return "\(a)\(b)"
        }
        let r = await Self.call(fn, stepId: "c30fa0a56ff7801499f87aaa7566f932597320e6", disableImmediate: true)
        #expect(r.status == 206)
        #expect(r.json == [["op": "StepRun", "id": "c30fa0a56ff7801499f87aaa7566f932597320e6", "name": "fetch-orders",
                            "displayName": "fetch-orders", "data": 3]])
    }

    @Test func targetedStepNotFoundIsARetriable500() async {
        let r = await Self.call(StepRuntimeTests.twoSteps, stepId: "0000000000000000000000000000000000000000")
        #expect(r.status == 500)
        #expect(r.headers["X-Inngest-No-Retry"] == "false")
        #expect(r.headers["X-Inngest-SDK"] == "inngest-swift:v\(SDKIdentity.version)")
        #expect(r.json?["code"] == "step_not_found")
    }

    @Test func repeatedIdsGetSuffixes() async {
        let fn = InngestFunction(id: "loop", triggers: [.event("e")]) { ctx -> [Int] in
            var out: [Int] = []
            for i in 0..<3 { out.append(try await ctx.step.run("my-step-id") { i }) }
            return out
        }
        var steps = JSONObject()
        #expect(await Self.call(fn, steps: steps).json?[0]?["id"] == "e7d8a2f140845095749d60246ff1110c9d01d76a")
        steps["e7d8a2f140845095749d60246ff1110c9d01d76a"] = ["data": 0]
        #expect(await Self.call(fn, steps: steps).json?[0]?["id"] == "f47c6228c581af870aa285200cf95ec3ac59bb6a")
        steps["f47c6228c581af870aa285200cf95ec3ac59bb6a"] = ["data": 1]
        #expect(await Self.call(fn, steps: steps).json?[0]?["id"] == "5fdb32cd3e6e3d62fa480ac2ad526b79c2682845")
        steps["5fdb32cd3e6e3d62fa480ac2ad526b79c2682845"] = ["data": 2]
        #expect(await Self.call(fn, steps: steps).json == [0, 1, 2])
    }

    // MARK: Function-level outcomes (200 and errors)

    @Test func functionErrorIsRetriable500() async {
        let fn = InngestFunction(id: "f", triggers: [.event("e")]) { _ -> Int in throw Boom() }
        let r = await Self.call(fn)
        #expect(r.status == 500)
        #expect(r.headers["X-Inngest-No-Retry"] == "false")
        #expect(r.json == ["name": "Boom", "message": "broken"])
    }

    @Test func nonRetriableFunctionErrorIs400() async {
        let fn = InngestFunction(id: "f", triggers: [.event("e")]) { _ -> Int in throw NonRetriableError("nope") }
        let r = await Self.call(fn)
        #expect(r.status == 400)
        #expect(r.headers["X-Inngest-No-Retry"] == "true")
    }

    @Test func retryAfterFunctionError() async {
        let fn = InngestFunction(id: "f", triggers: [.event("e")]) { _ -> Int in throw RetryAfterError("later", after: .seconds(5)) }
        let r = await Self.call(fn)
        #expect(r.status == 500)
        #expect(r.headers["Retry-After"] == "5")
        #expect(r.headers["X-Inngest-No-Retry"] == "false")
    }

    @Test func voidFunctionReturnsNull() async {
        let fn = InngestFunction(id: "v", triggers: [.event("e")]) { _ in }
        let r = await Self.call(fn)
        #expect(r.status == 200)
        #expect(r.bodyBytes == Array("null".utf8))
    }

    // MARK: Memo shapes (I2, G6)

    @Test func memoisedErrorIsCatchableAsStepError() async {
        let fn = InngestFunction(id: "m", triggers: [.event("e")]) { ctx -> String in
            do {
                _ = try await ctx.step.run("a") { 1 }
                return "no error"
            } catch let e as StepError {
                return "\(e.stepId):\(e.name):\(e.message)"
            }
        }
        var steps = JSONObject()
        steps[Self.hashA] = ["error": ["name": "Error", "message": "broken", "stack": "…"]]
        #expect(await Self.call(fn, steps: steps).json == "a:Error:broken")
    }

    @Test func uncaughtMemoisedErrorFailsWithoutRetry() async {
        let fn = InngestFunction(id: "m", triggers: [.event("e")]) { ctx in try await ctx.step.run("a") { 1 } }
        var steps = JSONObject()
        steps[Self.hashA] = ["error": ["name": "Error", "message": "broken"]]
        let r = await Self.call(fn, steps: steps)
        #expect(r.status == 400)
        #expect(r.headers["X-Inngest-No-Retry"] == "true")
        #expect(r.json?["name"] == "StepError")
    }

    @Test func dataWrapperIsStrict() async {
        // {"data":…,"other":…} is not a wrapper: it is the value itself.
        let fn = InngestFunction(id: "m", triggers: [.event("e")]) { ctx -> JSON in try await ctx.step.run("a") { JSON.null } }
        var steps = JSONObject()
        steps[Self.hashA] = ["data": ["data": 1]]
        #expect(await Self.call(fn, steps: steps).json == ["data": 1])
        steps[Self.hashA] = ["data": 1, "other": 2]
        #expect(await Self.call(fn, steps: steps).json == ["data": 1, "other": 2])
        steps[Self.hashA] = ["data": nil]
        #expect(await Self.call(fn, steps: steps).json == .some(.null))
    }

    @Test func inputEntryMeansNotFinished() async {
        var steps = JSONObject()
        steps["98bf98df193bcce7c33e6bc50927cf2ac21206cb"] = ["input": [1]]
        let r = await Self.call(StepRuntimeTests.twoSteps, steps: steps)
        #expect(r.json?[0]?["op"] == "StepRun")
    }

    @Test func typeMismatchInMemoIsReported() async {
        let fn = InngestFunction(id: "m", triggers: [.event("e")]) { ctx -> Int in try await ctx.step.run("a") { 1 } }
        var steps = JSONObject()
        steps[Self.hashA] = ["data": "not a number"]
        let r = await Self.call(fn, steps: steps)
        #expect(r.status == 500)
        #expect(r.json?["name"] == "MemoDecodingError")
    }

    // MARK: Interruption safety

    @Test func swallowingTheInterruptionDoesNotChangeTheOutcome() async {
        let log = CapturingLogSink()
        let fn = InngestFunction(id: "greedy", triggers: [.event("e")]) { ctx -> String in
            do { try await ctx.step.run("a") { 1 } } catch {}
            do { try await ctx.step.run("b") { 2 } } catch {}
            return "carried on"
        }
        let inngest = devInngest([fn], logSink: log)
        let r = await inngest.handler.handle(CallBody.request(fnId: "test-app-greedy", body: CallBody.make()))
        #expect(r.status == 206)
        #expect(r.json?.arrayValue?.count == 1)
        #expect(r.json?[0]?["op"] == "StepRun")
        #expect(r.json?[0]?["id"] == .string(Self.hashA))
        #expect(log.lines.contains { $0.contains("caught the SDK's step interruption") })
    }

    @Test func nestedStepsFailTheOuterStep() async {
        let fn = InngestFunction(id: "nest", triggers: [.event("e")]) { ctx in
            try await ctx.step.run("outer") { try await ctx.step.run("inner") { 1 } }
        }
        let r = await Self.call(fn)
        #expect(r.headers["X-Inngest-No-Retry"] == "true")
        #expect(r.json?[0]?["op"] == "StepError")
        #expect(r.json?[0]?["error"]?["name"] == "NestedStepError")
    }
}

func Digest_sha1(_ s: String) -> String { Hashing.Digest.sha1Hex(s) }

import Hashing

final class CapturingLogSink: InngestLogSink, @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [String] = []
    var lines: [String] { lock.withLock { stored } }
    func log(_ level: InngestLogLevel, _ message: String, fields: [(String, String)]) {
        lock.withLock { stored.append("\(level.name) \(message)") }
    }
}

@Suite struct StepOutputLimitTests {
    @Test func oversizedStepOutputFailsTheStepForGood() async {
        let fn = InngestFunction(id: "big", triggers: [.event("e")]) { ctx in
            _ = try await ctx.step.run("huge") { String(repeating: "x", count: CallExecutor.maxStepOutputBytes) }
        }
        let r = await OpShapeTests.call(fn)
        #expect(r.status == 206)
        #expect(r.headers["X-Inngest-No-Retry"] == "true")
        #expect(r.json?[0]?["op"] == "StepError")
        #expect(r.json?[0]?["error"]?["message"]?.stringValue?.contains("at most 4194304 bytes") == true)
    }

    /// Exactly at the limit the step succeeds, and the bytes measured for the
    /// limit are what the response carries: the same body, byte for byte, as
    /// serializing the op afresh.
    @Test func stepOutputAtTheLimitIsSentByteForByte() async {
        let text = String(repeating: "x", count: CallExecutor.maxStepOutputBytes - 2)  // plus two quotes
        let fn = InngestFunction(id: "edge", triggers: [.event("e")]) { ctx in
            _ = try await ctx.step.run("edge") { text }
        }
        let r = await OpShapeTests.call(fn)
        #expect(r.status == 206)
        let expected = JSON.array([GeneratorOp(op: .stepRun, id: Digest_sha1("edge"), name: "edge", data: .string(text)).json])
        #expect(r.bodyBytes == expected.serializedBytes())
    }

    /// The spliced form equals the plain one whatever precedes `data`.
    @Test func serializedDataIsSplicedWhereDataWouldBe() {
        var op = GeneratorOp(op: .stepRun, id: "h", name: "a \"quoted\" id", opts: ["type": "step", "n": 1],
                             data: ["k": [1, "\u{1}", nil]])
        op.serializedData = op.data?.serializedBytes()
        var spliced: [UInt8] = []
        op.serialize(into: &spliced)
        #expect(spliced == op.json.serializedBytes())
        #expect(op == GeneratorOp(op: .stepRun, id: "h", name: "a \"quoted\" id", opts: ["type": "step", "n": 1],
                                  data: ["k": [1, "\u{1}", nil]]))
        op.data = "changed"
        #expect(op.serializedData == nil)
    }
}
