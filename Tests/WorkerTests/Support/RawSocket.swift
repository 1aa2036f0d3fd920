@testable import HTTP

/// Exact bytes to and from the worker, for requests no client library
/// would send (a body cut in half across a SIGTERM).
final class RawSocket: @unchecked Sendable {
    struct Failure: Error, CustomStringConvertible { let description: String }
    let channel: SocketChannel
    private var parser = HTTPResponseParser()
    private let scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: 16 * 1024, alignment: 16)

    init(port: Int) async throws {
        let poller = try EventPoller.shared.get()
        let fd = try SocketAddress.startConnect(host: "127.0.0.1", port: port)
        channel = SocketChannel(fd: fd, poller: poller)
        _ = await poller.wait(fd, for: .write, deadline: MonotonicClock.deadline(after: 5), kind: .active)
        let code = SocketAddress.connectResult(fd)
        // No close here: every stored property is set, so the throw runs
        // deinit, which closes `fd` (closing twice could close a descriptor
        // the kernel has meanwhile handed to another test).
        if code != 0 { throw Failure(description: "connect: \(Socket.errorText(code))") }
    }

    deinit {
        Socket.close(channel.fd)
        scratch.deallocate()
    }

    func send(_ text: String) async throws {
        guard await channel.write(Array(text.utf8), deadline: MonotonicClock.deadline(after: 5)) == .written else {
            throw Failure(description: "write failed")
        }
    }

    func response(timeout: Double = 5) async throws -> HTTPClientResponse {
        let deadline = MonotonicClock.deadline(after: timeout)
        while true {
            switch parser.next() {
            case .response(let r, _): return r
            case .failure(let reason): throw Failure(description: reason)
            case .needMore:
                switch await channel.read(into: scratch, deadline: deadline, kind: .active) {
                case .data(let n): parser.append(UnsafeRawBufferPointer(rebasing: scratch[0..<n]))
                case .closed: parser.finish()
                default: throw Failure(description: "no response in time")
                }
            }
        }
    }

    /// True when the peer closes within `timeout`.
    func isClosed(timeout: Double = 5) async -> Bool {
        let deadline = MonotonicClock.deadline(after: timeout)
        while true {
            switch await channel.read(into: scratch, deadline: deadline, kind: .active) {
            case .data: continue
            case .closed: return true
            default: return false
            }
        }
    }
}
