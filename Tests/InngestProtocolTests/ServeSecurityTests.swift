import Foundation
import Testing
import HTTP
import JSON
@testable import InngestProtocol
import TestSupport

/// Cloud-mode verification, introspection, in-band sync and bad input.
@Suite struct ServeSecurityTests {
    static let now: Int64 = 1705586504
    static let key = try! SigningKey(parsing: "signkey-test-12345678")
    static let fallback = try! SigningKey(parsing: "signkey-test-abcdef01")

    static func cloudInngest(signingKey: SigningKey? = key, fallback: SigningKey? = nil,
                             logSink: any InngestLogSink = DiscardingLogSink(), client: any HTTPClient = UnreachableHTTPClient(),
                             api: String? = nil) -> Inngest {
        Inngest(appId: "test-app", functions: [StepRuntimeTests.twoSteps],
                configuration: InngestConfiguration(mode: .cloud, signingKey: signingKey, signingKeyFallback: fallback,
                                                    eventKey: "my-event-key", apiBaseURL: api),
                httpClient: client, logSink: logSink, clock: { now })
    }

    static func signed(_ body: [UInt8], key: SigningKey = key, at t: Int64 = now) -> HTTPHeaders {
        ["X-Inngest-Signature": RequestSignature.sign(body: body, key: key, timestamp: t)]
    }

    // MARK: Calls

    @Test func signedCallIsServedAndTheResponseSigned() async throws {
        let body = CallBody.make()
        let r = await Self.cloudInngest().handler.handle(CallBody.request(fnId: "test-app-two", body: body, headers: Self.signed(body)))
        #expect(r.status == 206)
        let signature = try #require(r.headers["X-Inngest-Signature"])
        #expect(signature == RequestSignature.sign(body: r.bodyBytes, key: Self.key, timestamp: Self.now))
    }

    @Test func fallbackKeySignsTheResponseWhenItVerified() async throws {
        let body = CallBody.make()
        let inngest = Self.cloudInngest(fallback: Self.fallback)
        let r = await inngest.handler.handle(CallBody.request(fnId: "test-app-two", body: body, headers: Self.signed(body, key: Self.fallback)))
        #expect(r.status == 206)
        #expect(r.headers["X-Inngest-Signature"] == RequestSignature.sign(body: r.bodyBytes, key: Self.fallback, timestamp: Self.now))
    }

    @Test(arguments: [
        ("missing", "header_missing"),
        ("forged", "sig_verification_failed"),
        ("expired", "sig_verification_failed"),
        ("malformed", "sig_verification_failed"),
    ])
    func badSignaturesAre401(_ kind: String, _ code: String) async {
        let body = CallBody.make()
        var headers = HTTPHeaders()
        switch kind {
        case "forged": headers = Self.signed(body, key: Self.fallback)
        case "expired": headers = Self.signed(body, at: Self.now - 301)
        case "malformed": headers = ["X-Inngest-Signature": "lol"]
        default: break
        }
        let log = CapturingLogSink()
        let r = await Self.cloudInngest(logSink: log).handler.handle(CallBody.request(fnId: "test-app-two", body: body, headers: headers))
        #expect(r.status == 401)
        #expect(r.json?["code"] == .string(code))
        #expect(r.headers["X-Inngest-SDK"] == "inngest-swift:v\(SDKIdentity.version)")
        #expect(r.headers["X-Inngest-Signature"] == nil)
        #expect(log.lines.count == 1)
    }

