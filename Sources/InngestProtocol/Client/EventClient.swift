import Foundation
import HTTP
import JSON

/// Sends events to `{eventApi}/e/{eventKey}` and returns the ids the server assigned.
///
/// Each send carries `X-Inngest-Event-Id-Seed` (`<unix ms>,<base64 of 10 random
/// bytes>`), so the server derives the same ids when a retried request arrives
/// twice. Network errors and `5xx` are retried with exponential backoff
/// (5 attempts in all); `4xx` fails at once with the server's message.
/// Errors never hold the event key: the request's URL carries it, so every
/// message passes through `SecretRedactor` first.
public struct EventClient: Sendable {
    let configuration: InngestConfiguration
    let httpClient: any HTTPClient
    let middleware: [any InngestMiddleware]
    let attempts: Int
    let backoff: @Sendable (Int) async -> Void

    public init(configuration: InngestConfiguration, httpClient: any HTTPClient,
                middleware: [any InngestMiddleware] = [], attempts: Int = 5,
                backoff: (@Sendable (Int) async -> Void)? = nil) {
        self.configuration = configuration
        self.httpClient = httpClient
        self.middleware = middleware
        self.attempts = max(1, attempts)
        self.backoff = backoff ?? { attempt in
            let ms = min(100 * (1 << min(attempt, 6)), 5_000)
            try? await Task.sleep(nanoseconds: UInt64(ms) * 1_000_000)
        }
    }

    /// Why events could not be sent.
    public enum SendError: Error, Sendable, CustomStringConvertible {
        case noEventKey
        case rejected(status: Int, message: String)
        case unreachable(String)
        case badReply(String)

        public var description: String {
            switch self {
            case .noEventKey: return "cannot send events: INNGEST_EVENT_KEY is not set (required outside dev mode)"
            case .rejected(let status, let message): return "the event API refused the events (\(status)): \(message)"
            case .unreachable(let why): return "the event API could not be reached: \(why)"
            case .badReply(let why): return "the event API answered something unexpected: \(why)"
            }
        }
    }

    public func send(_ events: [InngestEvent]) async throws -> [String] {
        guard !events.isEmpty else { return [] }
        var events = events
        for m in middleware { await m.beforeSendEvents(&events) }
        guard let key = configuration.effectiveEventKey else { throw SendError.noEventKey }
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        let body = JSON.array(events.map { event in
            var e = event
            if e.ts == nil { e.ts = now }
            return e.json
        }).serializedBytes()
        var headers = SDKIdentity.requestHeaders(configuration: configuration)
        headers.set("Content-Type", "application/json")
        headers.set("X-Inngest-Event-Id-Seed", Self.idSeed(now: now))
        let keyPath = key.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? key
        let request = HTTPClientRequest(method: "POST", url: "\(configuration.eventAPIBaseURL)/e/\(keyPath)",
                                        headers: headers, body: body)
        // Built only when an error needs it: hashing the keys is work a
        // successful send (every sendEvent step) does not need.
        func redact(_ text: String) -> String { SecretRedactor(configuration: configuration).redact(text) }
        var lastError: SendError = .unreachable("no attempt made")
        for attempt in 0..<attempts {
            if attempt > 0 { await backoff(attempt) }
            let response: HTTPClientResponse
            do {
                response = try await httpClient.send(request)
            } catch {
                lastError = .unreachable(redact(String(describing: error)))
                continue
            }
            let reply = try? JSON(parsing: response.body)
            if response.status >= 500 {
                lastError = .rejected(status: response.status, message: redact(Self.message(reply, response.body)))
                continue
            }
            guard response.status == 200 else {
                throw SendError.rejected(status: response.status, message: redact(Self.message(reply, response.body)))
            }
            guard let ids = reply?["ids"]?.arrayValue?.compactMap(\.stringValue) else {
                throw SendError.badReply(redact(String(decoding: response.body.prefix(200), as: UTF8.self)))
            }
            return ids
        }
        throw lastError
    }

    static func message(_ reply: JSON?, _ body: [UInt8]) -> String {
        reply?["error"]?.stringValue ?? String(decoding: body.prefix(200), as: UTF8.self)
    }

    /// `<unix ms>,<base64 of 10 random bytes>`.
    static func idSeed(now: Int64) -> String {
        var random = [UInt8](repeating: 0, count: 10)
        var generator = SystemRandomNumberGenerator()
        for i in random.indices { random[i] = UInt8.random(in: 0...255, using: &generator) }
        return "\(now),\(Data(random).base64EncodedString())"
    }
}
