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
}
