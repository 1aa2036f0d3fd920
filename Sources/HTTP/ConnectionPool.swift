#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Idle kept-alive client connections, per `host:port`, most recent first.
///
/// A connection is only lent out after a non-blocking peek shows the server
/// has not closed it meanwhile, which closes most of the window in which a
/// request would race the server's idle timeout.
final class ConnectionPool: Sendable {
    private struct Idle { var fd: Int32; var since: UInt64 }

    private let idle = Locked<[String: [Idle]]>([:])
    let maxIdlePerHost: Int
    let maxIdleSeconds: Double

    init(maxIdlePerHost: Int, maxIdleSeconds: Double) {
        self.maxIdlePerHost = maxIdlePerHost
        self.maxIdleSeconds = maxIdleSeconds
    }

    deinit {
        idle.withLock { all in
            for list in all.values { for c in list { Socket.close(c.fd) } }
        }
    }

    /// A live idle connection to `key`, or nil.
    func checkout(_ key: String) -> Int32? {
        // Saturating: shortly after boot the monotonic clock is smaller than the window.
        let window = UInt64(min(max(maxIdleSeconds, 0), 1e9) * 1_000_000_000)
        let now = MonotonicClock.now()
        let oldest = now > window ? now - window : 0
        while true {
            let candidate: Idle? = idle.withLock { all in all[key]?.popLast() }
            guard let c = candidate else { return nil }
            if c.since >= oldest && Self.isReusable(c.fd) { return c.fd }
            Socket.close(c.fd)
        }
    }

    /// Returns a connection for reuse, or closes it when the pool is full.
    func checkin(_ fd: Int32, key: String) {
        let kept: Bool = idle.withLock { all in
            var list = all[key, default: []]
            guard list.count < maxIdlePerHost else { return false }
            list.append(Idle(fd: fd, since: MonotonicClock.now()))
            all[key] = list
            return true
        }
        if !kept { Socket.close(fd) }
    }

    /// Open, connected, and with nothing unread: a server that closed the
    /// connection shows up as EOF, one that sent junk as readable bytes.
    private static func isReusable(_ fd: Int32) -> Bool {
        var probe: UInt8 = 0
        let n = recv(fd, &probe, 1, Int32(MSG_PEEK | MSG_DONTWAIT))
        return n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)
    }
}
