import Foundation
import Testing
import Hashing
import HTTP
import JSON
@testable import InngestProtocol

/// Interop with the Python SDK: signatures verify both ways, and the payloads
/// this SDK emits are accepted by the Python SDK's own pydantic models.
///
/// All checks go to one `python3` process (importing the SDK costs a good
/// fraction of a second of CPU, and other suites run alongside).
@Suite(.enabled("python3 with the inngest package is installed (test.sh installs it)") { await PythonPeer.shouldRun() })
struct PythonInteropTests {
    static let key = "signkey-test-8ee2262a15e8d3c42d6a840db7af3de2aab08ef632b32a37a687f24b34dba3ff"
    static let fallbackKey = "signkey-test-00112233445566778899aabbccddeeff"
    static let now = Int64(Date().timeIntervalSince1970)
    static let body = String(decoding: CallBody.make(), as: UTF8.self)
    static let goBody = #"{"url":"http://127.0.0.1:3000/api/inngest?a=1\u0026b=2"}"#
    static let responseBody = #"[{"op":"StepRun","id":"x","data":1}]"#
    static let stepIds = ["a", "my-step-id:1", "send-welcome:2", "ünïcode step"]
    static let signingKeys = [key, "signkey-prod-12345678"]
    static let serveURL = "http://127.0.0.1:3000/api/inngest"

    static let allOptions = InngestFunction(
        id: "all-options", name: "All options",
        triggers: [.event("app/a", if: "event.data.ok == true"), .cron("0 9 * * *", timezone: "Europe/Berlin")],
        config: .init(retries: 2,
                      concurrency: [.init(limit: 1), .init(limit: 2, key: "event.data.k", scope: .account)],
                      throttle: .init(limit: 4, period: "1m", burst: 2, key: "event.data.t"),
                      rateLimit: .init(limit: 1, period: "1h", key: "event.data.r"),
                      debounce: .init(period: "5m", key: "event.data.d", timeout: "1h"),
                      priority: .init(run: "event.data.p"),
                      idempotency: "event.data.id",
                      cancelOn: [.init(event: "app/cancel", match: "data.id", timeout: "1w")],
                      timeouts: .init(start: "1m", finish: "2h"),
                      singleton: .init(key: "event.data.s", mode: .skip),
                      onFailure: { _ in })) { _ in }

    /// Every op kind the SDK emits, collected by running small functions.
    static func ops() async -> [JSON] {
        var ops: [JSON] = []
        for fn in [OpShapeTests.failing, StepRuntimeTests.twoSteps] {
            ops += await OpShapeTests.call(fn).json?.arrayValue ?? []
        }
        let wait = InngestFunction(id: "w", triggers: [.event("e")]) { ctx in
            _ = try await ctx.step.waitForEvent("wait", event: "x", timeout: "1h", match: "data.id")
            _ = try await ctx.step.parallel({ try await ctx.step.run("p1") { 1 } }, { try await ctx.step.sleep("zz", for: "1s") })
        }
        ops += await OpShapeTests.call(wait).json?.arrayValue ?? []
        var steps = JSONObject()
        steps[Digest.sha1Hex("wait")] = .null
        ops += await OpShapeTests.call(wait, steps: steps).json?.arrayValue ?? []
        let invoke = InngestFunction(id: "i", triggers: [.event("e")]) { ctx in
            let _: JSON = try await ctx.step.invoke("call", functionId: "test-app-x", data: ["a": 1] as JSON, timeout: "1h")
        }
        ops += await OpShapeTests.call(invoke).json?.arrayValue ?? []
        return ops
    }

