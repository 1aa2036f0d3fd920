/// A single-turn text completion: `AnthropicMessagesClient` (the Anthropic
/// Messages API over `HTTPClient`), or `CommandLLMClient` for a configured
/// agent command such as `pi`.
public protocol LLMClient: Sendable {
    func complete(_ request: LLMRequest) async throws -> String
}

public struct LLMRequest: Sendable, Equatable {
    public var system: String?
    public var prompt: String
    /// Overrides the configured limit when set.
    public var maxTokens: Int?

    public init(system: String? = nil, prompt: String, maxTokens: Int? = nil) {
        self.system = system
        self.prompt = prompt
        self.maxTokens = maxTokens
    }
}

public enum LLMError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No key in the configured environment variable.
    case missingAPIKey(variable: String)
    case http(status: Int, body: String)
    case transport(String)
    case malformedResponse(String)
    /// The configured LLM command failed (`missing` when it is not installed).
    case command(String, missing: Bool)

    /// Client errors other than rate limiting and timeouts will fail the same
    /// way again, so retrying them only burns attempts.
    public var isRetriable: Bool {
        switch self {
        case .missingAPIKey: return false
        case .http(let status, _): return status == 408 || status == 409 || status == 429 || status >= 500
        case .transport, .malformedResponse: return true
        case .command(_, let missing): return !missing
        }
    }

    public var description: String {
        switch self {
        case .missingAPIKey(let v): return "LLM: no API key in $\(v)"
        case .http(let s, let b): return "LLM: HTTP \(s): \(b.prefix(300))"
        case .transport(let m): return "LLM: \(m)"
        case .malformedResponse(let m): return "LLM: malformed response: \(m)"
        case .command(let m, _): return "LLM command: \(m)"
        }
    }
}
