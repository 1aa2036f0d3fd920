import Foundation
import Hashing
import JSON

/// `X-Inngest-Signature: t=<unix seconds>&s=<hex HMAC-SHA256>` — creating and checking it.
///
/// The MAC is over the body bytes followed by the decimal timestamp, keyed with
/// the signing key's hex text (prefix removed). Verification tries the raw body
/// first, then its RFC 8785 canonical form (the server signs Go-marshalled sync
/// bodies after canonicalising them), under the primary and then the fallback
/// key, comparing in constant time, and rejects timestamps more than
/// `maxSkew` seconds from now in either direction.
public enum RequestSignature {
    public static let maxSkew: Int64 = 300

    public enum Failure: Error, Sendable, Equatable, CustomStringConvertible {
        case missing
        case malformed
        case expired
        case mismatch
        case noKeyConfigured

        public var description: String {
            switch self {
            case .missing: return "X-Inngest-Signature header is missing"
            case .malformed: return "X-Inngest-Signature header is malformed"
            case .expired: return "X-Inngest-Signature timestamp is more than 5 minutes from now"
            case .mismatch: return "X-Inngest-Signature does not match the body under the signing key or its fallback"
            case .noKeyConfigured: return "no signing key is configured, so no call can be verified"
            }
        }

        /// Stable machine-readable code for JSON error bodies.
        public var code: String {
            switch self {
            case .missing: return "header_missing"
            case .malformed, .expired, .mismatch: return "sig_verification_failed"
            case .noKeyConfigured: return "signing_key_missing"
            }
        }
    }

    /// The header value for `body` signed with `key` at `timestamp`.
    public static func sign(body: [UInt8], key: SigningKey, timestamp: Int64) -> String {
        "t=\(timestamp)&s=\(mac(body: body, key: key, timestamp: timestamp))"
    }

    static func mac(body: [UInt8], key: SigningKey, timestamp: Int64) -> String {
        Hex.encode(HMAC.sha256(key: key.hmacKey, parts: [body, Array(String(timestamp).utf8)]))
    }

    /// Parses `t=…&s=…` in any order (as a query string).
    static func parse(_ header: String) -> (timestamp: Int64, signature: String)? {
        var t: Int64?
        var s: String?
        for pair in header.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1)
            guard parts.count == 2 else { continue }
            switch parts[0].trimmingCharacters(in: .whitespaces) {
            case "t": t = Int64(parts[1].trimmingCharacters(in: .whitespaces))
            case "s": s = parts[1].trimmingCharacters(in: .whitespaces)
            default: continue
            }
        }
        guard let t, let s, !s.isEmpty else { return nil }
        return (t, s)
    }

    /// Whether `timestamp` lies within `maxSkew` seconds of `now`, in either direction.
    ///
    /// The timestamp comes from the request, so any `Int64` may arrive: the
    /// difference is computed with overflow reported (`now - Int64.min` does not
    /// fit), and an overflowing difference is as stale as a timestamp can be.
    static func isFresh(_ timestamp: Int64, now: Int64) -> Bool {
        let (difference, overflow) = now.subtractingReportingOverflow(timestamp)
        guard !overflow, difference != .min else { return false }
        return abs(difference) <= maxSkew
    }

    /// Checks `header` against `body`; returns the key that verified it.
    public static func verify(header: String?, body: [UInt8], keys: [SigningKey], now: Int64) -> Result<SigningKey, Failure> {
        guard !keys.isEmpty else { return .failure(.noKeyConfigured) }
        guard let header, !header.isEmpty else { return .failure(.missing) }
        guard let (timestamp, signature) = parse(header) else { return .failure(.malformed) }
        guard isFresh(timestamp, now: now) else { return .failure(.expired) }
        let expected = Array(signature.lowercased().utf8)
        for key in keys where ConstantTime.equals(Array(mac(body: body, key: key, timestamp: timestamp).utf8), expected) {
            return .success(key)
        }
        // Raw bytes failed: try the canonical form, if the body is JSON and canonicalising changes it.
        if let json = try? JSON(parsing: body) {
            let canonical = json.canonicalBytes()
            if canonical != body {
                for key in keys where ConstantTime.equals(Array(mac(body: canonical, key: key, timestamp: timestamp).utf8), expected) {
                    return .success(key)
                }
            }
        }
        return .failure(.mismatch)
    }
}