    /// The handler's in-band sync reply and introspection bodies, in cloud mode.
    static func syncBodies() async throws -> (inBand: JSON, authenticated: JSON, unauthenticated: JSON) {
        let key = try SigningKey(parsing: Self.key)
        let inngest = Inngest(appId: "test-app", functions: [allOptions],
                              configuration: InngestConfiguration(mode: .cloud, signingKey: key, eventKey: "k"),
                              httpClient: UnreachableHTTPClient(), logSink: DiscardingLogSink())
        let body = Array(#"{"url":"http://127.0.0.1:51234/api/inngest"}"#.utf8)
        let inBand = await inngest.handler.handle(HTTPRequest(method: "PUT", target: "/api/inngest", headers: [
            "X-Inngest-Signature": RequestSignature.sign(body: body, key: key, timestamp: now), "x-inngest-sync-kind": "in_band",
        ], body: body))
        let authenticated = await inngest.handler.handle(HTTPRequest(method: "GET", target: "/api/inngest", headers: [
            "X-Inngest-Signature": RequestSignature.sign(body: [], key: key, timestamp: now),
        ]))
        let unauthenticated = await inngest.handler.handle(HTTPRequest(method: "GET", target: "/api/inngest"))
        var inBandJSON = try #require(inBand.json)
        inBandJSON["framework"] = "flask"  // Python's Framework enum lists only Python frameworks
        return (inBandJSON, try #require(authenticated.json), try #require(unauthenticated.json))
    }

    static func checks() async throws -> [String: JSON] {
        let key = try SigningKey(parsing: Self.key)
        let fallback = try SigningKey(parsing: fallbackKey)
        let functions = try #require(RegisterPayload.functions(of: devInngest([allOptions]), serveURL: serveURL).arrayValue)
        let sync = try await syncBodies()
        var named: [(String, JSON)] = [
            ("verify-swift", ["kind": "verify_request", "key": .string(Self.key),
                              "header": .string(RequestSignature.sign(body: Array(body.utf8), key: key, timestamp: now)), "body": .string(body)]),
            ("verify-swift-fallback", ["kind": "verify_request", "key": .string(Self.key), "fallback": .string(fallbackKey),
                                       "header": .string(RequestSignature.sign(body: Array(body.utf8), key: fallback, timestamp: now)),
                                       "body": .string(body)]),
            ("verify-swift-whitespace", ["kind": "verify_request", "key": .string(Self.key),
                                         "header": .string(RequestSignature.sign(body: Array(body.utf8), key: key, timestamp: now)),
                                         "body": .string(body + " ")]),
            ("verify-swift-response", ["kind": "verify_response", "key": .string(Self.key),
                                       "header": .string(RequestSignature.sign(body: Array(responseBody.utf8), key: key, timestamp: now)),
                                       "body": .string(responseBody)]),
            ("sign-python", ["kind": "sign_request", "key": .string(Self.key), "t": .number(JSONNumber(now)), "body": .string(body)]),
            ("sign-python-go-body", ["kind": "sign_request", "key": .string(Self.key), "t": .number(JSONNumber(now)), "body": .string(goBody)]),
            ("python-function", ["kind": "python_function_config", "app_id": "test-app", "url": .string(serveURL)]),
            ("validate-function", ["kind": "validate", "model": "FunctionConfig", "data": functions[0]]),
            ("validate-failure-function", ["kind": "validate", "model": "FunctionConfig", "data": functions[1]]),
            ("validate-in-band", ["kind": "validate", "model": "InBandSynchronizeResponse", "data": sync.inBand, "allow_extra": true]),
            ("validate-authenticated", ["kind": "validate", "model": "AuthenticatedInspection", "data": sync.authenticated]),
            ("validate-unauthenticated", ["kind": "validate", "model": "UnauthenticatedInspection", "data": sync.unauthenticated,
                                          "allow_extra": true]),
        ]
        named += stepIds.map { ("step:\($0)", ["kind": "hash_step_id", "id": .string($0)]) }
        named += signingKeys.map { ("key:\($0)", ["kind": "hash_signing_key", "key": .string($0)]) }
        for (i, op) in await ops().enumerated() {
            var info = op
            info["data"] = nil   // StepInfo covers identity and options; data/error travel beside it in Python
            info["error"] = nil
            named.append(("op:\(i):\(op.serialized())", ["kind": "validate", "model": "StepInfo", "data": info]))
        }
        let results = try await PythonPeer.check(named.map(\.1))
        return Dictionary(uniqueKeysWithValues: zip(named.map(\.0), results))
    }

    static let results = Task { try await checks() }

    @Test func signaturesVerifyBothWays() async throws {
        let r = try await Self.results.value
        let key = try SigningKey(parsing: Self.key)
        #expect(r["verify-swift"]?["ok"] == true, "Python accepts a Swift-signed call")
        #expect(r["verify-swift-fallback"]?["ok"] == true, "Python accepts a Swift signature under the fallback key")
        #expect(r["verify-swift-whitespace"]?["ok"] == true, "Python canonicalises, so trailing whitespace does not matter")
        #expect(r["verify-swift-response"]?["ok"] == true, "Python accepts a Swift-signed response")
        let pyHeader = try #require(r["sign-python"]?["detail"]?.stringValue)
        #expect((try? RequestSignature.verify(header: pyHeader, body: Array(Self.body.utf8), keys: [key], now: Self.now).get()) != nil,
                "Swift accepts a Python-signed call")
        #expect(RequestSignature.verify(header: pyHeader, body: Array((Self.body + "x").utf8), keys: [key], now: Self.now) != .success(key),
                "a tampered body fails")
        let pyGoHeader = try #require(r["sign-python-go-body"]?["detail"]?.stringValue)
        #expect((try? RequestSignature.verify(header: pyGoHeader, body: Array(Self.goBody.utf8), keys: [key], now: Self.now).get()) != nil,
                "Swift accepts a Python signature over the canonical form of an HTML-escaped body")
    }

    @Test func hashesAgree() async throws {
        let r = try await Self.results.value
        for id in Self.stepIds {
            #expect(r["step:\(id)"]?["detail"] == .string(Digest.sha1Hex(id)), "step id \(id)")
        }
        for key in Self.signingKeys {
            // Python drops the prefix from the bearer token; compare the hashed part.
            #expect(r["key:\(key)"]?["detail"] == .string(try SigningKey(parsing: key).hashedBody))
        }
    }

    @Test func registerPayloadMatchesPythonAndPassesItsModels() async throws {
        let r = try await Self.results.value
        let functions = try #require(RegisterPayload.functions(of: devInngest([Self.allOptions]), serveURL: Self.serveURL).arrayValue)
        #expect(r["python-function"]?["detail"]?.canonicalString() == functions[0].canonicalString(),
                "the same function defined in Python registers identically")
        #expect(r["validate-function"]?["ok"] == true, "\(r["validate-function"]?["detail"] ?? nil)")
        #expect(r["validate-failure-function"]?["ok"] == true, "failure handler: \(r["validate-failure-function"]?["detail"] ?? nil)")
    }

    @Test func inBandSyncAndIntrospectionPassPythonModels() async throws {
        let r = try await Self.results.value
        // js also sends top-level capabilities in-band; Python keeps them only in the inspection.
        #expect(r["validate-in-band"]?["ok"] == true && r["validate-in-band"]?["detail"] == ["$.capabilities"],
                "\(r["validate-in-band"]?["detail"] ?? nil)")
        #expect(r["validate-authenticated"]?["ok"] == true, "\(r["validate-authenticated"]?["detail"] ?? nil)")
        // The Python model lacks authentication_succeeded; it must be the only extra key.
        #expect(r["validate-unauthenticated"]?["ok"] == true && r["validate-unauthenticated"]?["detail"] == ["$.authentication_succeeded"],
                "\(r["validate-unauthenticated"]?["detail"] ?? nil)")
    }

    @Test func opsPassThePythonStepModel() async throws {
        let r = try await Self.results.value
        let ops = r.filter { $0.key.hasPrefix("op:") }
        let kinds = Set(ops.keys.compactMap { key in
            (try? JSON(parsing: String(key.split(separator: ":", maxSplits: 2)[2])))?["op"]?.stringValue
        })
        #expect(kinds == ["StepError", "StepRun", "WaitForEvent", "StepPlanned", "Sleep", "InvokeFunction"])
        for (name, result) in ops {
            #expect(result["ok"] == true, "\(name): \(result["detail"] ?? nil)")
        }
    }
}
