import Testing
import HTTP
import JSON
@testable import InngestProtocol

/// `race` picks the branch that finished first according to `ctx.stack`.
@Suite struct RaceTests {
    static let racer = InngestFunction(id: "racer", triggers: [.event("e")]) { ctx -> String in
        let winner = try await ctx.step.race(
            { try await ctx.step.run("fast") { "fast" } },
            { () async throws -> String in
                try await ctx.step.sleep("nap", for: "1m")
                return try await ctx.step.run("slow") { "slow" }
            })
        return try await ctx.step.run("after") { "winner: \(winner)" }
    }

    static func call(steps: JSONObject, stack: [String]) async -> HTTPResponse {
        let inngest = devInngest([racer])
        return await inngest.handler.handle(CallBody.request(fnId: "test-app-racer", body: CallBody.make(steps: steps, stack: stack)))
    }

    static let fast = Digest_sha1("fast"), nap = Digest_sha1("nap"), slow = Digest_sha1("slow"), after = Digest_sha1("after")

    @Test func firstPassPlansEveryBranchInRaceMode() async {
        let r = await Self.call(steps: JSONObject(), stack: [])
        #expect(r.json == [
            ["op": "StepPlanned", "id": .string(Self.fast), "name": "fast", "displayName": "fast", "opts": ["parallelMode": "race"], "data": nil],
            ["op": "Sleep", "id": .string(Self.nap), "name": "nap", "displayName": "nap", "opts": ["duration": "1m"], "data": nil],
        ])
    }

    @Test func theFirstToFinishWinsAndTheRestIsDropped() async {
        var steps = JSONObject()
        steps[Self.fast] = ["data": "fast"]
        let r = await Self.call(steps: steps, stack: [Self.fast])
        // The sleeping branch is abandoned: only the step after the race is reported.
        #expect(r.json?.arrayValue?.count == 1)
        #expect(r.json?[0]?["id"] == .string(Self.after))
        #expect(r.json?[0]?["data"] == "winner: fast")
    }

    @Test func stackOrderDecidesWhenBothFinished() async {
        var steps = JSONObject()
        steps[Self.fast] = ["data": "fast"]
        steps[Self.nap] = .null
        steps[Self.slow] = ["data": "slow"]
        let slowFirst = await Self.call(steps: steps, stack: [Self.nap, Self.slow, Self.fast])
        #expect(slowFirst.json?[0]?["data"] == "winner: slow")
        let fastFirst = await Self.call(steps: steps, stack: [Self.nap, Self.fast, Self.slow])
        #expect(fastFirst.json?[0]?["data"] == "winner: fast")
    }
}

@Suite struct AsyncLetTests {
    /// Steps reached concurrently from `async let` are reported either one per
    /// call or planned together (whichever task gets there first); both are
    /// valid protocol, and the function completes with the right result.
    @Test(arguments: 0..<5)
    func asyncLetOverStepsCompletes(_ round: Int) async {
        let fn = InngestFunction(id: "al", triggers: [.event("e")]) { ctx -> Int in
            async let a: Int = ctx.step.run("a") { 1 }
            async let b: Int = ctx.step.run("b") { 2 }
            return try await a + b
        }
        let inngest = devInngest([fn])
        var steps = JSONObject()
        var calls = 0
        while calls < 8 {
            calls += 1
            let r = await inngest.handler.handle(CallBody.request(fnId: "test-app-al", body: CallBody.make(steps: steps)))
            if r.status == 200 {
                #expect(r.json == 3)
                return
            }
            #expect(r.status == 206, "\(r.json.map { String(describing: $0) } ?? "")")
            for op in r.json?.arrayValue ?? [] {
                guard let id = op["id"]?.stringValue else { continue }
                if op["op"] == "StepRun" {
                    steps[id] = ["data": op["data"] ?? .null]
                } else {
                    #expect(op["op"] == "StepPlanned")
                    let t = await inngest.handler.handle(CallBody.request(fnId: "test-app-al", stepId: id,
                                                                          body: CallBody.make(steps: steps, disableImmediateExecution: true)))
                    #expect(t.json?[0]?["op"] == "StepRun", "\(t.status) \(t.json.map { String(describing: $0) } ?? "")")
                    steps[id] = ["data": t.json?[0]?["data"] ?? .null]
                }
            }
        }
        Issue.record("did not complete in 8 calls")
    }
}
