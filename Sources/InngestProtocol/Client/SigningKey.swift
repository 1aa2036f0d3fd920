import Hashing

/// An Inngest signing key: optional `signkey-<env>-` prefix, then hex.
///
/// Two different things are derived from it (docs/serve-protocol.md, "Keys and signatures"; a classic trap):
/// - request signatures are HMAC-SHA256 keyed with the *text* of the hex part
///   (prefix removed, not hex-decoded);
/// - the `Authorization: Bearer` token is the prefix followed by the hex
///   SHA-256 of the hex-*decoded* key bytes.
public struct SigningKey: Sendable, Equatable, CustomStringConvertible {
    /// The key as configured.
    public let value: String
    /// `signkey-prod-`, or empty.
    public let prefix: String
    /// The hex part.
    public let hexBody: String

    /// Parses a key; throws if the part after the prefix is not even-length hex.
    public init(parsing value: String, variable: String = "signing key") throws {
        let (prefix, body) = Self.split(value)
        guard !body.isEmpty, let _ = Hex.decode(body) else {
            throw InngestConfigurationError("\(variable) must be hexadecimal (optionally prefixed signkey-<env>-); the configured value is not")
        }
        self.value = value
        self.prefix = prefix
        self.hexBody = body
    }

    /// HMAC key for request/response signatures: UTF-8 of the hex text.
    public var hmacKey: [UInt8] { Array(hexBody.utf8) }

    /// `Authorization: Bearer` value: prefix + hex(SHA-256(hexdecode(body))).
    public var bearerToken: String { prefix + hashedBody }

    /// hex(SHA-256(hexdecode(body))), without prefix (introspection shows this).
    public var hashedBody: String { Hex.encode(Digest.sha256(Hex.decode(hexBody) ?? [])) }

    /// Never print the key itself.
    public var description: String { "SigningKey(\(prefix)…)" }

    /// Splits `signkey-<word>-<rest>` into prefix and rest (the `^signkey-\w+-` rule).
    static func split(_ key: String) -> (String, String) {
        guard key.hasPrefix("signkey-") else { return ("", key) }
        let afterSignkey = key.dropFirst("signkey-".count)
        guard let dash = afterSignkey.firstIndex(of: "-") else { return ("", key) }
        let word = afterSignkey[afterSignkey.startIndex..<dash]
        guard !word.isEmpty, word.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else { return ("", key) }
        let prefix = String(key[key.startIndex...dash])
        return (prefix, String(key[key.index(after: dash)...]))
    }
}
