import Foundation
import Testing
import HTTP
import JSON
@testable import InngestProtocol

@Suite struct LoggingAndMiddlewareTests {
    static let logged = InngestFunction(id: "logged", triggers: [.event("e")]) { ctx -> String in
        ctx.logger.info("start")
        let a: Int = try await ctx.step.run("a") { ctx.logger.info("in a"); return 1 }
        ctx.logger.info("after a")
        let b: Int = try await ctx.step.run("b") { 2 }
        ctx.logger.info("after b")
        return "\(a + b)"
    }

    static func call(_ inngest: Inngest, steps: JSONObject) async -> HTTPResponse {
        await inngest.handler.handle(CallBody.request(fnId: "test-app-logged", body: CallBody.make(steps: steps)))
    }

    @Test func logLinesAreNotRepeatedOnReplay() async {
        let log = CapturingLogSink()
        let inngest = devInngest([Self.logged], logSink: log)
        var steps = JSONObject()
        _ = await Self.call(inngest, steps: steps)
        #expect(log.lines == ["info start", "info in a"])
        steps[Digest_sha1("a")] = ["data": 1]
        _ = await Self.call(inngest, steps: steps)
        #expect(log.lines == ["info start", "info in a", "info after a"])
        steps[Digest_sha1("b")] = ["data": 2]
        let r = await Self.call(inngest, steps: steps)
        #expect(r.json == "3")
        #expect(log.lines == ["info start", "info in a", "info after a", "info after b"])
    }

    /// A function that logs a tool's error text (an event-API URL with its key)
    /// leaves no key in the log.
    @Test func logLinesNeverCarryKeys() async {
        let leaky = InngestFunction(id: "logged", triggers: [.event("e")]) { ctx -> String in
            ctx.logger.warn("curl: POST http://127.0.0.1:8288/e/0a1b2c3d4e5f6a7b failed")
            return "ok"
        }
        let log = CapturingLogSink()
        _ = await Self.call(devInngest([leaky], logSink: log), steps: JSONObject())
        #expect(log.lines == ["warn curl: POST http://127.0.0.1:8288/e/[redacted] failed"])
    }

    final class Recorder: InngestMiddleware, @unchecked Sendable {
        private let lock = NSLock()
        private var stored: [String] = []
        var events: [String] { lock.withLock { stored } }
        private func add(_ s: String) { lock.withLock { stored.append(s) } }

        func transformInput(_ input: inout MiddlewareInput) async {
            add("input \(input.event.name)")
            input.event.data["injected"] = true
        }
        func beforeExecution(_ call: MiddlewareCall) async { add("before \(call.functionId)") }
        func afterExecution(_ call: MiddlewareCall) async { add("after") }
        func transformOutput(_ output: inout MiddlewareOutput) async {
            add("output \(output.stepId ?? "function")")
            if output.stepId == nil, let r = output.result { output.result = ["wrapped": r] }
        }
    }

    @Test func hooksRunInOrderAndMayRewrite() async {
        let recorder = Recorder()
        let fn = InngestFunction(id: "mw", triggers: [.event("e")]) { ctx -> Bool in
            let injected = ctx.event.data["injected"]?.boolValue ?? false
            _ = try await ctx.step.run("a") { 1 }
            return injected
        }
        let inngest = devInngest([fn], middleware: [recorder])
        let first = await inngest.handler.handle(CallBody.request(fnId: "test-app-mw", body: CallBody.make()))
        #expect(first.json?[0]?["data"] == 1)
        #expect(recorder.events == ["input test/event", "before mw", "after", "output a"])

        var steps = JSONObject()
        steps[Digest_sha1("a")] = ["data": 1]
        let last = await inngest.handler.handle(CallBody.request(fnId: "test-app-mw", body: CallBody.make(steps: steps)))
        #expect(last.json == ["wrapped": true])
        #expect(Array(recorder.events.dropFirst(4)) == ["input test/event", "before mw", "after", "output function"])
    }

    /// Edits a step's result in place (through a subscript, not a whole new value).
    struct StepResultEditor: InngestMiddleware {
        func transformOutput(_ output: inout MiddlewareOutput) async {
            if output.stepId == "a" { output.result?["edited"] = true }
        }
    }

    /// The executor sends the bytes it serialized for the size check only while
    /// no middleware wrote the result: an edit is what goes out, and a
    /// middleware that only looks (the default hook) changes nothing.
    @Test func stepResultEditedByMiddlewareIsWhatIsSent() async {
        let fn = InngestFunction(id: "mw", triggers: [.event("e")]) { ctx in
            _ = try await ctx.step.run("a") { ["n": 1] as JSON }
        }
        let edited = await devInngest([fn], middleware: [StepResultEditor()])
            .handler.handle(CallBody.request(fnId: "test-app-mw", body: CallBody.make()))
        #expect(edited.json?[0]?["data"] == ["n": 1, "edited": true])

        let untouched = await devInngest([fn], middleware: [Recorder()])
            .handler.handle(CallBody.request(fnId: "test-app-mw", body: CallBody.make()))
        let fresh = JSON.array([GeneratorOp(op: .stepRun, id: Digest_sha1("a"), name: "a", data: ["n": 1]).json])
        #expect(untouched.bodyBytes == fresh.serializedBytes())
    }
}
