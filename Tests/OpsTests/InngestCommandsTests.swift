import Foundation
import HTTP
import InngestProtocol
import JSON
import Testing
import TestSupport
@testable import Ops

/// `joelclaw send` and `joelclaw runs` against a loopback server standing in
/// for the Inngest event and REST APIs.
@Suite struct InngestCommandsTests {
    @Test func sendPostsTheEventToTheEventAPI() async throws {
        let server = try ScriptedTCPServer(.routes(["POST /e/secret-key": (200, #"{"ids":["01HZX"],"status":200}"#)]))
        defer { server.stop() }
        let env = ["INNGEST_BASE_URL": "http://127.0.0.1:\(server.port)/", "INNGEST_EVENT_KEY": "secret-key"]
        let r = await CLIHarness(environment: env).run(["send", "system/adr.edited", "--data", #"{"path":"docs/0025.md","n":1.50}"#])
        #expect(r.code == .success, "\(r.stderr)")
        #expect(r.stdout == "sent system/adr.edited: 01HZX\n")
        let request = try #require(server.requests.first)
        #expect(request.hasPrefix("POST /e/secret-key HTTP/1.1\r\n"))
        #expect(request.lowercased().contains("content-type: application/json"))
        let body = try JSON(parsing: String(request[request.range(of: "\r\n\r\n")!.upperBound...]))
        #expect(body[0]?["name"] == "system/adr.edited")
        #expect(body[0]?["data"] == ["path": "docs/0025.md", "n": .number(try #require(JSON(parsing: "1.50").numberValue))])
        #expect(request.contains("X-Inngest-SDK: inngest-swift:v"))
    }

    @Test func withNothingConfiguredTheCLITalksToTheEmbeddedEngine() async throws {
        let noKeys = ["JOELCLAW_ENGINE_KEYS": "/nonexistent/engine-keys.json"]
        let open = try InngestConnection(environment: noKeys, http: SocketHTTPClient()).configuration
        #expect(open.mode == .dev)
        #expect(open.eventAPIBaseURL == "http://127.0.0.1:8288" && open.apiBaseURL == "http://127.0.0.1:8288")
        #expect(open.effectiveEventKey == "NO_EVENT_KEY_SET")
        let split = try InngestConnection(environment: ["INNGEST_BASE_URL": "http://127.0.0.1:1", "INNGEST_EVENT_API_BASE_URL": "http://127.0.0.1:2/",
                                                        "INNGEST_SIGNING_KEY": "signkey-test-00"], http: SocketHTTPClient()).configuration
        #expect(split.mode == .cloud)
        #expect(split.eventAPIBaseURL == "http://127.0.0.1:2")
        #expect(split.apiBaseURL == "http://127.0.0.1:1")
        #expect(split.signingKey?.value == "signkey-test-00")
        let bad = await CLIHarness(environment: ["INNGEST_BASE_URL": "http://127.0.0.1:1", "INNGEST_SIGNING_KEY": "not-hex"]).run(["runs", "-e", "x"])
        #expect(bad.code == .configuration)
        #expect(!bad.stderr.contains("not-hex"), "\(bad.stderr)")
    }

    /// `INNGEST_DEV` picks the dev server (and the dev key), as it does for the SDK.
    @Test func sendHonoursINNGEST_DEV() async throws {
        let server = try ScriptedTCPServer(.routes(["POST /e/NO_EVENT_KEY_SET": (200, #"{"ids":["01DEV"],"status":200}"#)]))
        defer { server.stop() }
        let r = await CLIHarness(environment: ["INNGEST_DEV": "127.0.0.1:\(server.port)"]).run(["send", "x/y", "--json"])
        #expect(r.code == .success, "\(r.stderr)")
        #expect(r.stdout == #"{"ids":["01DEV"]}"# + "\n")
    }

    @Test func sendRejectsBadDataWithExit65AndSendsNothing() async throws {
        let server = try ScriptedTCPServer(.http(status: 200, body: "{}"))
        defer { server.stop() }
        let env = ["INNGEST_BASE_URL": "http://127.0.0.1:\(server.port)"]
        let notJSON = await CLIHarness(environment: env).run(["send", "x/y", "--data", "{oops"])
        #expect(notJSON.code == .dataError)
        #expect(notJSON.stderr.hasPrefix("Error: --data is not valid JSON"))
        let notObject = await CLIHarness(environment: env).run(["send", "x/y", "-d", "[1]"])
        #expect(notObject.code == .dataError)
        #expect(notObject.stderr.contains("--data must be a JSON object"))
        #expect(server.requests.isEmpty)
    }

    @Test func unreachableServerIsExit69AndRejectionIsExit1() async throws {
        let key = "s3cret-event-key-0042"
        let closed = ScriptedTCPServer.closedPort()
        let down = await CLIHarness(environment: ["INNGEST_BASE_URL": "http://127.0.0.1:\(closed)", "INNGEST_EVENT_KEY": key]).run(["send", "x/y"])
        #expect(down.code == .unavailable)
        #expect(down.stderr.hasPrefix("Error: cannot reach Inngest at http://127.0.0.1:\(closed): "), "\(down.stderr)")
        let server = try ScriptedTCPServer(.http(status: 401, body: #"{"error":"Event key not found"}"#))
        defer { server.stop() }
        let rejected = await CLIHarness(environment: ["INNGEST_BASE_URL": "http://127.0.0.1:\(server.port)", "INNGEST_EVENT_KEY": key]).run(["send", "x/y"])
        #expect(rejected.code == .failure)
        #expect(rejected.stderr == "Error: the event API refused the events (401): Event key not found\n")
        #expect(server.requests.count == 1)
        // Cloud mode (a server named without INNGEST_DEV) needs an event key, as in the SDK.
        let noKey = await CLIHarness(environment: ["INNGEST_BASE_URL": "http://127.0.0.1:\(server.port)"]).run(["send", "x/y"])
        #expect(noKey.code == .configuration)
        #expect(noKey.stderr.contains("INNGEST_EVENT_KEY is not set"))
    }

    /// The event key is in the URL: no error may show it, whether the URL is
    /// unusable or the server echoes the key back.
    @Test func errorsNeverShowTheEventKey() async throws {
        let key = "s3cret-event-key-0042"
        let badPort = await CLIHarness(environment: ["INNGEST_BASE_URL": "http://127.0.0.1:99999", "INNGEST_EVENT_KEY": key]).run(["send", "x/y"])
        #expect(badPort.code != .success)
        #expect(!badPort.stderr.contains(key), "\(badPort.stderr)")
        let server = try ScriptedTCPServer(.http(status: 400, body: #"{"error":"bad key \#(key) for /e/\#(key)"}"#))
        defer { server.stop() }
        let echoed = await CLIHarness(environment: ["INNGEST_BASE_URL": "http://127.0.0.1:\(server.port)", "INNGEST_EVENT_KEY": key]).run(["send", "x/y"])
        #expect(echoed.code == .failure)
        #expect(!echoed.stderr.contains(key), "\(echoed.stderr)")
        #expect(echoed.stderr.contains("bad key [redacted]"), "\(echoed.stderr)")
    }

    @Test func runsForAnEvent() async throws {
        let server = try ScriptedTCPServer(.routes([
            "GET /v1/events/01EVT/runs": (200, #"{"data":[{"run_id":"01RUN","function_id":"system-bus-video-download","status":"Completed","run_started_at":"2026-02-16T18:00:00Z","ended_at":"2026-02-16T18:01:00Z","output":{"ok":true}}],"metadata":{}}"#),
        ]))
        defer { server.stop() }
        let env = ["INNGEST_API_BASE_URL": "http://127.0.0.1:\(server.port)", "INNGEST_SIGNING_KEY": "signkey-test-abcd"]
        let r = await CLIHarness(environment: env).run(["runs", "--event", "01EVT"])
        #expect(r.code == .success, "\(r.stderr)")
        #expect(r.stdout == "event 01EVT\n  01RUN  system-bus-video-download  Completed  2026-02-16T18:00:00Z  2026-02-16T18:01:00Z\n")
        // The SDK's bearer token: the prefix and the SHA-256 of the key's bytes, never the key.
        let bearer = try SigningKey(parsing: "signkey-test-abcd").bearerToken
        #expect(bearer != "signkey-test-abcd")
        #expect(server.requests.first?.contains("Authorization: Bearer \(bearer)\r\n") == true)
        let json = await CLIHarness(environment: env).run(["runs", "-e", "01EVT", "--json"])
        let doc = try JSON(parsing: json.stdout)
        #expect(doc["events"]?[0]?["id"] == "01EVT")
        #expect(doc["events"]?[0]?["runs"]?[0]?["output"] == ["ok": true])
    }

    /// A server that refuses the signing key (401) is asked again with the fallback key, as the SDK does.
    @Test func runsFallsBackToTheFallbackKeyAfter401() async throws {
        let server = try ScriptedTCPServer(.sequence([(401, #"{"error":"unauthorized"}"#), (200, #"{"data":[]}"#)]))
        defer { server.stop() }
        let env = ["INNGEST_API_BASE_URL": "http://127.0.0.1:\(server.port)", "INNGEST_SIGNING_KEY": "signkey-prod-aa",
                   "INNGEST_SIGNING_KEY_FALLBACK": "signkey-prod-bb"]
        let r = await CLIHarness(environment: env).run(["runs", "-e", "01EVT"])
        #expect(r.code == .success, "\(r.stderr)")
        #expect(r.stdout == "event 01EVT\n  no runs\n")
        #expect(server.requests.count == 2)
        #expect(server.requests[0].contains("Bearer \(try SigningKey(parsing: "signkey-prod-aa").bearerToken)\r\n"))
        #expect(server.requests[1].contains("Bearer \(try SigningKey(parsing: "signkey-prod-bb").bearerToken)\r\n"))
    }

    @Test func runsOfRecentEvents() async throws {
        let server = try ScriptedTCPServer(.routes([
            "GET /v1/events?limit=2": (200, #"{"data":[{"internal_id":"01A","name":"system/adr.edited"},{"id":"01B","name":"x/y"}]}"#),
            "GET /v1/events/01A/runs": (200, #"{"data":[]}"#),
            "GET /v1/events/01B/runs": (200, #"{"data":[{"run_id":"01R","function_id":"f","status":"Running"}]}"#),
        ]))
        defer { server.stop() }
        let r = await CLIHarness(environment: ["INNGEST_BASE_URL": "http://127.0.0.1:\(server.port)"]).run(["runs", "--limit", "2"])
        #expect(r.code == .success, "\(r.stderr)")
        #expect(r.stdout == "event 01A (system/adr.edited)\n  no runs\nevent 01B (x/y)\n  01R  f  Running  -  -\n")
    }

    @Test func runsWithoutAnEventExplainsWhenTheServerCannotList() async throws {
        let server = try ScriptedTCPServer(.routes([:]))
        defer { server.stop() }
        let r = await CLIHarness(environment: ["INNGEST_BASE_URL": "http://127.0.0.1:\(server.port)"]).run(["runs"])
        #expect(r.code == .failure)
        #expect(r.stderr.contains("answered HTTP 404"))
        #expect(r.stderr.contains("pass --event <id>"))
    }
}
