import Foundation
import Testing
import HTTP
import JSON
@testable import InngestProtocol

/// Interop with the Python SDK: signatures verify both ways, and the payloads
/// this SDK emits are accepted by the Python SDK's own pydantic models.
@Suite(.enabled("python3 with the inngest package is installed (test.sh installs it)") { await PythonPeer.shouldRun() })
struct PythonInteropTests {
    static let key = "signkey-test-8ee2262a15e8d3c42d6a840db7af3de2aab08ef632b32a37a687f24b34dba3ff"
    static let fallbackKey = "signkey-test-00112233445566778899aabbccddeeff"

    @Test func signaturesVerifyBothWays() async throws {
        let key = try SigningKey(parsing: Self.key)
        let now = Int64(Date().timeIntervalSince1970)
        let body = String(decoding: CallBody.make(), as: UTF8.self)
        let goBody = #"{"url":"http://127.0.0.1:3000/api/inngest?a=1\u0026b=2"}"#
        let swiftHeader = RequestSignature.sign(body: Array(body.utf8), key: key, timestamp: now)
        let fallback = try SigningKey(parsing: Self.fallbackKey)
        let fallbackHeader = RequestSignature.sign(body: Array(body.utf8), key: fallback, timestamp: now)
        let responseBody = #"[{"op":"StepRun","id":"x","data":1}]"#
        let responseHeader = RequestSignature.sign(body: Array(responseBody.utf8), key: key, timestamp: now)

        let results = try await PythonPeer.check([
            ["kind": "verify_request", "key": .string(Self.key), "header": .string(swiftHeader), "body": .string(body)],
            ["kind": "verify_request", "key": .string(Self.key), "fallback": .string(Self.fallbackKey),
             "header": .string(fallbackHeader), "body": .string(body)],
            ["kind": "verify_request", "key": .string(Self.key), "header": .string(swiftHeader), "body": .string(body + " ")],
            ["kind": "verify_response", "key": .string(Self.key), "header": .string(responseHeader), "body": .string(responseBody)],
            ["kind": "sign_request", "key": .string(Self.key), "t": .number(JSONNumber(now)), "body": .string(body)],
            ["kind": "sign_request", "key": .string(Self.key), "t": .number(JSONNumber(now)), "body": .string(goBody)],
        ])
        #expect(results[0]["ok"] == true, "Python accepts a Swift-signed call")
        #expect(results[1]["ok"] == true, "Python accepts a Swift signature under the fallback key")
        #expect(results[2]["ok"] == true, "Python canonicalises, so trailing whitespace does not matter")
        #expect(results[3]["ok"] == true, "Python accepts a Swift-signed response")

        let pyHeader = try #require(results[4]["detail"]?.stringValue)
        #expect((try? RequestSignature.verify(header: pyHeader, body: Array(body.utf8), keys: [key], now: now).get()) != nil,
                "Swift accepts a Python-signed call")
        let pyGoHeader = try #require(results[5]["detail"]?.stringValue)
        #expect((try? RequestSignature.verify(header: pyGoHeader, body: Array(goBody.utf8), keys: [key], now: now).get()) != nil,
                "Swift accepts a Python signature over the canonical form of an HTML-escaped body")
        #expect(RequestSignature.verify(header: pyHeader, body: Array((body + "x").utf8), keys: [key], now: now) == .failure(.malformed)
                || RequestSignature.verify(header: pyHeader, body: Array((body + "x").utf8), keys: [key], now: now) == .failure(.mismatch))
    }

    @Test func hashesAgree() async throws {
        let ids = ["a", "my-step-id:1", "send-welcome:2", "ünïcode step"]
        let keys = [Self.key, "signkey-prod-12345678"]
        let results = try await PythonPeer.check(ids.map { ["kind": "hash_step_id", "id": .string($0)] }
                                           + keys.map { ["kind": "hash_signing_key", "key": .string($0)] })
        for (i, id) in ids.enumerated() {
            #expect(results[i]["detail"] == .string(Hashing_sha1(id)), "step id \(id)")
        }
        for (i, key) in keys.enumerated() {
            // Python drops the prefix from the bearer token (spec D1); compare the hashed part.
            #expect(results[ids.count + i]["detail"] == .string(try SigningKey(parsing: key).hashedBody))
        }
    }

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

    @Test func registerPayloadMatchesPythonAndPassesItsModels() async throws {
        let inngest = devInngest([Self.allOptions])
        let url = "http://127.0.0.1:3000/api/inngest"
        let functions = try #require(RegisterPayload.functions(of: inngest, serveURL: url).arrayValue)
        let results = try await PythonPeer.check([
            ["kind": "python_function_config", "app_id": "test-app", "url": .string(url)],
            ["kind": "validate", "model": "FunctionConfig", "data": functions[0]],
            ["kind": "validate", "model": "FunctionConfig", "data": functions[1]],
        ])
        #expect(results[0]["detail"]?.canonicalString() == functions[0].canonicalString(), "the same function defined in Python registers identically")
        #expect(results[1]["ok"] == true, "\(results[1]["detail"] ?? nil)")
        #expect(results[2]["ok"] == true, "failure handler: \(results[2]["detail"] ?? nil)")
    }

    @Test func inBandSyncAndIntrospectionPassPythonModels() async throws {
        let key = try SigningKey(parsing: Self.key)
        let now = Int64(Date().timeIntervalSince1970)
        let inngest = Inngest(appId: "test-app", functions: [Self.allOptions],
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
        let results = try await PythonPeer.check([
            ["kind": "validate", "model": "InBandSynchronizeResponse", "data": inBandJSON, "allow_extra": true],
            ["kind": "validate", "model": "AuthenticatedInspection", "data": try #require(authenticated.json)],
            ["kind": "validate", "model": "UnauthenticatedInspection", "data": try #require(unauthenticated.json), "allow_extra": true],
        ])
        // js also sends top-level capabilities in-band; Python keeps them only in the inspection.
        #expect(results[0]["ok"] == true && results[0]["detail"] == ["$.capabilities"], "\(results[0]["detail"] ?? nil)")
        #expect(results[1]["ok"] == true, "\(results[1]["detail"] ?? nil)")
        // The Python model lacks authentication_succeeded (spec F3); it must be the only extra key.
        #expect(results[2]["ok"] == true && results[2]["detail"] == ["$.authentication_succeeded"], "\(results[2]["detail"] ?? nil)")
    }

    @Test func opsPassThePythonStepModel() async throws {
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
        steps[Hashing_sha1("wait")] = .null
        ops += await OpShapeTests.call(wait, steps: steps).json?.arrayValue ?? []
        let invoke = InngestFunction(id: "i", triggers: [.event("e")]) { ctx in
            let _: JSON = try await ctx.step.invoke("call", functionId: "test-app-x", data: ["a": 1] as JSON, timeout: "1h")
        }
        ops += await OpShapeTests.call(invoke).json?.arrayValue ?? []
        #expect(Set(ops.compactMap { $0["op"]?.stringValue }) == ["StepError", "StepRun", "WaitForEvent", "StepPlanned", "Sleep", "InvokeFunction"])

        // StepInfo covers the step's identity and options; data/error travel beside it in Python.
        let results = try await PythonPeer.check(ops.map { op in
            var info = op
            info["data"] = nil
            info["error"] = nil
            return ["kind": "validate", "model": "StepInfo", "data": info]
        })
        for (op, result) in zip(ops, results) {
            #expect(result["ok"] == true, "\(op.serialized()): \(result["detail"] ?? nil)")
        }
    }
}

import Hashing
func Hashing_sha1(_ s: String) -> String { Digest.sha1Hex(s) }
