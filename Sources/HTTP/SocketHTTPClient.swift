import Support
/// The `HTTPClient` for `http://` and `https://` URLs over POSIX sockets, with
/// a keep-alive connection pool per scheme, host and port.
///
/// Made first for loopback traffic such as the embedded engine calling the
/// worker hundreds of times a second, where URLSession on Linux costs far
/// more than the request itself; https goes through OpenSSL's libssl on Linux
/// (see `TLSConnection`), so no Linux executable needs FoundationNetworking
/// and its libcurl (several megabytes resident). On Apple platforms, whose
/// Foundation has TLS built in, https requests go to `URLSessionHTTPClient`.
/// Speaks HTTP/1.1: `Content-Length` request bodies; `Content-Length`,
/// chunked and read-until-close responses. Waits on the shared client event
/// loop, so it never blocks a thread.
///
/// A request that fails on a reused connection before any byte of the answer
/// arrived is retried once on a fresh connection when that cannot repeat a
/// side effect: the method is idempotent, or the request was never fully
/// written.
public final class SocketHTTPClient: HTTPClient, Sendable {
    public struct Configuration: Sendable {
        /// Idle connections kept per scheme, host and port.
        public var maxIdlePerHost: Int
        /// Idle connections older than this are not reused.
        public var maxIdleSeconds: Double
        public var maxResponseBytes: Int
        /// A PEM file of CA certificates trusted for https in addition to the
        /// system store (a private CA). Linux only: on Apple platforms the
        /// system's trust settings decide.
        public var extraTrustedCAFile: String?

        public init(maxIdlePerHost: Int = 32, maxIdleSeconds: Double = 30, maxResponseBytes: Int = 256 * 1024 * 1024,
                    extraTrustedCAFile: String? = nil) {
            self.maxIdlePerHost = maxIdlePerHost
            self.maxIdleSeconds = maxIdleSeconds
            self.maxResponseBytes = maxResponseBytes
            self.extraTrustedCAFile = extraTrustedCAFile
        }
    }

