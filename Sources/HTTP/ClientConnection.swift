/// One connected client transport, plain TCP or TLS, as `SocketHTTPClient`
/// sees it: it writes a request, reads the response, goes back to the pool.
///
/// Owned by one task at a time (the exchange, or the pool while idle), which
/// is why the TLS implementation may keep unsynchronized OpenSSL state.
protocol ClientConnection: Sendable {
    /// Reads what is available into `buffer`, waiting until `deadline`
    /// (monotonic ns, 0 for none) if nothing is.
    func read(into buffer: UnsafeMutableRawBufferPointer, deadline: UInt64) async -> ClientReadResult
    /// Writes all of `bytes`.
    func write(_ bytes: [UInt8], deadline: UInt64) async -> ClientWriteResult
    /// Still open with nothing unread, checked without blocking before a pooled
    /// connection is lent out again.
    var isReusable: Bool { get }
    /// Releases the connection; called exactly once by its owner.
    func close()
}

enum ClientReadResult: Equatable {
    case data(Int)
    case closed
    /// The transport broke in a way worth reporting (a TLS alert, a bad record).
    case failed(String)
    case timedOut
    case cancelled
}

enum ClientWriteResult: Equatable {
    case written
    case closed
    case failed(String)
    case timedOut
    case cancelled
}
