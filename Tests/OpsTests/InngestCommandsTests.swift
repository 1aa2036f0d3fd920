import Foundation
import JSON
import Testing
@testable import Ops

/// `joelclaw send` and `joelclaw runs` against a loopback server standing in
/// for the Inngest event and REST APIs.
@Suite struct InngestCommandsTests {
    @Test func sendPostsTheEventToTheEventAPI() async throws {
        let server = try LoopbackServer(.routes(["POST /e/secret-key": (200, #"{"ids":["01HZX"],"status":200}"#)]))
        defer { server.stop() }
        let env = ["INNGEST_BASE_URL": "http://127.0.0.1:\(server.port)/", "INNGEST_EVENT_KEY": "secret-key"]
        let r = await CLIHarness(environment: env).run(["send", "system/adr.edited", "--data", #"{"path":"docs/0025.md","n":1.50}"#])
        #expect(r.code == .success, "\(r.stderr)")
        #expect(r.stdout == "sent system/adr.edited: 01HZX\n")
        let request = try #require(server.requests.first)
        #expect(request.hasPrefix("POST /e/secret-key HTTP/1.1\r\n"))
        #expect(request.lowercased().contains("content-type: application/json"))
        let body = try JSON(parsing: String(request[request.range(of: "\r\n\r\n")!.upperBound...]))
        #expect(body == ["name": "system/adr.edited", "data": ["path": "docs/0025.md", "n": .number(try #require(JSON(parsing: "1.50").numberValue))]])
    }

    @Test func sendDefaultsToTheEmbeddedEngineAndTheDevKey() {
        let e = InngestEndpoints(environment: [:])
        #expect(e == InngestEndpoints(eventAPI: "http://127.0.0.1:8288", api: "http://127.0.0.1:8288", eventKey: "NO_EVENT_KEY_SET"))
        let split = InngestEndpoints(environment: ["INNGEST_BASE_URL": "http://127.0.0.1:1", "INNGEST_EVENT_API_BASE_URL": "http://127.0.0.1:2/",
                                                  "INNGEST_SIGNING_KEY": "signkey-test-00"])
        #expect(split.eventAPI == "http://127.0.0.1:2")
        #expect(split.api == "http://127.0.0.1:1")
        #expect(split.signingKey == "signkey-test-00")
    }

    @Test func sendRejectsBadDataWithExit65AndSendsNothing() async throws {
        let server = try LoopbackServer(.http(status: 200, body: "{}"))
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
        let closed = LoopbackServer.closedPort()
        let down = await CLIHarness(environment: ["INNGEST_BASE_URL": "http://127.0.0.1:\(closed)"]).run(["send", "x/y"])
        #expect(down.code == .unavailable)
        #expect(down.stderr.contains("cannot reach Inngest at http://127.0.0.1:\(closed)/e/NO_EVENT_KEY_SET"))
        let server = try LoopbackServer(.http(status: 401, body: #"{"error":"Event key not found"}"#))
        defer { server.stop() }
        let rejected = await CLIHarness(environment: ["INNGEST_BASE_URL": "http://127.0.0.1:\(server.port)"]).run(["send", "x/y"])
        #expect(rejected.code == .failure)
        #expect(rejected.stderr.contains("answered HTTP 401: {\"error\":\"Event key not found\"}"))
    }

    @Test func runsForAnEvent() async throws {
        let server = try LoopbackServer(.routes([
            "GET /v1/events/01EVT/runs": (200, #"{"data":[{"run_id":"01RUN","function_id":"system-bus-video-download","status":"Completed","run_started_at":"2026-02-16T18:00:00Z","ended_at":"2026-02-16T18:01:00Z","output":{"ok":true}}],"metadata":{}}"#),
        ]))
        defer { server.stop() }
        let env = ["INNGEST_API_BASE_URL": "http://127.0.0.1:\(server.port)", "INNGEST_SIGNING_KEY": "signkey-test-abc"]
        let r = await CLIHarness(environment: env).run(["runs", "--event", "01EVT"])
        #expect(r.code == .success, "\(r.stderr)")
        #expect(r.stdout == "event 01EVT\n  01RUN  system-bus-video-download  Completed  2026-02-16T18:00:00Z  2026-02-16T18:01:00Z\n")
        #expect(server.requests.first?.contains("Authorization: Bearer signkey-test-abc") == true)
        let json = await CLIHarness(environment: env).run(["runs", "-e", "01EVT", "--json"])
        let doc = try JSON(parsing: json.stdout)
        #expect(doc["events"]?[0]?["id"] == "01EVT")
        #expect(doc["events"]?[0]?["runs"]?[0]?["output"] == ["ok": true])
    }

    @Test func runsOfRecentEvents() async throws {
        let server = try LoopbackServer(.routes([
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
        let server = try LoopbackServer(.routes([:]))
        defer { server.stop() }
        let r = await CLIHarness(environment: ["INNGEST_BASE_URL": "http://127.0.0.1:\(server.port)"]).run(["runs"])
        #expect(r.code == .failure)
        #expect(r.stderr.contains("answered HTTP 404"))
        #expect(r.stderr.contains("pass --event <id>"))
    }
}
