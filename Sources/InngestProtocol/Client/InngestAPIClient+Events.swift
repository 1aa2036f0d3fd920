import HTTP
import JSON

/// Why a REST API query failed. Messages never hold a key (see `SecretRedactor`).
public enum InngestAPIError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No answer: connection refused, timed out, invalid URL.
    case unreachable(String)
    /// The server answered with a status outside 2xx.
    case rejected(status: Int, message: String)
    /// A 2xx answer that is not the expected JSON.
    case badReply(String)

    public var description: String {
        switch self {
        case .unreachable(let why): return "the Inngest API could not be reached: \(why)"
        case .rejected(let status, let message): return "the Inngest API answered HTTP \(status): \(message)"
        case .badReply(let why): return "the Inngest API answered something unexpected: \(why)"
        }
    }
}

/// Reading events and their runs (`/v1/events…`), as the Inngest dev server,
/// Inngest Cloud and the embedded engine answer them: `{"data": [...]}`.
extension InngestAPIClient {
    /// `GET /v1/events/{id}/runs`: the runs an event started.
    public func runs(ofEvent eventID: String, timeout: Double = 10) async throws -> [JSON] {
        try await dataList("/v1/events/\(RegisterPayload.percentEncode(eventID))/runs", timeout: timeout)
    }

    /// `GET /v1/events?limit=N`: the most recent events.
    public func recentEvents(limit: Int, timeout: Double = 10) async throws -> [JSON] {
        try await dataList("/v1/events?limit=\(limit)", timeout: timeout)
    }

    private func dataList(_ path: String, timeout: Double) async throws -> [JSON] {
        let redactor = SecretRedactor(configuration: configuration)
        let response: HTTPClientResponse
        do {
            response = try await send(method: "GET", path: path, timeout: timeout)
        } catch {
            throw InngestAPIError.unreachable(redactor.redact(String(describing: error)))
        }
        let text = String(decoding: response.body.prefix(300), as: UTF8.self)
        guard (200...299).contains(response.status) else {
            throw InngestAPIError.rejected(status: response.status, message: redactor.redact(text))
        }
        guard let list = (try? JSON(parsing: response.body))?["data"]?.arrayValue else {
            throw InngestAPIError.badReply("no \"data\" list in \(redactor.redact(text))")
        }
        return list
    }
}
