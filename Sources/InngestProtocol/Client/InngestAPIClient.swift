import HTTP
import JSON

/// Calls to the Inngest REST API (`/fn/register`, `/v0/runs/…`), authenticated
/// with the hashed signing key and retried once with the fallback key on
/// `401`/`403` (docs/serve-protocol.md, "Keys and signatures"). The event and
/// run listings live in `InngestAPIClient+Events.swift`.
public struct InngestAPIClient: Sendable {
    public let configuration: InngestConfiguration
    let httpClient: any HTTPClient

    public init(configuration: InngestConfiguration, httpClient: any HTTPClient) {
        self.configuration = configuration
        self.httpClient = httpClient
    }

    func send(method: String, path: String, headers extra: HTTPHeaders = HTTPHeaders(), body: [UInt8] = [],
              timeout: Double = 30) async throws -> HTTPClientResponse {
        var headers = SDKIdentity.requestHeaders(configuration: configuration)
        for (name, value) in extra { headers.set(name, value) }
        if !body.isEmpty { headers.set("Content-Type", "application/json") }
        let keys = [configuration.signingKey, configuration.signingKeyFallback].compactMap { $0 }
        var request = HTTPClientRequest(method: method, url: configuration.apiBaseURL + path,
                                        headers: headers, body: body, timeout: timeout)
        guard !keys.isEmpty else { return try await httpClient.send(request) }
        var response: HTTPClientResponse!
        for key in keys {
            request.headers.set("Authorization", "Bearer \(key.bearerToken)")
            response = try await httpClient.send(request)
            if response.status != 401 && response.status != 403 { return response }
        }
        return response
    }
}

/// Fetches a run's events and memoised steps when the call request was too
/// large to carry them (`use_api: true`; docs/serve-protocol.md, "Calls").
struct RunDataFetcher: Sendable {
    let api: InngestAPIClient

    func fetch(runId: String) async throws -> (events: [InngestEvent], steps: JSONObject) {
        let encoded = RegisterPayload.percentEncode(runId)
        async let batchResponse = api.send(method: "GET", path: "/v0/runs/\(encoded)/batch")
        async let actionsResponse = api.send(method: "GET", path: "/v0/runs/\(encoded)/actions")
        let (batch, actions) = try await (batchResponse, actionsResponse)
        guard batch.status == 200 else {
            throw InngestWireError("fetching the run's events from the API failed with status \(batch.status)")
        }
        guard actions.status == 200 else {
            throw InngestWireError("fetching the run's steps from the API failed with status \(actions.status)")
        }
        guard case .array(let list) = try JSON(parsing: batch.body) else {
            throw InngestWireError("the API's /batch reply is not an array")
        }
        let steps: JSONObject
        switch try JSON(parsing: actions.body) {
        case .object(let o): steps = o
        case .null: steps = JSONObject()
        default: throw InngestWireError("the API's /actions reply is not an object")
        }
        return (try list.map { try InngestEvent(json: $0) }, steps)
    }
}
