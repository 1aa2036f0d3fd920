#if canImport(Glibc)
import Glibc
import CLinux
#elseif canImport(Darwin)
import Darwin
#endif

/// Thin wrappers over the POSIX socket calls the server and the socket client use.
///
/// Every platform difference of the socket layer lives in this file
/// (`accept4` and `MSG_NOSIGNAL` on Linux, `SO_NOSIGPIPE` on Apple, the C types
/// of the constants), so the rest of the module reads the same on both.
enum Socket {
    /// The outcome of one non-blocking read or write.
    enum IOResult: Equatable {
        case done(Int)
        case wouldBlock
        case closed
        case failed(Int32)
    }

    static var streamType: Int32 {
        #if canImport(Glibc)
        Int32(SOCK_STREAM.rawValue)
        #else
        SOCK_STREAM
        #endif
    }

    static var tcpProtocol: Int32 {
        #if canImport(Glibc)
        Int32(IPPROTO_TCP)
        #else
        IPPROTO_TCP
        #endif
    }

    static func setNonBlocking(_ fd: Int32) {
        let flags = fcntl(fd, F_GETFL, 0)
        _ = fcntl(fd, F_SETFL, flags | O_NONBLOCK)
        _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
    }

    static func setOption(_ fd: Int32, _ level: Int32, _ name: Int32, _ value: Int32 = 1) {
        var v = value
        _ = setsockopt(fd, level, name, &v, socklen_t(MemoryLayout<Int32>.size))
    }

    /// Options every connected socket gets: no Nagle delay (responses are
    /// written whole) and, on Apple, no SIGPIPE on a peer that went away.
    static func configureConnected(_ fd: Int32) {
        setOption(fd, tcpProtocol, TCP_NODELAY)
        #if canImport(Darwin)
        setOption(fd, SOL_SOCKET, SO_NOSIGPIPE)
        #endif
    }

    /// Accepts one pending connection, already non-blocking and close-on-exec.
    static func accept(_ listener: Int32) -> IOResult {
        #if canImport(Glibc)
        let fd = clinux_accept_nonblocking(listener)
        #else
        let fd = Darwin.accept(listener, nil, nil)
        #endif
        if fd >= 0 {
            #if canImport(Darwin)
            setNonBlocking(fd)
            #endif
            configureConnected(fd)
            return .done(Int(fd))
        }
        let e = errno
        if e == EAGAIN || e == EWOULDBLOCK || e == EINTR || e == ECONNABORTED { return .wouldBlock }
        return .failed(e)
    }

    static func read(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer) -> IOResult {
        while true {
            #if canImport(Glibc)
            let n = Glibc.read(fd, buffer.baseAddress, buffer.count)
            #else
            let n = Darwin.read(fd, buffer.baseAddress, buffer.count)
            #endif
            if n > 0 { return .done(n) }
            if n == 0 { return .closed }
            let e = errno
            if e == EINTR { continue }
            if e == EAGAIN || e == EWOULDBLOCK { return .wouldBlock }
            if e == ECONNRESET || e == ENOTCONN || e == EPIPE { return .closed }
            return .failed(e)
        }
    }

    static func write(_ fd: Int32, _ buffer: UnsafeRawBufferPointer) -> IOResult {
        while true {
            #if canImport(Glibc)
            let n = send(fd, buffer.baseAddress, buffer.count, Int32(MSG_NOSIGNAL))
            #else
            let n = send(fd, buffer.baseAddress, buffer.count, 0)
            #endif
            if n >= 0 { return .done(n) }
            let e = errno
            if e == EINTR { continue }
            if e == EAGAIN || e == EWOULDBLOCK { return .wouldBlock }
            if e == ECONNRESET || e == EPIPE || e == ENOTCONN { return .closed }
            return .failed(e)
        }
    }

    static func close(_ fd: Int32) {
        #if canImport(Glibc)
        _ = Glibc.close(fd)
        #else
        _ = Darwin.close(fd)
        #endif
    }

    /// Ends both directions without releasing the descriptor, so a task that
    /// still owns it sees its next read or write fail instead of touching a
    /// reused number.
    static func shutdownBoth(_ fd: Int32) {
        _ = shutdown(fd, Int32(SHUT_RDWR))
    }

    static func shutdownWrite(_ fd: Int32) {
        _ = shutdown(fd, Int32(SHUT_WR))
    }

    static func errorText(_ code: Int32) -> String {
        String(cString: strerror(code))
    }
}
