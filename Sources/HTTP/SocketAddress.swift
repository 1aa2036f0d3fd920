#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Resolves host names and opens listening and connecting sockets.
enum SocketAddress {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// Binds a non-blocking listening socket on `host:port` (port 0 picks a
    /// free one) and returns it with the port actually bound. With
    /// `reusePort`, several sockets may bind the same port and the kernel
    /// spreads new connections across them (Linux `SO_REUSEPORT`).
    static func listen(host: String, port: Int, backlog: Int32, reusePort: Bool = false) throws -> (fd: Int32, port: Int) {
        var lastError = "no address for \(host)"
        for candidate in try resolve(host: host, port: port, passive: true) {
            let fd = socket(candidate.family, Socket.streamType, 0)
            guard fd >= 0 else { lastError = Socket.errorText(errno); continue }
            Socket.setOption(fd, SOL_SOCKET, SO_REUSEADDR)
            if reusePort { Socket.setOption(fd, SOL_SOCKET, SO_REUSEPORT) }
            let bound = candidate.storage.withUnsafeBytes {
                bind(fd, $0.baseAddress!.assumingMemoryBound(to: sockaddr.self), candidate.length)
            }
            guard bound == 0, systemListen(fd, backlog) == 0 else {
                lastError = "\(host):\(port): \(Socket.errorText(errno))"
                Socket.close(fd)
                continue
            }
            Socket.setNonBlocking(fd)
            return (fd, boundPort(fd))
        }
        throw Failure(description: lastError)
    }

    /// Starts a non-blocking connect to `host:port`. The caller waits for
    /// writability and then checks `connectResult`.
    static func startConnect(host: String, port: Int) throws -> Int32 {
        var lastError = "no address for \(host)"
        for candidate in try resolve(host: host, port: port, passive: false) {
            let fd = socket(candidate.family, Socket.streamType, 0)
            guard fd >= 0 else { lastError = Socket.errorText(errno); continue }
            Socket.setNonBlocking(fd)
            Socket.configureConnected(fd)
            let rc = candidate.storage.withUnsafeBytes {
                connect(fd, $0.baseAddress!.assumingMemoryBound(to: sockaddr.self), candidate.length)
            }
            if rc == 0 || errno == EINPROGRESS { return fd }
            lastError = "\(host):\(port): \(Socket.errorText(errno))"
            Socket.close(fd)
        }
        throw Failure(description: lastError)
    }

    /// The pending error of a non-blocking connect (0 when it succeeded).
    static func connectResult(_ fd: Int32) -> Int32 {
        var error: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        guard getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length) == 0 else { return errno }
        return error
    }

    private struct Candidate {
        var family: Int32
        var storage: [UInt8]
        var length: socklen_t
    }

    private static func resolve(host: String, port: Int, passive: Bool) throws -> [Candidate] {
        var hints = addrinfo()
        hints.ai_socktype = Socket.streamType
        hints.ai_flags = passive ? AI_PASSIVE : 0
        hints.ai_family = AF_UNSPEC
        var list: UnsafeMutablePointer<addrinfo>?
        let rc = getaddrinfo(host.isEmpty ? nil : host, String(port), &hints, &list)
        guard rc == 0, let first = list else {
            throw Failure(description: "cannot resolve \(host): \(String(cString: gai_strerror(rc)))")
        }
        defer { freeaddrinfo(first) }
        var result: [Candidate] = []
        var node: UnsafeMutablePointer<addrinfo>? = first
        while let n = node {
            if let addr = n.pointee.ai_addr {
                let bytes = UnsafeRawBufferPointer(start: addr, count: Int(n.pointee.ai_addrlen))
                result.append(Candidate(family: n.pointee.ai_family, storage: Array(bytes), length: n.pointee.ai_addrlen))
            }
            node = n.pointee.ai_next
        }
        return result
    }

    private static func boundPort(_ fd: Int32) -> Int {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let rc = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard rc == 0 else { return 0 }
        return withUnsafePointer(to: &storage) { pointer -> Int in
            if Int32(pointer.pointee.ss_family) == AF_INET6 {
                return pointer.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { Int(UInt16(bigEndian: $0.pointee.sin6_port)) }
            }
            return pointer.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { Int(UInt16(bigEndian: $0.pointee.sin_port)) }
        }
    }
}

@inline(__always)
private func systemListen(_ fd: Int32, _ backlog: Int32) -> Int32 {
    #if canImport(Glibc)
    Glibc.listen(fd, backlog)
    #else
    Darwin.listen(fd, backlog)
    #endif
}
