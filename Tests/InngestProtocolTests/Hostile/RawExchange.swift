import Foundation
@testable import HTTP

/// Writes exact bytes to a loopback server, half-closes, and reads the first
/// response: the status, or 0 when the server closed without answering.
enum RawExchange {
    struct Failure: Error, CustomStringConvertible { let description: String }

    static func status(port: Int, sending bytes: [UInt8], timeout: Double = 10) async throws -> (status: Int, body: [UInt8]) {
        let poller = try EventPoller.shared.get()
        let fd = try SocketAddress.startConnect(host: "127.0.0.1", port: port)
        defer { Socket.close(fd) }
        let channel = SocketChannel(fd: fd, poller: poller)
        _ = await poller.wait(fd, for: .write, deadline: MonotonicClock.deadline(after: 5), kind: .active)
        let code = SocketAddress.connectResult(fd)
        if code != 0 { throw Failure(description: "connect: \(Socket.errorText(code))") }
        guard await channel.write(bytes, deadline: MonotonicClock.deadline(after: 5)) == .written else {
            throw Failure(description: "write failed")
        }
        _ = shutdown(fd, Int32(SHUT_WR))
        let scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: 16 * 1024, alignment: 16)
        defer { scratch.deallocate() }
        var parser = HTTPResponseParser()
        let deadline = MonotonicClock.deadline(after: timeout)
        var closed = false
        while true {
            switch parser.next() {
            case .response(let r, _): return (r.status, r.body)
            case .failure: if closed { return (0, []) } else { throw Failure(description: "unreadable response") }
            case .needMore:
                if closed { return (0, []) }
                switch await channel.read(into: scratch, deadline: deadline, kind: .active) {
                case .data(let n): parser.append(UnsafeRawBufferPointer(rebasing: scratch[0..<n]))
                case .closed: closed = true; parser.finish()
                default: throw Failure(description: "no response within \(timeout) s")
                }
            }
        }
    }

    /// The request's bytes: head with the given headers, then the body (or its first `cutBody` bytes).
    static func bytes(_ c: HostileRequest, credential: (name: String, value: String)?) -> [UInt8] {
        var head = "\(c.method) \(c.target) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
        for (name, value) in c.headers { head += "\(name): \(value)\r\n" }
        if let credential { head += "\(credential.name): \(credential.value)\r\n" }
        for length in c.contentLengths ?? (c.body.isEmpty && c.method == "GET" ? [] : ["\(c.body.count)"]) {
            head += "Content-Length: \(length)\r\n"
        }
        head += "\r\n"
        return Array(head.utf8) + c.body.prefix(c.cutBody ?? c.body.count)
    }
}
