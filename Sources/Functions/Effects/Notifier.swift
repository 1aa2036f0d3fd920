import Foundation
import HTTP
import JSON

/// Tells the gateway (the agent session that talks to people) that something
/// happened. Best effort by contract: callers swallow and log failures.
/// The one real implementation is `HTTPGatewayNotifier`.
public protocol Notifier: Sendable {
    func notify(type: String, payload: JSON) async throws
}

/// POSTs a gateway `SystemEvent` `{id, type, source, payload, ts}` as JSON to
/// the configured URL (the gateway reads this shape).
public struct HTTPGatewayNotifier: Notifier {
    let url: String
    let http: HTTPClient
    let now: @Sendable () -> Date

    public init(url: String, http: HTTPClient, now: @escaping @Sendable () -> Date = { Date() }) {
        self.url = url
        self.http = http
        self.now = now
    }

    public func notify(type: String, payload: JSON) async throws {
        let event: JSON = .object(JSONObject([
            (key: "id", value: .string(UUID().uuidString.lowercased())),
            (key: "type", value: .string(type)),
            (key: "source", value: "inngest"),
            (key: "payload", value: payload),
            (key: "ts", value: .number(JSONNumber(Int64(now().timeIntervalSince1970 * 1000)))),
        ]))
        let response = try await http.send(HTTPClientRequest(method: "POST", url: url, headers: ["content-type": "application/json"],
                                                             body: event.serializedBytes(), timeout: 10))
        guard (200..<300).contains(response.status) else {
            throw NotifierError.http(status: response.status)
        }
    }
}

public enum NotifierError: Error, Sendable, Equatable {
    case http(status: Int)
}
