import Foundation
import Testing
import HTTP
import JSON
@testable import InngestProtocol
import TestSupport

@Suite struct SyncTests {
    static let fn = InngestFunction(id: "send-welcome", name: "Send welcome email",
                                    triggers: [.event("app/user.created", if: "event.data.plan == 'pro'")],
                                    config: .init(retries: 3, concurrency: [.init(limit: 10, key: "event.data.user_id")],
                                                  cancelOn: [.init(event: "app/user.deleted", match: "data.user_id", timeout: "7d")])) { _ in }
    static let cron = InngestFunction(id: "nightly-report", name: "Nightly report",
                                      triggers: [.cron("0 0 * * *")], config: .init(retries: 0)) { _ in }

    static func cloud(api: String, fallback: Bool = false) throws -> InngestConfiguration {
        InngestConfiguration(mode: .cloud, signingKey: try SigningKey(parsing: fallback ? "signkey-prod-abcdef" : "signkey-prod-12345678"),
                             signingKeyFallback: fallback ? try SigningKey(parsing: "signkey-prod-12345678") : nil,
                             eventKey: "my-event-key", apiBaseURL: api, eventAPIBaseURL: api)
    }

    @Test func outOfBandSyncPostsTheRegisterPayload() async throws {
        try await withLoopbackServer({ _, _ in HTTPResponse.json(200, ["ok": true, "modified": true, "app_id": "x", "sync_id": "y"]) }) { server in
            let inngest = Inngest(appId: "my-app", appVersion: "2026.08.01", functions: [Self.fn, Self.cron],
                                  configuration: try Self.cloud(api: server.origin), httpClient: SocketHTTPClient(),
                                  logSink: DiscardingLogSink())
            let pingBody = Array(#"{"url":"http://localhost:3000/api/inngest"}"#.utf8)
            let put = HTTPRequest(method: "PUT", target: "/api/inngest?deployId=01J9", path: "/api/inngest",
                                  query: [("deployId", "01J9")],
                                  headers: ["Host": "localhost:3000", "X-Inngest-Server-Kind": "cloud",
                                            "X-Inngest-Signature": try Self.signature(pingBody)],
                                  body: pingBody)
            let response = await inngest.handler.handle(put)
            #expect(response.status == 200)
            #expect(response.json == ["message": "Successfully synced.", "modified": true])
            #expect(response.headers["X-Inngest-Sync-Kind"] == "out_of_band")

            let register = try #require(server.requests.first)
            #expect(register.method == "POST")
            #expect(register.path == "/fn/register")
            #expect(register.queryValue("deployId") == "01J9")
            #expect(register.headers["Authorization"] == "Bearer signkey-prod-b2ed992186a5cb19f6668aade821f502c1d00970dfd0e35128d51bac4649916c")
            #expect(register.headers["X-Inngest-SDK"] == "inngest-swift:v\(SDKIdentity.version)")
            #expect(register.headers["X-Inngest-Expected-Server-Kind"] == "cloud")
            let body = try JSON(parsing: register.body)
            #expect(body["url"] == "http://localhost:3000/api/inngest")
            #expect(body["v"] == "0.1")
            #expect(body["deployType"] == "ping")
            #expect(body["sdk"] == .string(SDKIdentity.header))
            #expect(body["appName"] == "my-app")
            #expect(body["appVersion"] == "2026.08.01")
            #expect(body["capabilities"] == ["trust_probe": "v1", "in_band_sync": "v1"])
            let expected: JSON = [
                "id": "my-app-send-welcome", "name": "Send welcome email",
                "triggers": [["event": "app/user.created", "expression": "event.data.plan == 'pro'"]],
                "steps": ["step": ["id": "step", "name": "step",
                                   "runtime": ["type": "http", "url": "http://localhost:3000/api/inngest?fnId=my-app-send-welcome&stepId=step"],
                                   "retries": ["attempts": 3]]],
                "concurrency": [["limit": 10, "key": "event.data.user_id"]],
                "cancel": [["event": "app/user.deleted", "if": "event.data.user_id == async.data.user_id", "timeout": "7d"]],
            ]
            #expect(body["functions"]?[0] == expected)
            #expect(body["functions"]?[1]?["triggers"] == [["cron": "0 0 * * *"]])
            #expect(body["functions"]?[1]?["steps"]?["step"]?["retries"] == ["attempts": 0])
        }
    }

    @Test func fallbackKeyIsTriedOn401() async throws {
        try await withLoopbackServer({ request, _ in
            request.headers["Authorization"]?.hasSuffix("b2ed992186a5cb19f6668aade821f502c1d00970dfd0e35128d51bac4649916c") == true
                ? HTTPResponse.json(200, ["ok": true, "modified": false])
                : HTTPResponse(status: 401, body: Array("Authentication failed".utf8))
        }) { server in
            let inngest = Inngest(appId: "my-app", functions: [Self.fn], configuration: try Self.cloud(api: server.origin, fallback: true),
                                  httpClient: SocketHTTPClient(), logSink: DiscardingLogSink())
            let result = try await inngest.register(serveURL: "http://127.0.0.1:3000/api/inngest")
            #expect(result.modified == false)
            #expect(server.requests.count == 2)
        }
    }

    @Test func registerFailureIsA500WithTheServersMessage() async throws {
        try await withLoopbackServer({ _, _ in HTTPResponse.json(400, ["error": "Expected server kind dev, got cloud"]) }) { server in
            let inngest = Inngest(appId: "my-app", functions: [Self.fn], configuration: try Self.cloud(api: server.origin),
                                  httpClient: SocketHTTPClient(), logSink: DiscardingLogSink())
            let response = await inngest.handler.handle(HTTPRequest(method: "PUT", target: "/api/inngest",
                                                                    headers: ["Host": "h", "X-Inngest-Signature": try Self.signature([])]))
            #expect(response.status == 500)
            #expect(response.json?["modified"] == false)
            #expect(response.json?["message"]?.stringValue?.contains("Expected server kind") == true)
        }
    }

    /// A server echoing the key in its refusal: the error (which reaches logs and /health) does not.
    @Test func registerFailureNeverEchoesAKey() async throws {
        try await withLoopbackServer({ _, _ in HTTPResponse.json(401, ["error": "key signkey-prod-12345678 is not valid"]) }) { server in
            let inngest = Inngest(appId: "my-app", functions: [Self.fn], configuration: try Self.cloud(api: server.origin),
                                  httpClient: SocketHTTPClient(), logSink: DiscardingLogSink())
            do {
                _ = try await inngest.register(serveURL: "http://127.0.0.1:3000/api/inngest")
                Issue.record("expected a registration error")
            } catch {
                #expect("\(error)".contains("key [redacted] is not valid"), "\(error)")
                #expect(!"\(error)".contains("12345678"), "\(error)")
            }
        }
    }

    /// The header the cloud configuration's key puts on `body` now.
    static func signature(_ body: [UInt8]) throws -> String {
        RequestSignature.sign(body: body, key: try SigningKey(parsing: "signkey-prod-12345678"),
                              timestamp: Int64(Date().timeIntervalSince1970))
    }

    @Test func unsignedSyncCannotChooseTheURLTheServerWillCall() async throws {
        try await withLoopbackServer({ _, _ in HTTPResponse.json(200, ["ok": true, "modified": true]) }) { server in
            let inngest = Inngest(appId: "my-app", functions: [Self.fn], configuration: try Self.cloud(api: server.origin),
                                  httpClient: SocketHTTPClient(), logSink: DiscardingLogSink())
            let attack = HTTPRequest(method: "PUT", target: "/api/inngest", path: "/api/inngest",
                                     headers: ["Host": "attacker.example:80"])
            let refused = await inngest.handler.handle(attack)
            #expect(refused.status == 400)
            #expect(refused.json?["modified"] == false)
            #expect(server.requests.isEmpty)

            // Once the app registered itself, an unsigned PUT re-registers that URL, not the Host.
            _ = await inngest.registerOnStart(serveURL: "http://127.0.0.1:3111/api/inngest", sleep: { _ in })
            let again = await inngest.handler.handle(attack)
            #expect(again.status == 200)
            #expect(server.requests.count == 2)
            let url = try JSON(parsing: server.requests[1].body)["url"]?.stringValue
            #expect(url == "http://127.0.0.1:3111/api/inngest")
        }
    }

    @Test func syncWithABadSignatureIsRefusedWithoutRegistering() async throws {
        try await withLoopbackServer({ _, _ in HTTPResponse.json(200, ["ok": true, "modified": true]) }) { server in
            let inngest = Inngest(appId: "my-app", functions: [Self.fn], configuration: try Self.cloud(api: server.origin),
                                  httpClient: SocketHTTPClient(), logSink: DiscardingLogSink())
            let r = await inngest.handler.handle(HTTPRequest(method: "PUT", target: "/api/inngest",
                                                             headers: ["Host": "attacker.example", "X-Inngest-Signature": "t=1&s=00"]))
            #expect(r.status == 401)
            #expect(server.requests.isEmpty)
        }
    }

    @Test func registerOnStartRetriesUntilTheServerAnswers() async throws {
        try await withLoopbackServer({ _, n in
            n < 2 ? HTTPResponse(status: 503) : HTTPResponse.json(200, ["ok": true, "modified": true])
        }) { server in
            let inngest = Inngest(appId: "my-app", functions: [Self.fn], configuration: InngestConfiguration(mode: .dev, apiBaseURL: server.origin),
                                  httpClient: SocketHTTPClient(), logSink: DiscardingLogSink())
            let sleeps = SleepRecorder()
            let result = await inngest.registerOnStart(serveURL: "http://127.0.0.1:3000/api/inngest", sleep: { await sleeps.add($0) })
            #expect((try? result.get())?.modified == true)
            #expect(await sleeps.values == [0.5, 1.0])
            #expect(server.requests.count == 3)
            #expect(server.requests[0].headers["Authorization"] == nil)
        }
    }

    @Test func registerOnStartGivesUpOnAClientError() async throws {
        try await withLoopbackServer({ _, _ in HTTPResponse(status: 401, body: Array("Authentication failed".utf8)) }) { server in
            let inngest = Inngest(appId: "my-app", functions: [Self.fn], configuration: try Self.cloud(api: server.origin),
                                  httpClient: SocketHTTPClient(), logSink: DiscardingLogSink())
            let result = await inngest.registerOnStart(serveURL: "http://127.0.0.1:3000/api/inngest", sleep: { _ in })
            guard case .failure(let error) = result else { Issue.record("expected failure"); return }
            #expect(error.status == 401)
            #expect(server.requests.count == 1)
        }
    }

    @Test func onFailureIsRegisteredAsAnExtraFunction() throws {
        let fn = InngestFunction(id: "plan", triggers: [.event("agent/loop.started")],
                                 config: .init(onFailure: { _ in })) { _ in }
        let inngest = devInngest([fn])
        let functions = RegisterPayload.functions(of: inngest, serveURL: "http://127.0.0.1:3000/api/inngest")
        #expect(functions.arrayValue?.count == 2)
        #expect(functions[1]?["id"] == "test-app-plan-failure")
        #expect(functions[1]?["name"] == "plan (failure)")
        #expect(functions[1]?["triggers"] == [["event": "inngest/function.failed", "expression": "event.data.function_id == 'test-app-plan'"]])
        #expect(functions[1]?["steps"]?["step"]?["retries"] == ["attempts": 1])
    }

    @Test func everyConfigOptionHasItsWireForm() {
        let fn = InngestFunction(id: "all", triggers: [.cron("*/30 * * * *", timezone: "America/Los_Angeles")],
                                 config: .init(retries: 2,
                                               concurrency: [.init(limit: 1), .init(limit: 2, key: "event.data.k", scope: .account)],
                                               throttle: .init(limit: 4, period: "60s", burst: 2, key: "event.data.s"),
                                               rateLimit: .init(limit: 1, period: .hours(1), key: "event.data.r"),
                                               debounce: .init(period: "5m", key: "event.data.d", timeout: "1h"),
                                               priority: .init(run: "event.data.p"),
                                               idempotency: "event.data.id",
                                               timeouts: .init(start: "1m", finish: "2h"),
                                               singleton: .init(key: "event.data.s", mode: .skip))) { _ in }
        let json = RegisterPayload.function(appId: "a", fn, serveURL: "http://127.0.0.1/api")
        #expect(json["triggers"] == [["cron": "TZ=America/Los_Angeles */30 * * * *"]])
        #expect(json["concurrency"] == [["limit": 1], ["limit": 2, "key": "event.data.k", "scope": "account"]])
        #expect(json["throttle"] == ["limit": 4, "period": "60s", "burst": 2, "key": "event.data.s"])
        #expect(json["rateLimit"] == ["limit": 1, "period": "1h", "key": "event.data.r"])
        #expect(json["debounce"] == ["period": "5m", "key": "event.data.d", "timeout": "1h"])
        #expect(json["priority"] == ["run": "event.data.p"])
        #expect(json["idempotency"] == "event.data.id")
        #expect(json["timeouts"] == ["start": "1m", "finish": "2h"])
        #expect(json["singleton"] == ["key": "event.data.s", "mode": "skip"])
        let batch = InngestFunction(id: "b", triggers: [.event("e")],
                                    config: .init(batchEvents: .init(maxSize: 10, timeout: "5s", key: "event.data.k", if: "event.data.ok"))) { _ in }
        #expect(RegisterPayload.function(appId: "a", batch, serveURL: "http://x")["batchEvents"]
                == ["maxSize": 10, "timeout": "5s", "key": "event.data.k", "if": "event.data.ok"])
    }

    @Test func validationFindsProblems() {
        let bad = InngestFunction(id: "x", triggers: [], config: .init(retries: 21, batchEvents: .init(maxSize: 1, timeout: "1s"),
                                                                        cancelOn: [.init(event: "e")])) { _ in }
        #expect(bad.validationProblems.count == 3)
        let inngest = Inngest(appId: "a", functions: [bad, bad], configuration: InngestConfiguration(mode: .cloud),
                              httpClient: UnreachableHTTPClient(), logSink: DiscardingLogSink())
        #expect(inngest.problems.contains("two functions have the id x"))
        #expect(inngest.problems.contains { $0.contains("INNGEST_SIGNING_KEY") })
    }
}

actor SleepRecorder {
    var values: [Double] = []
    func add(_ v: Double) { values.append(v) }
}
