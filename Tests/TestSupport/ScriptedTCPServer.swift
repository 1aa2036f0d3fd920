import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A real TCP server on 127.0.0.1 (port chosen by the kernel) standing in for
/// the services `status` checks: it answers HTTP, sends a banner, or accepts
/// and then says nothing (a hung service).
public final class ScriptedTCPServer: @unchecked Sendable {
    public enum Behaviour: Sendable {
        /// Reads the request, answers with this status and body, closes.
        case http(status: Int, body: String)
        /// Answers by `"METHOD /path?query"`; anything else gets 404.
        case routes([String: (status: Int, body: String)])
        /// Answers the n-th request with the n-th answer (the last one from then on).
        case sequence([(status: Int, body: String)])
        /// Writes this text as soon as a client connects (an SSH banner), then waits.
        case banner(String)
        /// Reads one line and answers with `reply` (Redis PING → +PONG).
        case lineReply(String)
        /// Accepts and never writes.
        case hang
    }

    public let port: Int
    private let fd: Int32
    private let behaviour: Behaviour
    private let lock = NSLock()
    private var clients: [Int32] = []
    private var stopped = false
    /// Request heads received, for assertions.
    public private(set) var requests: [String] = []
    /// The most connections that were open at the same time.
    public var peakConnections: Int { lock.lock(); defer { lock.unlock() }; return peak }
    private var peak = 0

    public init(_ behaviour: Behaviour) throws {
        self.behaviour = behaviour
        let (fd, port) = try Self.bindLoopback(reuseAddress: true)
        self.fd = fd
        self.port = port
        guard listen(fd, 64) == 0 else { close(fd); throw POSIXError(.EADDRINUSE) }
        Thread.detachNewThread { [self] in acceptLoop() }
    }

    /// A loopback port nothing listens on and nothing else can take: a socket
    /// is bound to it and kept open (never listening, so connects are refused)
    /// for the rest of the test process. Closing it instead would let another
    /// test's server be handed the same ephemeral port, turning "refused" into
    /// "up" at random.
    public static func closedPort() -> Int {
        // No SO_REUSEADDR: nothing else may bind the port while this socket holds it.
        guard let (_, port) = try? bindLoopback(reuseAddress: false) else { preconditionFailure("cannot bind a loopback port") }
        return port
    }

    /// A TCP socket bound to 127.0.0.1 on a port the kernel chooses, and that port.
    private static func bindLoopback(reuseAddress: Bool) throws -> (fd: Int32, port: Int) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.EMFILE) }
        var yes: Int32 = 1
        if reuseAddress { setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size)) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = 0
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else { close(fd); throw POSIXError(.EADDRINUSE) }
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) }
        }
        return (fd, Int(UInt16(bigEndian: addr.sin_port)))
    }

    /// Wakes every thread with `shutdown`; each thread closes its own socket,
    /// so a descriptor number is never closed while another thread uses it.
    public func stop() {
        lock.lock()
        guard !stopped else { lock.unlock(); return }
        stopped = true
        // Under the lock: a client thread removes its descriptor (under the same
        // lock) before closing it, so no number here can belong to a new socket.
        for c in clients { shutdown(c, Int32(SHUT_RDWR)) }
        shutdown(fd, Int32(SHUT_RDWR))
        lock.unlock()
    }

    deinit { if !stopped { stop() } }

    private func acceptLoop() {
        while true {
            let client = accept(fd, nil, nil)
            lock.lock()
            if client < 0 || stopped {
                if client >= 0 { close(client) }
                close(fd)
                lock.unlock()
                return
            }
            clients.append(client)
            peak = max(peak, clients.count)
            lock.unlock()
            Thread.detachNewThread { [self] in serve(client) }
        }
    }

    private func serve(_ client: Int32) {
        respond(client)
        // Hold the connection until the peer or `stop()` ends it, then close.
        // Bounded: a peer that never stops sending cannot keep this thread spinning.
        var sink = [UInt8](repeating: 0, count: 4096)
        var drained = 0
        while drained < 16 << 20 {
            let n = sink.withUnsafeMutableBytes { read(client, $0.baseAddress, $0.count) }
            if n > 0 { drained += n } else if n < 0 && errno == EINTR { continue } else { break }
        }
        lock.lock()
        clients.removeAll { $0 == client }
        close(client)
        lock.unlock()
    }

    private func respond(_ client: Int32) {
        switch behaviour {
        case .hang:
            return
        case .banner(let text):
            send(client, text)
        case .lineReply(let reply):
            _ = readUntil(client, "\n")
            send(client, reply)
        case .http(let status, let body):
            _ = readRequest(client)
            reply(client, status, body)
        case .routes(let table):
            let request = readRequest(client)
            let line = request.split(separator: "\r\n", maxSplits: 1).first.map(String.init) ?? ""
            let key = line.split(separator: " ").prefix(2).joined(separator: " ")
            let answer = table[key] ?? (404, #"{"error":"not found"}"#)
            reply(client, answer.status, answer.body)
        case .sequence(let answers):
            _ = readRequest(client)
            lock.lock(); let n = requests.count; lock.unlock()
            let answer = answers[min(n, answers.count) - 1]
            reply(client, answer.status, answer.body)
        }
    }

    private func reply(_ client: Int32, _ status: Int, _ body: String) {
        send(client, "HTTP/1.1 \(status) X\r\nContent-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n\(body)")
        shutdown(client, Int32(SHUT_WR))
    }

    /// Reads the head and a `Content-Length` body; records the whole request.
    private func readRequest(_ client: Int32) -> String {
        var request = readUntil(client, "\r\n\r\n")
        let length = request.split(separator: "\r\n").first { $0.lowercased().hasPrefix("content-length:") }
            .flatMap { Int($0.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)) } ?? 0
        var body = [UInt8]()
        var byte: UInt8 = 0
        while body.count < length, read(client, &byte, 1) == 1 { body.append(byte) }
        request += String(decoding: body, as: UTF8.self)
        lock.lock(); requests.append(request); lock.unlock()
        return request
    }

    private func send(_ client: Int32, _ text: String) {
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBytes { write(client, $0.baseAddress, $0.count) }
    }

    private func readUntil(_ client: Int32, _ terminator: String) -> String {
        var data = [UInt8]()
        var byte: UInt8 = 0
        while read(client, &byte, 1) == 1 {
            data.append(byte)
            if String(decoding: data.suffix(terminator.utf8.count), as: UTF8.self) == terminator { break }
        }
        return String(decoding: data, as: UTF8.self)
    }
}
