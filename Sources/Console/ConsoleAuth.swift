import Hashing

/// Who may use the console: pure token logic, no I/O.
///
/// With a signing key configured, a person signs in once with the signing key
/// itself or with a token from `joelclaw console-token`; the console then keeps
/// a session token in an HttpOnly, SameSite=Strict cookie. Tokens are
/// `v1.<expiry ms>.<hex HMAC>`, derived from the signing key, so they need no
/// storage, survive restarts and all stop working when the key changes.
/// Every POST also carries a CSRF token derived from the session token.
/// Without a key (an open development engine) the console is open too.
public struct ConsoleAuth: Sendable {
    /// nil: no key configured, everything is allowed.
    let secret: [UInt8]?
    /// The keys a person may sign in with (signing key and fallback).
    let loginKeys: [String]

    /// Sessions started by signing in with the key last this long.
    public static let sessionMilliseconds: Int64 = 7 * 24 * 3_600_000

    public init(signingKeys: [String]) {
        loginKeys = signingKeys.filter { !$0.isEmpty }
        secret = loginKeys.first.map { HMAC.sha256(key: Array($0.utf8), message: Array("joelclaw console v1".utf8)) }
    }

    public var isOpen: Bool { secret == nil }

    /// A token valid until `expiresAt` (Unix ms); nil for an open console.
    public func token(expiresAt: Int64) -> String? {
        guard let secret else { return nil }
        return "v1.\(expiresAt).\(Hex.encode(HMAC.sha256(key: secret, message: Array("session:\(expiresAt)".utf8))))"
    }

    /// True for an unexpired token this key made; always true when open.
    public func accepts(token: String?, now: Int64) -> Bool {
        guard let secret else { return true }
        guard let token, token.utf8.count <= 128 else { return false }
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == "v1", let expiry = Int64(parts[1]), expiry > now else { return false }
        let expected = Hex.encode(HMAC.sha256(key: secret, message: Array("session:\(expiry)".utf8)))
        return ConstantTime.equals(String(parts[2]), expected)
    }

    /// What a sign-in form submitted (the signing key or a token) → the session token to set, or nil.
    public func signIn(with input: String, now: Int64) -> String? {
        let input = input.trimmingWhitespace
        guard !isOpen, !input.isEmpty, input.utf8.count <= 512 else { return nil }
        if accepts(token: input, now: now) { return input }
        var matched = false
        for key in loginKeys where ConstantTime.equals(input, key) { matched = true }
        return matched ? token(expiresAt: now + Self.sessionMilliseconds) : nil
    }

    /// The CSRF token forms carry for this session ("" when open).
    public func csrf(for session: String?) -> String {
        guard let secret, let session else { return "" }
        return Hex.encode(HMAC.sha256(key: secret, message: Array("csrf:\(session)".utf8)))
    }

    /// True when `submitted` is this session's CSRF token; always true when open.
    public func acceptsCSRF(_ submitted: String?, session: String?) -> Bool {
        guard !isOpen else { return true }
        guard let submitted, let session else { return false }
        return ConstantTime.equals(submitted, csrf(for: session))
    }
}

extension String {
    var trimmingWhitespace: String {
        var scalars = Substring(self).unicodeScalars
        while let first = scalars.first, first == " " || first == "\n" || first == "\r" || first == "\t" { scalars.removeFirst() }
        while let last = scalars.last, last == " " || last == "\n" || last == "\r" || last == "\t" { scalars.removeLast() }
        return String(scalars)
    }
}
