import Support
/// Idle kept-alive client connections, per `scheme://host:port`, most recent first.
///
/// A connection is only lent out after a non-blocking check shows the server
/// has not closed it meanwhile, which closes most of the window in which a
/// request would race the server's idle timeout. The scheme is part of the
/// key so a TLS session is only ever reused for https and a plain socket
/// only for http.
final class ConnectionPool: Sendable {
    private struct Idle: Sendable { var connection: any ClientConnection; var since: UInt64 }

    private let idle = Locked<[String: [Idle]]>([:])
    let maxIdlePerHost: Int
    let maxIdleSeconds: Double

    init(maxIdlePerHost: Int, maxIdleSeconds: Double) {
        self.maxIdlePerHost = maxIdlePerHost
        self.maxIdleSeconds = maxIdleSeconds
    }

    deinit {
        let all = idle.withLock { all in defer { all = [:] }; return all }
        for list in all.values { for c in list { c.connection.close() } }
    }

    /// A live idle connection to `key`, or nil.
    func checkout(_ key: String) -> (any ClientConnection)? {
        // Saturating: shortly after boot the monotonic clock is smaller than the window.
        let window = UInt64(min(max(maxIdleSeconds, 0), 1e9) * 1_000_000_000)
        let now = MonotonicClock.now()
        let oldest = now > window ? now - window : 0
        while true {
            let candidate: Idle? = idle.withLock { all in all[key]?.popLast() }
            guard let c = candidate else { return nil }
            if c.since >= oldest && c.connection.isReusable { return c.connection }
            c.connection.close()
        }
    }

    /// Returns a connection for reuse, or closes it when the pool is full.
    func checkin(_ connection: any ClientConnection, key: String) {
        let kept: Bool = idle.withLock { all in
            var list = all[key, default: []]
            guard list.count < maxIdlePerHost else { return false }
            list.append(Idle(connection: connection, since: MonotonicClock.now()))
            all[key] = list
            return true
        }
        if !kept { connection.close() }
    }
}
