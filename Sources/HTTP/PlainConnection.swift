#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A plain `http://` client connection: the socket itself.
struct PlainConnection: ClientConnection {
    let fd: Int32
    let poller: EventPoller

    private var channel: SocketChannel { SocketChannel(fd: fd, poller: poller) }

    func read(into buffer: UnsafeMutableRawBufferPointer, deadline: UInt64) async -> ClientReadResult {
        switch await channel.read(into: buffer, deadline: deadline, kind: .active) {
        case .data(let n): .data(n)
        case .closed: .closed
        case .timedOut: .timedOut
        case .cancelled: .cancelled
        }
    }

    func write(_ bytes: [UInt8], deadline: UInt64) async -> ClientWriteResult {
        switch await channel.write(bytes, deadline: deadline) {
        case .written: .written
        case .closed: .closed
        case .timedOut: .timedOut
        case .cancelled: .cancelled
        }
    }

    /// Open, connected, and with nothing unread: a server that closed the
    /// connection shows up as EOF, one that sent junk as readable bytes.
    var isReusable: Bool {
        var probe: UInt8 = 0
        let n = recv(fd, &probe, 1, Int32(MSG_PEEK | MSG_DONTWAIT))
        return n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)
    }

    func close() { Socket.close(fd) }
}
