import Foundation
import Testing
import HTTP
import JSON
@testable import InngestProtocol
import TestSupport

@Suite struct EventClientTests {
    static func client(_ origin: String, key: String? = "test-key", mode: InngestMode = .cloud) -> EventClient {
        EventClient(configuration: InngestConfiguration(mode: mode, eventKey: key, apiBaseURL: origin, eventAPIBaseURL: origin),
                    httpClient: SocketHTTPClient(), backoff: { _ in })
    }

    @Test func sendsToTheKeyPathWithASeedAndReturnsIds() async throws {
        try await withLoopbackServer({ _, _ in HTTPResponse.json(200, ["ids": ["01J1", "01J2"], "status": 200]) }) { server in
            let ids = try await Self.client(server.origin).send([
                InngestEvent(name: "app/user.created", data: ["user_id": "u_123"]),
                try InngestEvent(name: "app/other", payload: ["n": 1]),
            ])
            #expect(ids == ["01J1", "01J2"])
            let request = try #require(server.requests.first)
            #expect(request.method == "POST")
            #expect(request.path == "/e/test-key")
            let seed = try #require(request.headers["X-Inngest-Event-Id-Seed"])
            let parts = seed.split(separator: ",")
            #expect(parts.count == 2 && Int64(parts[0]) != nil && Data(base64Encoded: String(parts[1]))?.count == 10)
            let body = try JSON(parsing: request.body)
            #expect(body[0]?["name"] == "app/user.created")
            #expect(body[0]?["data"] == ["user_id": "u_123"])
            #expect(body[0]?["ts"]?.intValue != nil)
            #expect(body[1]?["data"] == ["n": 1])
        }
    }

    @Test func retriesServerErrorsThenSucceeds() async throws {
        try await withLoopbackServer({ _, n in
            n < 2 ? HTTPResponse.json(502, ["error": "bad gateway"]) : HTTPResponse.json(200, ["ids": ["x"], "status": 200])
        }) { server in
            let ids = try await Self.client(server.origin).send([InngestEvent(name: "e")])
            #expect(ids == ["x"])
            #expect(server.requests.count == 3)
        }
    }

    @Test func clientErrorsFailAtOnce() async throws {
        try await withLoopbackServer({ _, _ in HTTPResponse.json(401, ["error": "Event key not found"]) }) { server in
            await #expect(throws: EventClient.SendError.self) { try await Self.client(server.origin).send([InngestEvent(name: "e")]) }
            #expect(server.requests.count == 1)
        }
    }

    @Test func unreachableServerIsRetriedThenReported() async throws {
        // Bind a port, then stop the server so nothing listens there.
        let server = try LoopbackServer { _ in HTTPResponse(status: 200) }
        let origin = server.origin
        await server.stop()
        do {
            _ = try await Self.client(origin).send([InngestEvent(name: "e")])
            Issue.record("expected an error")
        } catch let error as EventClient.SendError {
            guard case .unreachable = error else { Issue.record("expected unreachable, got \(error)"); return }
        }
    }

    @Test func cloudModeWithoutEventKeyRefuses() async {
        await #expect(throws: EventClient.SendError.self) {
            try await Self.client("http://127.0.0.1:9", key: nil).send([InngestEvent(name: "e")])
        }
    }

    @Test func middlewareSeesEventsBeforeSending() async throws {
        struct Stamp: InngestMiddleware {
            func beforeSendEvents(_ events: inout [InngestEvent]) async {
                for i in events.indices { events[i].data["stamped"] = true }
            }
        }
        try await withLoopbackServer({ _, _ in HTTPResponse.json(200, ["ids": ["x"], "status": 200]) }) { server in
            let client = EventClient(configuration: InngestConfiguration(mode: .dev, apiBaseURL: server.origin, eventAPIBaseURL: server.origin),
                                     httpClient: SocketHTTPClient(), middleware: [Stamp()])
            _ = try await client.send([InngestEvent(name: "e")])
            #expect(try JSON(parsing: server.requests[0].body)[0]?["data"]?["stamped"] == true)
            #expect(server.requests[0].path == "/e/NO_EVENT_KEY_SET")
        }
    }

    /// The key travels in the URL; neither an unusable URL nor a server echoing
    /// the key may put it into the error.
    @Test func errorsNeverHoldTheEventKey() async throws {
        let key = "s3cret-event-key-0042"
        let badPort = Self.client("http://127.0.0.1:99999", key: key)
        do {
            _ = try await badPort.send([InngestEvent(name: "e")])
            Issue.record("expected an error")
        } catch {
            #expect(!"\(error)".contains(key), "\(error)")
            #expect("\(error)".contains("127.0.0.1:99999"), "\(error)")
        }
        try await withLoopbackServer({ _, _ in HTTPResponse.json(401, ["error": .string("Event key \(key) not found")]) }) { server in
            do {
                _ = try await Self.client(server.origin, key: key).send([InngestEvent(name: "e")])
                Issue.record("expected an error")
            } catch {
                #expect("\(error)" == "the event API refused the events (401): Event key [redacted] not found")
            }
        }
    }
}