    /// Timestamps at the ends of `Int64` once crashed the process (the skew
    /// check overflowed); every one of them is now just stale.
    @Test(arguments: ["-9223372036854775808", "9223372036854775807", "-9223372036854775807", "-1", "0",
                      "9223372036854775000", String(now + 301), String(now - 301)])
    func extremeTimestampsAreExpired(_ t: String) async {
        let body = CallBody.make()
        let header = "t=\(t)&s=\(RequestSignature.mac(body: body, key: Self.key, timestamp: Int64(t)!))"
        let r = await Self.cloudInngest().handler.handle(
            CallBody.request(fnId: "test-app-two", body: body, headers: ["X-Inngest-Signature": header]))
        #expect(r.status == 401)
        #expect(r.json?["code"] == "sig_verification_failed")
        #expect(RequestSignature.verify(header: header, body: body, keys: [Self.key], now: Self.now) == .failure(.expired))
    }

    @Test func freshnessWindowIsInclusiveAndOverflowSafe() {
        #expect(RequestSignature.isFresh(Self.now + 300, now: Self.now))
        #expect(RequestSignature.isFresh(Self.now - 300, now: Self.now))
        #expect(!RequestSignature.isFresh(Self.now + 301, now: Self.now))
        #expect(!RequestSignature.isFresh(.min, now: Self.now))
        #expect(!RequestSignature.isFresh(.max, now: Self.now))
        #expect(!RequestSignature.isFresh(.max, now: .min))
        #expect(!RequestSignature.isFresh(0, now: .min))
        #expect(RequestSignature.isFresh(.max, now: .max))
    }

    @Test func noSigningKeyRefusesEveryCallWithALogLine() async {
        let log = CapturingLogSink()
        let body = CallBody.make()
        let r = await Self.cloudInngest(signingKey: nil, logSink: log).handler.handle(
            CallBody.request(fnId: "test-app-two", body: body, headers: Self.signed(body)))
        #expect(r.status == 500)
        #expect(r.json?["code"] == "signing_key_missing")
        #expect(log.lines.contains { $0.hasPrefix("error") && $0.contains("INNGEST_SIGNING_KEY") })
    }

    @Test func trustProbe() async {
        let signed = await Self.cloudInngest().handler.handle(
            HTTPRequest(method: "POST", target: "/api/inngest?probe=trust", query: [("probe", "trust")], headers: Self.signed([])))
        #expect(signed.status == 200)
        #expect(signed.headers["X-Inngest-Signature"] == RequestSignature.sign(body: Array("{}".utf8), key: Self.key, timestamp: Self.now))
        let unsigned = await Self.cloudInngest().handler.handle(
            HTTPRequest(method: "POST", target: "/api/inngest?probe=trust", query: [("probe", "trust")]))
        #expect(unsigned.status == 401)
        let unknown = await devInngest([]).handler.handle(
            HTTPRequest(method: "POST", target: "/api/inngest?probe=x", query: [("probe", "x")]))
        #expect(unknown.status == 400)
    }

    // MARK: Bad input (dev mode, so only the input is wrong)

    static func post(_ body: [UInt8], fnId: String? = "test-app-two", maxBody: Int? = nil) async -> HTTPResponse {
        var handler = devInngest([StepRuntimeTests.twoSteps]).handler
        if let maxBody { handler.maxBodyBytes = maxBody }
        let query = fnId.map { [("fnId", $0), ("stepId", "step")] } ?? []
        return await handler.handle(HTTPRequest(method: "POST", target: "/api/inngest", query: query, body: body))
    }

