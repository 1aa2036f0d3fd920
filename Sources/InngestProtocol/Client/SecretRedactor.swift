import Foundation

/// Removes Inngest keys from text before it becomes an error message, a log
/// line or a stored run error.
///
/// Three things are replaced by `[redacted]`:
/// - every occurrence of a known secret (the configured event key and signing
///   keys, raw and in their hashed bearer form);
/// - the path segment after `/e/` in a URL or a request path, where the event
///   API carries its key (`http://host/e/<key>`, `POST /e/<key>`), whatever key it is;
/// - anything shaped like a signing key (`signkey-<env>-<hex>`).
public struct SecretRedactor: Sendable {
    public static let placeholder = "[redacted]"
    /// Shorter "secrets" would blank out ordinary words.
    static let minimumSecretLength = 6

    /// Known secrets, longest first so a key is never half-replaced by a shorter one inside it.
    let secrets: [String]

    public init(secrets: [String] = []) {
        self.secrets = Array(Set(secrets.filter { $0.utf8.count >= Self.minimumSecretLength }))
            .sorted { $0.utf8.count > $1.utf8.count }
    }

    /// Event keys, and signing keys in every form they travel in (as configured,
    /// the hex part, the bearer token and its hash part).
    public init(eventKeys: [String], signingKeys: [SigningKey]) {
        self.init(secrets: eventKeys + signingKeys.flatMap { [$0.value, $0.hexBody, $0.bearerToken, $0.hashedBody] })
    }

    /// The keys of `configuration`: the event key and both signing keys.
    public init(configuration: InngestConfiguration) {
        self.init(eventKeys: configuration.eventKey.map { [$0] } ?? [],
                  signingKeys: [configuration.signingKey, configuration.signingKeyFallback].compactMap { $0 })
    }

    /// `text` with every secret, event-API key segment and signing key replaced.
    public func redact(_ text: String) -> String {
        var out = text
        for secret in secrets where out.contains(secret) {
            out = out.replacingOccurrences(of: secret, with: Self.placeholder)
        }
        return Self.redactSigningKeys(Self.redactEventKeyPaths(out))
    }

    /// Replaces the segment after `/e/` where `/e/` begins a path: after a URL's
    /// authority (`scheme://host[:port][/prefix]/e/`) or at the start of a word (`POST /e/`).
    static func redactEventKeyPaths(_ text: String) -> String {
        guard text.contains("/e/") else { return text }
        let chars = Array(text.unicodeScalars)
        var out = String.UnicodeScalarView()
        var i = 0
        var inURLPath = false  // inside a URL, after its authority
        var inURL = false
        while i < chars.count {
            let c = chars[i]
            if isDelimiter(c) { inURL = false; inURLPath = false }
            if c == ":", i + 2 < chars.count, chars[i + 1] == "/", chars[i + 2] == "/" {
                inURL = true
                inURLPath = false
                out.append(contentsOf: chars[i...(i + 2)])
                i += 3
                continue
            }
            if c == "/", inURL, !inURLPath { inURLPath = true }
            let startsWord = i == 0 || isDelimiter(chars[i - 1]) || chars[i - 1] == "="
            if c == "/", inURLPath || startsWord, i + 2 < chars.count, chars[i + 1] == "e", chars[i + 2] == "/" {
                out.append(contentsOf: "/e/".unicodeScalars)
                var j = i + 3
                while j < chars.count, !isDelimiter(chars[j]), !"/?#&:".unicodeScalars.contains(chars[j]) { j += 1 }
                if j > i + 3 { out.append(contentsOf: placeholder.unicodeScalars) }
                inURL = true
                inURLPath = true
                i = j
                continue
            }
            out.append(c)
            i += 1
        }
        return String(out)
    }

    /// Replaces `signkey-<word>-<hex…>` wherever it appears.
    static func redactSigningKeys(_ text: String) -> String {
        guard text.contains("signkey-") else { return text }
        var out = ""
        var rest = Substring(text)
        while let range = rest.range(of: "signkey-") {
            out += rest[..<range.lowerBound]
            let after = rest[range.upperBound...]
            let word = after.prefix { $0.isLetter || $0.isNumber || $0 == "_" }
            let afterWord = after[word.endIndex...]
            if !word.isEmpty, afterWord.first == "-" {
                let hex = afterWord.dropFirst().prefix { $0.isHexDigit }
                if !hex.isEmpty {
                    out += "signkey-\(word)-\(placeholder)"
                    rest = afterWord.dropFirst()[hex.endIndex...]
                    continue
                }
            }
            out += "signkey-"
            rest = after
        }
        return out + rest
    }

    static func isDelimiter(_ c: Unicode.Scalar) -> Bool {
        c.properties.isWhitespace || "\"'<>(),;`[]{}|\\".unicodeScalars.contains(c)
    }
}
