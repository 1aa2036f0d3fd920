import Foundation
import HTTP
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes exact bytes to a loopback server, half-closes, and reads the first
/// response: the status, or 0 when the server closed without answering.
///
/// Plain blocking sockets on a thread of their own (not the server's event
/// loops, and not Swift's cooperative pool, which a blocked read would starve),
/// so the bytes on the wire are exactly the ones given.
public enum RawExchange {
    public static func status(port: Int, sending bytes: [UInt8], timeout: Double = 10) async throws -> (status: Int, body: [UInt8]) {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(with: Result { try exchange(port: port, bytes: bytes, timeout: timeout) })
            }
        }
    }

    /// The request's bytes: head with the given headers, then the body (or its first `cutBody` bytes).
    public static func bytes(_ c: HostileRequest, credential: (name: String, value: String)?) -> [UInt8] {
        var head = "\(c.method) \(c.target) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
        for (name, value) in c.headers { head += "\(name): \(value)\r\n" }
        if let credential { head += "\(credential.name): \(credential.value)\r\n" }
        for length in c.contentLengths ?? (c.body.isEmpty && c.method == "GET" ? [] : ["\(c.body.count)"]) {
            head += "Content-Length: \(length)\r\n"
        }
        head += "\r\n"
        return Array(head.utf8) + c.body.prefix(c.cutBody ?? c.body.count)
    }

    private static func exchange(port: Int, bytes: [UInt8], timeout: Double) throws -> (status: Int, body: [UInt8]) {
        #if canImport(Glibc)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { throw TestFailure("socket: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var wait = timeval(tv_sec: Int(timeout), tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &wait, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &wait, socklen_t(MemoryLayout<timeval>.size))
        #if canImport(Darwin)
        var noSignal: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_NOSIGPIPE, &noSignal, socklen_t(MemoryLayout<Int32>.size))
        #endif
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw TestFailure("connect: \(String(cString: strerror(errno)))") }
        var sent = 0
        while sent < bytes.count {
            #if canImport(Glibc)
            let n = bytes[sent...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            #else
            let n = bytes[sent...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) }
            #endif
            // The server may answer and close before reading everything (a refused
            // head): what it answered is still read below.
            if n <= 0 { break }
            sent += n
        }
        _ = shutdown(fd, Int32(SHUT_WR))
        var parser = HTTPResponseParser()
        var buffer = [UInt8](repeating: 0, count: 16 * 1024)
        var closed = false
        while true {
            switch parser.next() {
            case .response(let r, _): return (r.status, r.body)
            case .failure: if closed { return (0, []) } else { throw TestFailure("unreadable response") }
            case .needMore:
                if closed { return (0, []) }
                let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
                if n > 0 {
                    buffer.withUnsafeBytes { parser.append(UnsafeRawBufferPointer(rebasing: $0[0..<n])) }
                } else if n == 0 || errno == ECONNRESET {
                    closed = true
                    parser.finish()
                } else {
                    throw TestFailure("no response within \(timeout) s (\(String(cString: strerror(errno))))")
                }
            }
        }
    }
}
