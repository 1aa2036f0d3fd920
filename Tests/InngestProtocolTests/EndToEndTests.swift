import Foundation
import Testing
import HTTP
import JSON
@testable import InngestProtocol
import TestSupport

/// Whole functions run to completion over real HTTP: the worker's serve
/// handler behind the HTTP server on a loopback port, driven by
/// `InngestServerSimulator` with signed requests (cloud mode), and a fake
/// event API for `sendEvent`.
@Suite struct EndToEndTests {
    static let key = try! SigningKey(parsing: "signkey-test-5f78c33274e43fa9de5659265c1d917e")

    struct Order: Codable, Sendable, Equatable { var id: String; var total: Int }

    static func functions(flaky: Counter, flakyFunction: Counter, sideEffects: Counter) -> [InngestFunction] {
        let child = InngestFunction(id: "child", triggers: [.event("child/run")]) { ctx -> Int in
            let x = ctx.event.data["x"]?.intValue ?? 0
            return try await ctx.step.run("double") { x * 2 }
        }
        return [
            InngestFunction(id: "pipeline", triggers: [.event("shop/order.created")]) { ctx -> JSON in
                let order = try ctx.event.decodeData(as: Order.self)
                let priced: Order = try await ctx.step.run("price") { sideEffects.next(); return Order(id: order.id, total: order.total + 5) }
                try await ctx.step.sleep("settle", for: .seconds(1))
                let receipt: String = try await ctx.step.run("receipt") { "receipt-\(priced.id)-\(priced.total)" }
                let ids = try await ctx.step.sendEvent("notify", InngestEvent(name: "shop/receipt", data: ["r": .string(receipt)]))
                return ["receipt": .string(receipt), "event": .string(ids.first ?? "")]
            },
            InngestFunction(id: "fan-out", triggers: [.event("e")]) { ctx -> [Int] in
                let (a, b) = try await ctx.step.parallel(
                    { try await ctx.step.run("left") { 1 } },
                    { () async throws -> Int in
                        let x = try await ctx.step.run("right-1") { 10 }
                        return try await ctx.step.run("right-2") { x + 10 }
                    })
                let many = try await ctx.step.parallel((1...3).map { i in { try await ctx.step.run("item") { i * 100 } } })
                return [a, b] + many
            },
            InngestFunction(id: "flaky", triggers: [.event("e")]) { ctx -> String in
                let value: String = try await ctx.step.run("sometimes") {
                    if flaky.next() < 3 { throw URLError(.timedOut) }
                    return "ok after \(flaky.value)"
                }
                if flakyFunction.next() == 1 { throw RetryAfterError("function hiccup", after: .seconds(1)) }
                return value
            },
            InngestFunction(id: "doomed", triggers: [.event("e")]) { ctx -> String in
                do {
                    try await ctx.step.run("always-fails") { () async throws -> Int in throw NonRetriableError("bad data") }
                    return "unreachable"
                } catch let error as StepError {
                    return "recovered: \(error.message)"
                }
            },
            InngestFunction(id: "waiter", triggers: [.event("e")]) { ctx -> [String] in
                let approval = try await ctx.step.waitForEvent("approval", event: "app/approved", timeout: "1h", match: "data.id")
                let second = try await ctx.step.waitForEvent("second", event: "app/never", timeout: "1s")
                return [approval?.data["by"]?.stringValue ?? "timeout", second == nil ? "timeout" : "event"]
            },
            InngestFunction(id: "parent", triggers: [.event("e")]) { ctx -> Int in
                let doubled: Int = try await ctx.step.invoke("call-child", function: child, data: ["x": 21] as JSON, timeout: "1m")
                return doubled + 0
            },
            child,
        ]
    }

    static func withWorker(_ body: (InngestServerSimulator, Counter, Counter, Counter, LoopbackServer) async throws -> Void) async throws {
        try await withLoopbackServer({ request, _ in
            request.path.hasPrefix("/e/") ? HTTPResponse.json(200, ["ids": ["01JEVENT"], "status": 200]) : HTTPResponse(status: 404)
        }) { api in
            let flaky = Counter(), flakyFunction = Counter(), sideEffects = Counter()
            let inngest = Inngest(appId: "e2e", functions: functions(flaky: flaky, flakyFunction: flakyFunction, sideEffects: sideEffects),
                                  configuration: InngestConfiguration(mode: .cloud, signingKey: key, eventKey: "ek",
                                                                      apiBaseURL: api.origin, eventAPIBaseURL: api.origin),
                                  httpClient: SocketHTTPClient(), logSink: DiscardingLogSink())
            let handler = inngest.handler
            let server = HTTPServer(configuration: HTTPServerConfiguration(host: "127.0.0.1", port: 0),
                                    handler: ClosureHTTPHandler { request in
                                        request.path == "/api/inngest" ? await handler.handle(request) : HTTPResponse(status: 404)
                                    })
            try server.start()
            let simulator = InngestServerSimulator(serveURL: "http://127.0.0.1:\(server.port)/api/inngest", appId: "e2e", key: key,
                                                   eventForWait: { opts in
                                                       opts["event"] == "app/approved"
                                                           ? ["name": "app/approved", "data": ["id": "o1", "by": "ops"], "id": "w1", "ts": 2, "user": [:]]
                                                           : nil
                                                   })
            do {
                try await body(simulator, flaky, flakyFunction, sideEffects, api)
            } catch {
                await server.shutdown(drain: 1)
                throw error
            }
            await server.shutdown(drain: 1)
        }
    }

