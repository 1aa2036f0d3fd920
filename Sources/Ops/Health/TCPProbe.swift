import Foundation
import Support
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What a TCP probe saw.
public enum TCPProbeOutcome: Sendable, Equatable {
    /// Connected; `reply` holds the first bytes read when a reply was awaited.
    case connected(reply: String?)
    /// Connected, but no (or a wrong) reply within the time allowed.
    case noReply(String)
    /// Could not connect: refused, unreachable, unknown host or timed out.
    case failed(String)
}

/// A blocking TCP connect with a deadline, optionally writing a probe and
/// reading the reply. Blocking is fine here: callers run it with
/// `onDedicatedThread`. Non-blocking `connect` + `poll` bound every wait.
public enum TCPProbe {
    /// `deadline` is absolute, fixed by the caller before the probe is handed
    /// to a thread, so a slow thread start eats into the budget instead of extending it.
    public static func probe(host: String, port: Int, deadline: Date, send: String? = nil,
                             awaitReply: Bool = false) -> TCPProbeOutcome {
        let timeout = max(0, deadline.timeIntervalSinceNow)
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        #if canImport(Glibc)
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        #else
        hints.ai_socktype = SOCK_STREAM
        #endif
        var list: UnsafeMutablePointer<addrinfo>?
        let rc = getaddrinfo(host, String(port), &hints, &list)
        guard rc == 0, let first = list else {
            return .failed("cannot resolve \(host): \(String(cString: gai_strerror(rc)))")
        }
        defer { freeaddrinfo(list) }

        var lastError = "no address for \(host)"
        var entry: UnsafeMutablePointer<addrinfo>? = first
        while let ai = entry {
            entry = ai.pointee.ai_next
            let fd = socket(ai.pointee.ai_family, ai.pointee.ai_socktype, ai.pointee.ai_protocol)
            if fd < 0 { lastError = errnoText(); continue }
            defer { close(fd) }
            let flags = fcntl(fd, F_GETFL, 0)
            _ = fcntl(fd, F_SETFL, flags | O_NONBLOCK)
            if connect(fd, ai.pointee.ai_addr, ai.pointee.ai_addrlen) != 0 {
                guard errno == EINPROGRESS else { lastError = errnoText(); continue }
                guard wait(fd, for: Int16(POLLOUT), until: deadline) else {
                    return .failed("connect to \(host):\(port) timed out after \(format(timeout))s")
                }
                var soError: Int32 = 0
                var len = socklen_t(MemoryLayout<Int32>.size)
                getsockopt(fd, SOL_SOCKET, SO_ERROR, &soError, &len)
                if soError != 0 { lastError = String(cString: strerror(soError)); continue }
            }
            return exchange(fd, send: send, awaitReply: awaitReply, deadline: deadline)
        }
        return .failed("\(host):\(port): \(lastError)")
    }

    /// After connecting: write the probe (if any) and read what comes back.
    static func exchange(_ fd: Int32, send: String?, awaitReply: Bool, deadline: Date) -> TCPProbeOutcome {
        if let send {
            let bytes = Array(send.utf8)
            var written = 0
            while written < bytes.count {
                let n = bytes[written...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
                if n > 0 { written += n; continue }
                if n < 0, errno == EAGAIN, wait(fd, for: Int16(POLLOUT), until: deadline) { continue }
                return .noReply("write failed: \(errnoText())")
            }
        }
        guard awaitReply else { return .connected(reply: nil) }
        var buffer = [UInt8](repeating: 0, count: 512)
        while true {
            guard wait(fd, for: Int16(POLLIN), until: deadline) else { return .noReply("no reply before the deadline") }
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n > 0 { return .connected(reply: String(decoding: buffer[..<n], as: UTF8.self)) }
            if n == 0 { return .noReply("connection closed without a reply") }
            if errno != EAGAIN && errno != EINTR { return .noReply("read failed: \(errnoText())") }
        }
    }

    /// Polls `fd` for `events` until `deadline`; false on timeout or error.
    static func wait(_ fd: Int32, for events: Int16, until deadline: Date) -> Bool {
        while true {
            let remaining = deadline.timeIntervalSinceNow
            if remaining <= 0 { return false }
            var pfd = pollfd(fd: fd, events: events, revents: 0)
            let rc = poll(&pfd, 1, Int32(min(remaining * 1000, 60_000).rounded(.up)))
            if rc > 0 { return true }
            if rc == 0 { return false }
            if errno != EINTR { return false }
        }
    }

    static func errnoText() -> String { String(cString: strerror(errno)) }

    static func format(_ seconds: Double) -> String { String(format: "%.1f", seconds) }
}
