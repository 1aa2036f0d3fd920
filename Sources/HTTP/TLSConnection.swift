#if canImport(Glibc)
import Glibc
import CTLS

/// An https connection: one OpenSSL session over a connected non-blocking
/// socket, driven on the event poller so it never blocks a thread.
///
/// OpenSSL does the I/O on the socket itself; when it reports
/// `SSL_ERROR_WANT_READ`/`WANT_WRITE` the task waits on the poller and
/// retries, with the request's deadline. The peer must present a certificate
/// chain the context trusts, for the URL's host name (SNI is sent) or, for an
/// IP literal, for that address. Owns the socket and the `SSL` object from
/// `open` on and releases both exactly once, in `close` (or `deinit`, should
/// an owner drop it without closing).
final class TLSConnection: ClientConnection, @unchecked Sendable {
    private let fd: Int32
    private let poller: EventPoller
    private var ssl: OpaquePointer?
    private var handshaken = false
    /// OpenSSL reported a fatal error: the session must not be used again,
    /// not even for a close_notify.
    private var broken = false

    private init(fd: Int32, poller: EventPoller, ssl: OpaquePointer) {
        self.fd = fd
        self.poller = poller
        self.ssl = ssl
    }

    deinit { close() }

    /// Starts TLS on `fd` (already connected) and completes the handshake
    /// before `deadline`. Takes ownership of `fd`: it is closed if this throws.
    /// `label` (the endpoint) begins every error message.
    static func open(fd: Int32, host: String, context: TLSClientContext, poller: EventPoller,
                     deadline: UInt64, label: String) async throws(HTTPClientError) -> TLSConnection {
        ERR_clear_error()
        guard let ssl = SSL_new(context.context) else {
            Socket.close(fd)
            throw HTTPClientError.transport("\(label): TLS: cannot create a session: \(TLSErrorText.drain())")
        }
        let connection = TLSConnection(fd: fd, poller: poller, ssl: ssl)
        do {
            try connection.prepare(ssl, host: host, label: label)
            try await connection.handshake(deadline: deadline, label: label)
            return connection
        } catch {
            connection.close()
            throw error
        }
    }

