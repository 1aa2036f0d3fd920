import HTTP
import JSON

/// `POST <baseURL>/v1/messages` with `x-api-key` and `anthropic-version:
/// 2023-06-01`; the answer is the concatenated `text` blocks of `content`.
public struct AnthropicMessagesClient: LLMClient {
    let config: LLMConfig
    let apiKey: String?
    let http: HTTPClient

    /// `apiKey` is read by the caller from the environment variable named in
    /// `config.apiKeyEnv`, so this type never touches the process environment.
    public init(config: LLMConfig, apiKey: String?, http: HTTPClient) {
        self.config = config
        self.apiKey = apiKey
        self.http = http
    }

    public func complete(_ request: LLMRequest) async throws -> String {
        guard let apiKey, !apiKey.isEmpty else { throw LLMError.missingAPIKey(variable: config.apiKeyEnv) }
        var body = JSONObject()
        body["model"] = .string(config.model)
        body["max_tokens"] = .number(JSONNumber(request.maxTokens ?? config.maxTokens))
        if let system = request.system { body["system"] = .string(system) }
        body["messages"] = .array([.object(JSONObject([(key: "role", value: "user"), (key: "content", value: .string(request.prompt))]))])
        let base = config.baseURL.hasSuffix("/") ? String(config.baseURL.dropLast()) : config.baseURL
        let headers: HTTPHeaders = ["x-api-key": apiKey, "anthropic-version": "2023-06-01", "content-type": "application/json"]
        let response: HTTPClientResponse
        do {
            response = try await http.send(HTTPClientRequest(method: "POST", url: base + "/v1/messages", headers: headers,
                                                             body: JSON.object(body).serializedBytes(), timeout: config.timeout))
        } catch {
            throw LLMError.transport("\(error)")
        }
        guard (200..<300).contains(response.status) else {
            throw LLMError.http(status: response.status, body: String(decoding: response.body, as: UTF8.self))
        }
        guard let json = try? JSON(parsing: response.body), let content = json["content"]?.arrayValue else {
            throw LLMError.malformedResponse("no content array")
        }
        let text = content.compactMap { $0["type"]?.stringValue == "text" ? $0["text"]?.stringValue : nil }.joined()
        guard !text.isEmpty else { throw LLMError.malformedResponse("no text block") }
        return text
    }
}