    private let configuration: Configuration
    private let pool: ConnectionPool
    #if canImport(Glibc)
    /// Made on the first https request: a process that only speaks plain
    /// http never reads the trust store.
    private let tlsContext = Locked<TLSClientContext?>(nil)
    #elseif canImport(Darwin)
    private let secure = URLSessionHTTPClient()
    #endif

    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
        self.pool = ConnectionPool(maxIdlePerHost: configuration.maxIdlePerHost, maxIdleSeconds: configuration.maxIdleSeconds)
    }

    public func send(_ request: HTTPClientRequest) async throws -> HTTPClientResponse {
        guard let endpoint = HTTPEndpoint(request.url) else { throw HTTPClientError.invalidURL(HTTPClientError.origin(of: request.url)) }
        guard !request.method.isEmpty, request.method.utf8.allSatisfy({ HTTPSyntax.isTokenChar[Int($0)] }) else {
            throw HTTPClientError.invalidURL("\(request.method) is not a valid method")
        }
        #if canImport(Darwin)
        if endpoint.isSecure { return try await secure.send(request) }
        #endif
        let poller: EventPoller
        switch EventPoller.shared {
        case .success(let p): poller = p
        case .failure(let e): throw HTTPClientError.transport("no event loop: \(e)")
        }
        let deadline = MonotonicClock.deadline(after: request.timeout)  // 0: none
        let key = endpoint.poolKey
        let wire = Self.encode(request, endpoint: endpoint)

        if let connection = pool.checkout(key) {
            switch await exchange(connection, wire: wire, method: request.method, deadline: deadline, key: key) {
            case .success(let response):
                return response
            case .failure(let failure):
                let retryable = failure.receivedNothing && (Self.isIdempotent(request.method) || !failure.wroteAll)
                guard retryable, case .transport = failure.error else { throw failure.error }
            }
        }
        let connection = try await connect(endpoint, deadline: deadline, poller: poller)
        switch await exchange(connection, wire: wire, method: request.method, deadline: deadline, key: key) {
        case .success(let response): return response
        case .failure(let failure): throw failure.error
        }
    }

    private struct ExchangeFailure: Error {
        var error: HTTPClientError
        var wroteAll: Bool
        var receivedNothing: Bool
    }

    /// One request and its response on `connection`, which goes back to the
    /// pool when both sides allow it, else is closed.
    private func exchange(_ connection: any ClientConnection, wire: [UInt8], method: String, deadline: UInt64,
                          key: String) async -> Result<HTTPClientResponse, ExchangeFailure> {
        func fail(_ error: HTTPClientError, wroteAll: Bool, receivedNothing: Bool) -> Result<HTTPClientResponse, ExchangeFailure> {
            connection.close()
            return .failure(ExchangeFailure(error: error, wroteAll: wroteAll, receivedNothing: receivedNothing))
        }
        switch await connection.write(wire, deadline: deadline) {
        case .written: break
        case .timedOut: return fail(.timedOut, wroteAll: false, receivedNothing: true)
        case .closed, .cancelled: return fail(.transport("\(key): connection closed while sending"), wroteAll: false, receivedNothing: true)
        case .failed(let reason): return fail(.transport("\(key): \(reason)"), wroteAll: false, receivedNothing: true)
        }
        var parser = HTTPResponseParser(limits: HTTPParserLimits(maxHeaderBytes: 64 * 1024, maxHeaderCount: 200,
                                                                 maxBodyBytes: configuration.maxResponseBytes))
        let scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: 16 * 1024, alignment: 16)
        defer { scratch.deallocate() }
        var received = 0
        while true {
            switch parser.next(forMethod: method) {
            case .response(let response, let keepAlive):
                if keepAlive && parser.bufferedByteCount == 0 { pool.checkin(connection, key: key) } else { connection.close() }
                return .success(response)
            case .failure(let reason):
                return fail(.transport("\(key): \(reason)"), wroteAll: true, receivedNothing: received == 0)
            case .needMore:
                switch await connection.read(into: scratch, deadline: deadline) {
                case .data(let n):
                    received += n
                    parser.append(UnsafeRawBufferPointer(rebasing: scratch[0..<n]))
                case .closed:
                    parser.finish()
                case .failed(let reason):
                    return fail(.transport("\(key): \(reason)"), wroteAll: true, receivedNothing: received == 0)
                case .timedOut:
                    return fail(.timedOut, wroteAll: true, receivedNothing: received == 0)
                case .cancelled:
                    return fail(.transport("\(key): cancelled"), wroteAll: true, receivedNothing: received == 0)
                }
            }
        }
    }

    /// A new connection to `endpoint`: the socket, and for https the TLS
    /// session on it, handshake done.
    private func connect(_ endpoint: HTTPEndpoint, deadline: UInt64, poller: EventPoller) async throws -> any ClientConnection {
        guard endpoint.isSecure else {
            return PlainConnection(fd: try await connectSocket(endpoint, deadline: deadline, poller: poller), poller: poller)
        }
        #if canImport(Glibc)
        let context = try tlsClientContext()  // a bad CA file is reported before any connect
        let fd = try await connectSocket(endpoint, deadline: deadline, poller: poller)
        return try await TLSConnection.open(fd: fd, host: endpoint.host, context: context, poller: poller,
                                            deadline: deadline, label: endpoint.poolKey)
        #else
        // Unreachable: `send` hands https to URLSession on this platform.
        throw HTTPClientError.transport("\(endpoint.poolKey): https is sent through URLSession on this platform")
        #endif
    }

    #if canImport(Glibc)
    private func tlsClientContext() throws -> TLSClientContext {
        try tlsContext.withLock { cached in
            if let cached { return cached }
            let made = try TLSClientContext(extraTrustedCAFile: configuration.extraTrustedCAFile)
            cached = made
            return made
        }
    }
    #endif

    private func connectSocket(_ endpoint: HTTPEndpoint, deadline: UInt64, poller: EventPoller) async throws -> Int32 {
        let fd: Int32
        do {
            fd = try SocketAddress.startConnect(host: endpoint.host, port: endpoint.port)
        } catch {
            throw HTTPClientError.transport("connect \(endpoint.host):\(endpoint.port): \(error)")
        }
        switch await poller.wait(fd, for: .write, deadline: deadline, kind: .active) {
        case .ready:
            let code = SocketAddress.connectResult(fd)
            guard code == 0 else {
                Socket.close(fd)
                throw HTTPClientError.transport("connect \(endpoint.host):\(endpoint.port): \(Socket.errorText(code))")
            }
            return fd
        case .timedOut:
            Socket.close(fd)
            throw HTTPClientError.timedOut
        case .cancelled:
            Socket.close(fd)
            throw HTTPClientError.transport("connect \(endpoint.host):\(endpoint.port): cancelled")
        }
    }

    static func isIdempotent(_ method: String) -> Bool {
        ["GET", "HEAD", "PUT", "DELETE", "OPTIONS", "TRACE"].contains(method)
    }

    /// The request head and body in one buffer. `Host` and `Content-Length`
    /// come from the URL and the body; the caller's `Connection` is kept.
    static func encode(_ request: HTTPClientRequest, endpoint: HTTPEndpoint) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(256 + request.body.count)
        out.append(contentsOf: request.method.utf8)
        out.append(0x20)
        out.append(contentsOf: endpoint.target.utf8)
        out.append(contentsOf: " HTTP/1.1\r\n".utf8)
        if !request.headers.contains("Host") {
            out.append(contentsOf: "Host: ".utf8)
            out.append(contentsOf: endpoint.hostHeader.utf8)
            out.append(contentsOf: [0x0D, 0x0A])
        }
        for (name, value) in request.headers {
            if name.equalsIgnoringASCIICase("content-length") || name.equalsIgnoringASCIICase("transfer-encoding") { continue }
            for b in name.utf8 { out.append(b == 0x0D || b == 0x0A ? 0x20 : b) }
            out.append(contentsOf: ": ".utf8)
            for b in value.utf8 { out.append(b == 0x0D || b == 0x0A ? 0x20 : b) }
            out.append(contentsOf: [0x0D, 0x0A])
        }
        if !request.body.isEmpty || ["POST", "PUT", "PATCH"].contains(request.method) {
            out.append(contentsOf: "Content-Length: ".utf8)
            HTTPResponseEncoder.appendDecimal(request.body.count, into: &out)
            out.append(contentsOf: [0x0D, 0x0A])
        }
        out.append(contentsOf: [0x0D, 0x0A])
        out.append(contentsOf: request.body)
        return out
    }
}
