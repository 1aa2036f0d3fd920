import Foundation
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
        let token = header.dropFirst("bearer ".count).trimmingCharacters(in: .whitespaces)
        // SigningKey splits off the `signkey-<env>-` prefix by the server's rule;
        // both accepted forms are hex, so a token that does not parse cannot match.
        guard let presented = try? SigningKey(parsing: token) else { return false }
        let body = Array(presented.hexBody.utf8)
        return [key.hashedBody, key.hexBody].contains { ConstantTime.equals(Array($0.utf8), body) }
    }
}
