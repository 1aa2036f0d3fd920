import Foundation
import HTTP
import JSON

/// The two Inngest HTTP APIs the CLI uses: the event API (send) and the REST
/// API (events and their runs). Failures become `CommandFailure`s with the
/// documented exit codes: unreachable → 69, rejected → 1.
public struct InngestAPI: Sendable {
    public var endpoints: InngestEndpoints
    public var http: any HTTPClient
    public var timeout: Double

    public init(endpoints: InngestEndpoints, http: any HTTPClient, timeout: Double = 10) {
        self.endpoints = endpoints
        self.http = http
        self.timeout = timeout
    }

    /// `POST {eventAPI}/e/{key}` with `{name, data[, id]}`; returns the event ids.
    public func send(name: String, data: JSON, id: String? = nil) async throws -> [String] {
        var event = JSONObject([("name", .string(name)), ("data", data)])
        if let id { event["id"] = .string(id) }
        let key = endpoints.eventKey.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? endpoints.eventKey
        let body = try await request("POST", "\(endpoints.eventAPI)/e/\(key)", body: JSON.object(event).serializedBytes())
        return body["ids"]?.arrayValue?.compactMap(\.stringValue) ?? []
    }

    /// `GET {api}/v1/events/{id}/runs`: the runs an event started.
    public func runs(eventID: String) async throws -> [JSON] {
        let id = eventID.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? eventID
        return try await request("GET", "\(endpoints.api)/v1/events/\(id)/runs")["data"]?.arrayValue ?? []
    }

    /// `GET {api}/v1/events?limit=N`: the most recent events.
    public func recentEvents(limit: Int) async throws -> [JSON] {
        try await request("GET", "\(endpoints.api)/v1/events?limit=\(limit)")["data"]?.arrayValue ?? []
    }

    func request(_ method: String, _ url: String, body: [UInt8] = []) async throws -> JSON {
        var headers = HTTPHeaders()
        if !body.isEmpty { headers.set("Content-Type", "application/json") }
        if let key = endpoints.signingKey { headers.set("Authorization", "Bearer \(key)") }
        let response: HTTPClientResponse
        do {
            response = try await http.send(HTTPClientRequest(method: method, url: url, headers: headers, body: body, timeout: timeout))
        } catch HTTPClientError.invalidURL(let u) {
            throw CommandFailure("invalid Inngest URL '\(u)'; check INNGEST_*_BASE_URL", exitCode: .configuration)
        } catch {
            throw CommandFailure("cannot reach Inngest at \(url): \(error)", exitCode: .unavailable)
        }
        let text = String(decoding: response.body, as: UTF8.self)
        guard (200...299).contains(response.status) else {
            throw CommandFailure("\(method) \(url) answered HTTP \(response.status): \(text.prefix(300))", httpStatus: response.status)
        }
        guard let json = try? JSON(parsing: response.body) else {
            throw CommandFailure("\(method) \(url) answered HTTP \(response.status) with a body that is not JSON: \(text.prefix(200))")
        }
        return json
    }
}