    @Test func multiStepFunctionWithSleepAndSendEvent() async throws {
        try await Self.withWorker { sim, _, _, sideEffects, api in
            let outcome = try await sim.run(function: "e2e-pipeline",
                                            event: ["name": "shop/order.created", "data": ["id": "o1", "total": 10], "id": "x", "ts": 1, "user": [:]])
            #expect(outcome == .completed(["receipt": "receipt-o1-15", "event": "01JEVENT"]))
            #expect(sideEffects.value == 1, "a memoised step runs once however often the function replays")
            #expect(sim.trace == ["e2e-pipeline: ran price", "e2e-pipeline: slept 1s", "e2e-pipeline: ran receipt",
                                  "e2e-pipeline: ran notify", "e2e-pipeline: completed"])
            let sent = try JSON(parsing: try #require(api.requests.first { $0.path == "/e/ek" }).body)
            #expect(sent[0]?["name"] == "shop/receipt")
        }
    }

    @Test func parallelBranchesArePlannedAndRunConcurrently() async throws {
        try await Self.withWorker { sim, _, _, _, _ in
            let outcome = try await sim.run(function: "e2e-fan-out", event: ["name": "e", "data": [:]])
            #expect(outcome == .completed([1, 20, 100, 200, 300]))
            #expect(sim.trace.contains("e2e-fan-out: planned left,right-1"))
            // After the parallel round only one new step is left in reach, so it runs at once.
            #expect(!sim.trace.contains("e2e-fan-out: planned right-2"))
            #expect(sim.trace.contains("e2e-fan-out: ran right-2"))
            #expect(sim.trace.contains("e2e-fan-out: planned item,item,item"))
        }
    }

    @Test func retriesStepAndFunctionErrors() async throws {
        try await Self.withWorker { sim, flaky, flakyFunction, _, _ in
            let outcome = try await sim.run(function: "e2e-flaky", event: ["name": "e", "data": [:]])
            #expect(outcome == .completed("ok after 3"))
            #expect(flaky.value == 3)
            #expect(flakyFunction.value == 2)
            #expect(sim.trace.filter { $0.contains("failed, retrying") }.count == 2)
            #expect(sim.trace.contains("e2e-flaky: error 500 retriable=true"))
        }
    }

    @Test func nonRetriableStepErrorIsCaughtOnReplay() async throws {
        try await Self.withWorker { sim, _, _, _, _ in
            let outcome = try await sim.run(function: "e2e-doomed", event: ["name": "e", "data": [:]])
            #expect(outcome == .completed("recovered: bad data"))
            #expect(sim.trace.first == "e2e-doomed: step always-fails failed for good")
        }
    }

    @Test func waitsResumeWithTheEventOrTimeOut() async throws {
        try await Self.withWorker { sim, _, _, _, _ in
            let outcome = try await sim.run(function: "e2e-waiter", event: ["name": "e", "data": ["id": "o1"]])
            #expect(outcome == .completed(["ops", "timeout"]))
        }
    }

    @Test func invokeRunsTheChildAndReturnsItsResult() async throws {
        try await Self.withWorker { sim, _, _, _, _ in
            let outcome = try await sim.run(function: "e2e-parent", event: ["name": "e", "data": [:]])
            #expect(outcome == .completed(42))
            #expect(sim.trace.contains("e2e-parent: invoking e2e-child"))
            #expect(sim.trace.contains("e2e-child: ran double"))
        }
    }

    @Test func badInputOverHTTPGetsJSONErrorsAndTheWorkerKeepsServing() async throws {
        try await Self.withWorker { sim, _, _, _, _ in
            let client = SocketHTTPClient()
            let url = sim.serveURL
            func post(_ query: String, _ body: [UInt8], signed: Bool = true, at t: Int64? = nil) async throws -> HTTPClientResponse {
                var headers: HTTPHeaders = ["Content-Type": "application/json"]
                if signed {
                    let now = t ?? Int64(Date().timeIntervalSince1970)
                    headers.set("X-Inngest-Signature", RequestSignature.sign(body: body, key: Self.key, timestamp: now))
                }
                return try await client.send(HTTPClientRequest(method: "POST", url: "\(url)?\(query)", headers: headers, body: body))
            }
            let good = CallBody.make()
            let cases: [(String, HTTPClientResponse, Int)] = [
                ("malformed JSON", try await post("fnId=e2e-flaky&stepId=step", Array("{\"ctx\":".utf8)), 400),
                ("wrong types", try await post("fnId=e2e-flaky&stepId=step", Array(#"{"ctx":{"run_id":1},"event":[]}"#.utf8)), 400),
                ("unknown fnId", try await post("fnId=e2e-nope&stepId=step", good), 500),
                ("missing signature", try await post("fnId=e2e-flaky&stepId=step", good, signed: false), 401),
                ("expired signature", try await post("fnId=e2e-flaky&stepId=step", good, at: 1_000_000_000), 401),
            ]
            for (name, response, status) in cases {
                #expect(response.status == status, "\(name)")
                #expect(response.headers["Content-Type"] == "application/json", "\(name)")
                #expect((try? JSON(parsing: response.body))?["message"]?.stringValue?.isEmpty == false, "\(name)")
            }
            var forged = good
            forged[forged.count - 2] = UInt8(ascii: "0")  // "version":-1 → -0 after signing
            var headers: HTTPHeaders = ["X-Inngest-Signature": RequestSignature.sign(body: good, key: Self.key, timestamp: Int64(Date().timeIntervalSince1970))]
            headers.set("Content-Type", "application/json")
            let tampered = try await client.send(HTTPClientRequest(method: "POST", url: "\(url)?fnId=e2e-flaky&stepId=step", headers: headers, body: forged))
            #expect(tampered.status == 401, "tampered body")
            // Still serving: a whole function runs to completion afterwards.
            let outcome = try await sim.run(function: "e2e-doomed", event: ["name": "e", "data": [:]])
            #expect(outcome == .completed("recovered: bad data"))
        }
    }
}
