#if canImport(Glibc)
import CTLS

/// OpenSSL's client configuration (one `SSL_CTX`), shared by every https
/// connection of one `SocketHTTPClient`.
///
/// Peers are always verified: the system trust store through
/// `SSL_CTX_set_default_verify_paths` (so `SSL_CERT_FILE` and `SSL_CERT_DIR`
/// work as with any OpenSSL program), plus an optional extra CA file for a
/// private CA. TLS 1.2 is the oldest version spoken.
final class TLSClientContext: @unchecked Sendable {
    /// Immutable after `init`; OpenSSL allows concurrent `SSL_new` on it.
    let context: OpaquePointer

    init(extraTrustedCAFile: String?) throws(HTTPClientError) {
        guard let context = SSL_CTX_new(TLS_client_method()) else {
            throw HTTPClientError.transport("TLS: cannot create a client context: \(TLSErrorText.drain())")
        }
        self.context = context
        SSL_CTX_set_verify(context, SSL_VERIFY_PEER, nil)
        guard ctls_set_min_tls12(context) == 1 else {
            throw HTTPClientError.transport("TLS: cannot require TLS 1.2: \(TLSErrorText.drain())")
        }
        ctls_set_client_modes(context)
        ctls_ignore_unexpected_eof(context)
        guard SSL_CTX_set_default_verify_paths(context) == 1 else {
            throw HTTPClientError.transport("TLS: cannot use the system trust store: \(TLSErrorText.drain())")
        }
        if let file = extraTrustedCAFile, !file.isEmpty {
            guard SSL_CTX_load_verify_locations(context, file, nil) == 1 else {
                throw HTTPClientError.transport("TLS: cannot load CA file \(file): \(TLSErrorText.drain())")
            }
        }
        ERR_clear_error()
    }

    deinit { SSL_CTX_free(context) }
}

/// OpenSSL's per-thread error queue as one line of text.
enum TLSErrorText {
    /// Every queued error, oldest first, joined by "; " (the queue is emptied).
    static func drain() -> String {
        var parts: [String] = []
        while true {
            let code = ERR_get_error()
            if code == 0 { break }
            if let reason = ERR_reason_error_string(code) {
                parts.append(String(cString: reason))
            } else {
                parts.append("OpenSSL error \(String(code, radix: 16))")
            }
        }
        return parts.isEmpty ? "unknown error" : parts.joined(separator: "; ")
    }
}
#endif
