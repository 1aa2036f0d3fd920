import Hashing
import JSON

/// The `GET` body: a small unauthenticated shape for anyone, and
/// the full shape when the request carried a valid signature.
enum Introspection {
    static let schemaVersion = "2024-05-24"

    /// `authenticated`: `nil` when no signature was sent, `false` when it was invalid.
    static func unauthenticated(_ inngest: Inngest, authenticated: Bool?) -> JSON {
        let c = inngest.configuration
        var o = JSONObject()
        o["authentication_succeeded"] = authenticated.map { .bool($0) } ?? .null
        o["function_count"] = .number(JSONNumber(inngest.registeredFunctions.count))
        o["has_event_key"] = .bool(c.eventKey != nil)
        o["has_signing_key"] = .bool(c.signingKey != nil)
        o["has_signing_key_fallback"] = .bool(c.signingKeyFallback != nil)
        o["mode"] = .string(c.mode.rawValue)
        o["schema_version"] = .string(schemaVersion)
        return .object(o)
    }

    static func authenticated(_ inngest: Inngest, servePath: String) -> JSON {
        let c = inngest.configuration
        guard case .object(var o) = unauthenticated(inngest, authenticated: true) else { return .null }
        o["api_origin"] = .string(c.apiBaseURL)
        o["app_id"] = .string(inngest.appId)
        o["capabilities"] = RegisterPayload.capabilities
        o["env"] = c.environmentName.map { .string($0) } ?? .null
        o["event_api_origin"] = .string(c.eventAPIBaseURL)
        o["event_key_hash"] = c.eventKey.map { .string(Digest.sha256Hex($0)) } ?? .null
        o["framework"] = .string(SDKIdentity.framework)
        o["sdk_language"] = .string(SDKIdentity.language)
        o["sdk_version"] = .string(SDKIdentity.version)
        o["serve_origin"] = c.serveOrigin.map { .string($0) } ?? .null
        o["serve_path"] = .string(c.servePath ?? servePath)
        o["signing_key_hash"] = c.signingKey.map { .string($0.hashedBody) } ?? .null
        o["signing_key_fallback_hash"] = c.signingKeyFallback.map { .string($0.hashedBody) } ?? .null
        return .object(o)
    }
}
