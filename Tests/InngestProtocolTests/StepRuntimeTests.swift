import Testing
import HTTP
import JSON
@testable import InngestProtocol

@Suite struct StepRuntimeTests {
    static let twoSteps = InngestFunction(id: "two", triggers: [.event("test/event")]) { ctx in
        let first: String = try await ctx.step.run("first step") { "first step" }
        try await ctx.step.sleep("sleep", for: "2s")
        return ["body": .string(first)] as JSON
    }

    @Test func firstCallRunsTheStepImmediately() async throws {
        let inngest = devInngest([Self.twoSteps])
        let response = await inngest.handler.handle(CallBody.request(fnId: "test-app-two", body: CallBody.make()))
        #expect(response.status == 206)
        #expect(response.headers["X-Inngest-SDK"] == "inngest-swift:v\(SDKIdentity.version)")
        #expect(response.headers["X-Inngest-Req-Version"] == "2")
        #expect(response.json == [["op": "StepRun", "id": "98bf98df193bcce7c33e6bc50927cf2ac21206cb",
                                   "name": "first step", "displayName": "first step", "data": "first step"]])
    }

    @Test func memoisedStepLeadsToSleepThenCompletion() async throws {
        let inngest = devInngest([Self.twoSteps])
        var steps = JSONObject()
        steps["98bf98df193bcce7c33e6bc50927cf2ac21206cb"] = ["data": "first step"]
        var response = await inngest.handler.handle(CallBody.request(fnId: "test-app-two", body: CallBody.make(steps: steps)))
        #expect(response.status == 206)
        #expect(response.json == [["op": "Sleep", "id": "c3ca5f787365eae0dea86250e27d476406956478", "name": "sleep",
                                   "displayName": "sleep", "opts": ["duration": "2s"], "data": nil]])
        steps["c3ca5f787365eae0dea86250e27d476406956478"] = .null
        response = await inngest.handler.handle(CallBody.request(fnId: "test-app-two", body: CallBody.make(steps: steps)))
        #expect(response.status == 200)
        #expect(response.json == ["body": "first step"])
    }

    @Test func parallelStepsAreAllPlanned() async throws {
        let fn = InngestFunction(id: "par", triggers: [.event("test/event")]) { ctx in
            let (user, orders) = try await ctx.step.parallel(
                { try await ctx.step.run("fetch-user") { "u" } },
                { try await ctx.step.run("fetch-orders") { 3 } })
            return "\(user)-\(orders)"
        }
        let inngest = devInngest([fn])
        let response = await inngest.handler.handle(CallBody.request(fnId: "test-app-par", body: CallBody.make()))
        #expect(response.status == 206)
        #expect(response.json == [
            ["op": "StepPlanned", "id": "857c0b3e9253ce40ce09381575f27504abb803ea", "name": "fetch-user", "displayName": "fetch-user", "data": nil],
            ["op": "StepPlanned", "id": "c30fa0a56ff7801499f87aaa7566f932597320e6", "name": "fetch-orders", "displayName": "fetch-orders", "data": nil],
        ])
        var steps = JSONObject()
        steps["857c0b3e9253ce40ce09381575f27504abb803ea"] = ["data": "u"]
        steps["c30fa0a56ff7801499f87aaa7566f932597320e6"] = ["data": 3]
        let done = await inngest.handler.handle(CallBody.request(fnId: "test-app-par", body: CallBody.make(steps: steps)))
        #expect(done.status == 200)
        #expect(done.json == "u-3")
    }

    /// The real dev server runs planned parallel steps by targeted calls, each while
    /// the other is still unmemoised. Running the first branch's step must not log the
    /// "caught the SDK's step interruption" warning for the second branch.
    @Test func targetedParallelStepRunsWithoutSwallowWarning() async throws {
        let fn = InngestFunction(id: "par", triggers: [.event("test/event")]) { ctx in
            let (a, b) = try await ctx.step.parallel(
                { try await ctx.step.run("fetch-user") { "u" } },
                { try await ctx.step.run("fetch-orders") { 3 } })
            return "\(a)-\(b)"
        }
        let log = CapturingLogSink()
        let inngest = devInngest([fn], logSink: log)
        let response = await inngest.handler.handle(CallBody.request(
            fnId: "test-app-par", stepId: "857c0b3e9253ce40ce09381575f27504abb803ea", body: CallBody.make()))
        #expect(response.status == 206)
        #expect(response.json == [["op": "StepRun", "id": "857c0b3e9253ce40ce09381575f27504abb803ea",
                                   "name": "fetch-user", "displayName": "fetch-user", "data": "u"]])
        #expect(!log.lines.contains { $0.contains("caught the SDK's step interruption") }, "\(log.lines)")
    }
}
