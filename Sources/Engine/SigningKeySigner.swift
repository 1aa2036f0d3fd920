import Hashing
import InngestProtocol

/// Signs worker calls and checks API bearer tokens with the engine's signing key.
///
/// As the Inngest server does: the call signature is HMAC-SHA256 keyed with the
/// key's hex text, and `Authorization: Bearer` may carry either the hashed key
/// (what SDKs send) or the key itself, prefix or not.
struct SigningKeySigner: RequestSigner {
    let key: SigningKey

    init(key: String) throws { self.key = try SigningKey(parsing: key, variable: "engine signing key") }

    func signature(body: [UInt8], unixSeconds: Int64) -> String {
        RequestSignature.sign(body: body, key: key, timestamp: unixSeconds)
    }

    func accepts(authorization header: String?) -> Bool {
        guard let header, header.lowercased().hasPrefix("bearer ") else { return false }
        let token = String(header.dropFirst("bearer ".count)).trimmingCharacters(in: " ")
        let presented = Array(Self.stripPrefix(token).utf8)
        return [key.hashedBody, key.hexBody].contains { ConstantTime.equals(Array($0.utf8), presented) }
    }

    private static func stripPrefix(_ token: String) -> String {
        guard token.hasPrefix("signkey-"), let dash = token.dropFirst(8).firstIndex(of: "-") else { return token }
        return String(token[token.index(after: dash)...])
    }
}

extension String {
    fileprivate func trimmingCharacters(in set: String) -> String {
        var s = Substring(self)
        while let f = s.first, set.contains(f) { s = s.dropFirst() }
        while let l = s.last, set.contains(l) { s = s.dropLast() }
        return String(s)
    }
}