    @Test(arguments: [
        ("{", "bad_request"),
        ("[]", "bad_request"),
        (#"{"ctx":{"run_id":"r"},"event":{"name":"e"},"steps":[]}"#, "bad_request"),
        (#"{"ctx":{"run_id":"r"},"event":{"data":{}}}"#, "bad_request"),
        (#"{"ctx":{},"event":{"name":"e"}}"#, "bad_request"),
    ])
    func malformedBodiesAre400(_ body: String, _ code: String) async {
        let r = await Self.post(Array(body.utf8))
        #expect(r.status == 400)
        #expect(r.json?["code"] == .string(code))
        #expect(r.json?["message"]?.stringValue?.isEmpty == false)
        #expect(r.headers["X-Inngest-SDK"] == "inngest-swift:v\(SDKIdentity.version)")
        // The same bytes can never succeed: the server must not retry them.
        #expect(r.headers["X-Inngest-No-Retry"] == "true")
    }

    @Test func unknownFunctionIs500() async {
        let r = await Self.post(CallBody.make(), fnId: "test-app-nope")
        #expect(r.status == 500)
        #expect(r.json?["code"] == "function_not_found")
    }

    @Test func missingFnIdIs400() async {
        #expect(await Self.post(CallBody.make(), fnId: nil).status == 400)
    }

    @Test func oversizedBodyIs413() async {
        let r = await Self.post([UInt8](repeating: 0x20, count: 2000), maxBody: 1000)
        #expect(r.status == 413)
        #expect(r.json?["code"] == "body_too_large")
    }

    @Test func otherMethodsAre405() async {
        let r = await devInngest([]).handler.handle(HTTPRequest(method: "DELETE", target: "/api/inngest"))
        #expect(r.status == 405)
        #expect(r.headers["Allow"] == "GET, PUT, POST")
    }

    @Test func legacyUnprefixedFunctionIdIsAccepted() async {
        #expect(await Self.post(CallBody.make(), fnId: "two").status == 206)
    }

    // MARK: Introspection

    @Test func unauthenticatedIntrospection() async {
        let r = await Self.cloudInngest().handler.handle(HTTPRequest(method: "GET", target: "/api/inngest"))
        #expect(r.status == 200)
        #expect(r.json == ["authentication_succeeded": nil, "function_count": 1, "has_event_key": true, "has_signing_key": true,
                           "has_signing_key_fallback": false, "mode": "cloud", "schema_version": "2024-05-24"])
        let bad = await Self.cloudInngest().handler.handle(HTTPRequest(method: "GET", target: "/api/inngest", headers: ["X-Inngest-Signature": "t=1&s=2"]))
        #expect(bad.json?["authentication_succeeded"] == false)
        #expect(bad.json?["signing_key_hash"] == nil)
    }

    @Test func authenticatedIntrospection() async {
        let r = await Self.cloudInngest(fallback: Self.fallback).handler.handle(
            HTTPRequest(method: "GET", target: "/api/inngest", path: "/api/inngest", headers: Self.signed([])))
        #expect(r.status == 200)
        let j = r.json
        #expect(j?["authentication_succeeded"] == true)
        #expect(j?["app_id"] == "test-app")
        #expect(j?["api_origin"] == "https://api.inngest.com")
        #expect(j?["event_api_origin"] == "https://inn.gs")
        #expect(j?["event_key_hash"] == "756db3455bd70816c089ed7fcd514ab0e66cf5cdf62ccb7a3bca66d96ee3132c")
        #expect(j?["signing_key_hash"] == "b2ed992186a5cb19f6668aade821f502c1d00970dfd0e35128d51bac4649916c")
        #expect(j?["signing_key_fallback_hash"] != nil)
        #expect(j?["sdk_language"] == "swift")
        #expect(j?["serve_path"] == "/api/inngest")
        #expect(j?["has_signing_key_fallback"] == true)
        #expect(r.headers["X-Inngest-Signature"] != nil)
    }

    // MARK: In-band sync

    @Test func inBandSyncAnswersWithTheConfiguration() async throws {
        let body = Array(#"{"url":"http://127.0.0.1:51234/api/inngest"}"#.utf8)
        var headers = Self.signed(body)
        headers.add("x-inngest-sync-kind", "in_band")
        let r = await Self.cloudInngest().handler.handle(HTTPRequest(method: "PUT", target: "/api/inngest", headers: headers, body: body))
        #expect(r.status == 200)
        #expect(r.headers["X-Inngest-Sync-Kind"] == "in_band")
        #expect(r.headers["X-Inngest-Signature"] == RequestSignature.sign(body: r.bodyBytes, key: Self.key, timestamp: Self.now))
        let j = try #require(r.json)
        #expect(j["app_id"] == "test-app")
        #expect(j["url"] == "http://127.0.0.1:51234/api/inngest")
        #expect(j["sdk_language"] == "swift")
        #expect(j["sdk_version"] == .string(SDKIdentity.version))
        #expect(j["platform"] == .some(.null))
        #expect(j["functions"]?[0]?["steps"]?["step"]?["runtime"]?["url"]
                == "http://127.0.0.1:51234/api/inngest?fnId=test-app-two&stepId=step")
        #expect(j["inspection"]?["authentication_succeeded"] == true)
    }

    @Test func inBandSyncWithAForgedSignatureIs401() async {
        let body = Array(#"{"url":"http://127.0.0.1:51234"}"#.utf8)
        var headers = Self.signed(body, key: Self.fallback)
        headers.add("x-inngest-sync-kind", "in_band")
        let r = await Self.cloudInngest().handler.handle(HTTPRequest(method: "PUT", target: "/api/inngest", headers: headers, body: body))
        #expect(r.status == 401)
    }

    @Test func conformanceFixtureKeySignsInBandSync() async throws {
        // V-S10: the OSS conformance runner's key, no prefix.
        let key = try SigningKey(parsing: "7468697320697320612074657374206b6579")
        let body = Array(#"{"url":"http://127.0.0.1:51234"}"#.utf8)
        let headers: HTTPHeaders = ["X-Inngest-Signature": "t=1705586504&s=753127d04f122a122e75361336a5bb1cdfe12aaa934fa74b9e99c06ed7ef0d5f",
                                    "x-inngest-sync-kind": "in_band"]
        let r = await Self.cloudInngest(signingKey: key).handler.handle(HTTPRequest(method: "PUT", target: "/api/inngest", headers: headers, body: body))
        #expect(r.status == 200)
    }

    // MARK: use_api

    @Test func useAPIFetchesEventsAndSteps() async throws {
        try await withLoopbackServer({ request, _ in
            switch request.path {
            case "/v0/runs/01HZXJ4K8Y8N3S7D2G5Q6R9T0V/batch":
                return HTTPResponse.json(200, [["name": "test/event", "data": ["big": true], "id": "e1", "ts": 1]])
            case "/v0/runs/01HZXJ4K8Y8N3S7D2G5Q6R9T0V/actions":
                return HTTPResponse.json(200, ["98bf98df193bcce7c33e6bc50927cf2ac21206cb": ["data": "first step"],
                                                    "c3ca5f787365eae0dea86250e27d476406956478": nil])
            default:
                return HTTPResponse(status: 404)
            }
        }) { server in
            let inngest = Self.cloudInngest(client: SocketHTTPClient(), api: server.origin)
            let body = CallBody.make(event: ["name": "test/event", "data": [:]], useAPI: true)
            let r = await inngest.handler.handle(CallBody.request(fnId: "test-app-two", body: body, headers: Self.signed(body)))
            #expect(r.status == 200)
            #expect(r.json == ["body": "first step"])
            #expect(server.requests.count == 2)
            #expect(server.requests.allSatisfy { $0.headers["Authorization"] == "Bearer signkey-test-b2ed992186a5cb19f6668aade821f502c1d00970dfd0e35128d51bac4649916c" })
        }
    }

    @Test func useAPIFailureIsARetriable500() async throws {
        try await withLoopbackServer({ _, _ in HTTPResponse(status: 410) }) { server in
            let inngest = Self.cloudInngest(client: SocketHTTPClient(), api: server.origin)
            let body = CallBody.make(useAPI: true)
            let r = await inngest.handler.handle(CallBody.request(fnId: "test-app-two", body: body, headers: Self.signed(body)))
            #expect(r.status == 500)
            #expect(r.headers["X-Inngest-No-Retry"] == "false")
            #expect(r.json?["code"] == "api_fetch_failed")
        }
    }
}