    /// Binds the socket, sends SNI for names, and sets what the certificate
    /// must match: the host name, or the IP address of a literal.
    private func prepare(_ ssl: OpaquePointer, host: String, label: String) throws(HTTPClientError) {
        let ok: Bool
        if Self.isIPAddress(host) {
            ok = SSL_set_fd(ssl, fd) == 1 && X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), host) == 1
        } else {
            SSL_set_hostflags(ssl, ctls_no_partial_wildcards())
            ok = SSL_set_fd(ssl, fd) == 1 && ctls_set_sni(ssl, host) == 1 && SSL_set1_host(ssl, host) == 1
        }
        guard ok else { throw HTTPClientError.transport("\(label): TLS: cannot set up a session for \(host): \(TLSErrorText.drain())") }
        SSL_set_connect_state(ssl)
    }

    private func handshake(deadline: UInt64, label: String) async throws(HTTPClientError) {
        while true {
            switch step({ SSL_do_handshake($0) }) {
            case .done:
                handshaken = true
                return
            case .wait(let interest):
                switch await poller.wait(fd, for: interest, deadline: deadline, kind: .active) {
                case .ready: continue
                case .timedOut: throw HTTPClientError.timedOut
                case .cancelled: throw HTTPClientError.transport("\(label): TLS handshake cancelled")
                }
            case .closed:
                throw HTTPClientError.transport("\(label): TLS handshake failed: connection closed by the server")
            case .failed(let reason):
                throw HTTPClientError.transport("\(label): TLS handshake failed: \(verificationFailure() ?? reason)")
            }
        }
    }

    /// "certificate verify failed: <OpenSSL's reason>" when the peer's
    /// certificate was the problem, else nil.
    private func verificationFailure() -> String? {
        guard let ssl else { return nil }
        let result = SSL_get_verify_result(ssl)
        guard result != Int(X509_V_OK) else { return nil }
        return "certificate verify failed: \(String(cString: X509_verify_cert_error_string(result)))"
    }

    func read(into buffer: UnsafeMutableRawBufferPointer, deadline: UInt64) async -> ClientReadResult {
        let count = Int32(clamping: buffer.count)
        while true {
            switch step({ SSL_read($0, buffer.baseAddress, count) }) {
            case .done(let n): return .data(Int(n))
            case .closed: return .closed
            case .failed(let reason): return .failed("TLS: \(reason)")
            case .wait(let interest):
                switch await poller.wait(fd, for: interest, deadline: deadline, kind: .active) {
                case .ready: continue
                case .timedOut: return .timedOut
                case .cancelled: return .cancelled
                }
            }
        }
    }

    func write(_ bytes: [UInt8], deadline: UInt64) async -> ClientWriteResult {
        var offset = 0
        while offset < bytes.count {
            let result = bytes.withUnsafeBytes { raw in
                step { SSL_write($0, raw.baseAddress! + offset, Int32(clamping: raw.count - offset)) }
            }
            switch result {
            case .done(let n): offset += Int(n)
            case .closed: return .closed
            case .failed(let reason): return .failed("TLS: \(reason)")
            case .wait(let interest):
                switch await poller.wait(fd, for: interest, deadline: deadline, kind: .active) {
                case .ready: continue
                case .timedOut: return .timedOut
                case .cancelled: return .cancelled
                }
            }
        }
        return .written
    }

    /// Open, with nothing unread. Records that arrived while idle are read
    /// without blocking: TLS 1.3 session tickets leave the session reusable,
    /// application data, a close_notify or an EOF do not.
    var isReusable: Bool {
        guard let ssl, handshaken, !broken, SSL_has_pending(ssl) == 0 else { return false }
        var probe: UInt8 = 0
        for _ in 0..<4 {
            let n = recv(fd, &probe, 1, Int32(MSG_PEEK | MSG_DONTWAIT))
            if n < 0 { return errno == EAGAIN || errno == EWOULDBLOCK }
            if n == 0 { return false }
            guard case .wait(.read) = step({ SSL_read($0, &probe, 1) }), SSL_has_pending(ssl) == 0 else { return false }
        }
        return false
    }

    /// Sends close_notify when the session is healthy (one non-blocking
    /// attempt), then frees the session and closes the socket. Idempotent.
    func close() {
        guard let ssl else { return }
        self.ssl = nil
        if handshaken && !broken {
            ERR_clear_error()
            _ = SIGPIPEGuard.run { SSL_shutdown(ssl) }
        }
        ERR_clear_error()
        SSL_free(ssl)
        Socket.close(fd)
    }

    // MARK: - One OpenSSL call

    private enum Step {
        case done(Int32)
        case wait(EventPoller.Interest)
        case closed
        case failed(String)
    }

    /// Runs one OpenSSL I/O call and says what it means for the caller.
    /// No await in here: OpenSSL's error queue is per thread.
    private func step(_ operation: (OpaquePointer) -> Int32) -> Step {
        guard let ssl, !broken else { return .closed }
        ERR_clear_error()
        let (rc, callErrno) = SIGPIPEGuard.run { () -> (Int32, Int32) in
            let rc = operation(ssl)
            return (rc, errno)
        }
        if rc > 0 { return .done(rc) }
        switch SSL_get_error(ssl, rc) {
        case SSL_ERROR_WANT_READ: return .wait(.read)
        case SSL_ERROR_WANT_WRITE: return .wait(.write)
        case SSL_ERROR_ZERO_RETURN: return .closed  // close_notify, or an EOF (SSL_OP_IGNORE_UNEXPECTED_EOF)
        case SSL_ERROR_SYSCALL:
            broken = true
            if ERR_peek_error() != 0 { return .failed(TLSErrorText.drain()) }
            if callErrno == 0 || callErrno == ECONNRESET || callErrno == EPIPE || callErrno == ENOTCONN { return .closed }
            return .failed(Socket.errorText(callErrno))
        default:
            broken = true
            return .failed(TLSErrorText.drain())
        }
    }

    private static func isIPAddress(_ host: String) -> Bool {
        var address = in6_addr()
        return inet_pton(AF_INET, host, &address) == 1 || inet_pton(AF_INET6, host, &address) == 1
    }
}
#endif
