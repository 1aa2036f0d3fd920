@testable import HTTP

/// A test client that writes exact bytes to a loopback server and reads raw
/// responses back, so tests can send what no well-behaved client would.
/// Non-blocking on the shared client poller: it never holds a pool thread
/// the server under test might need.
public final class RawConnection: @unchecked Sendable {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
        /// The errno behind a failed connect (ECONNREFUSED, ...); 0 otherwise.
        public var code: Int32 = 0
    }

    let channel: SocketChannel
    private var parser = HTTPResponseParser()
    private let scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 * 1024, alignment: 16)

    public init(port: Int, host: String = "127.0.0.1") async throws {
        let poller = try EventPoller.shared.get()
        let fd = try SocketAddress.startConnect(host: host, port: port)
        channel = SocketChannel(fd: fd, poller: poller)
        _ = await poller.wait(fd, for: .write, deadline: MonotonicClock.deadline(after: 5), kind: .active)
        let error = SocketAddress.connectResult(fd)
        // No close here: every stored property is set, so the throw runs
        // deinit, which closes `fd` (closing twice could close a descriptor
        // the kernel has meanwhile handed to another test).
        if error != 0 { throw Failure(description: "connect: \(Socket.errorText(error))", code: error) }
    }

    deinit {
        Socket.close(channel.fd)
        scratch.deallocate()
    }

    public func send(_ text: String) async throws { try await send(Array(text.utf8)) }

    public func send(_ bytes: [UInt8]) async throws {
        let result = await channel.write(bytes, deadline: MonotonicClock.deadline(after: 5))
        guard result == .written else { throw Failure(description: "write: \(result)") }
    }

    /// Reads the next response; throws on timeout or when the server closed first.
    public func response(forMethod method: String = "GET", timeout: Double = 5) async throws -> HTTPClientResponse {
        let deadline = MonotonicClock.deadline(after: timeout)
        while true {
            switch parser.next(forMethod: method) {
            case .response(let r, _): return r
            case .failure(let reason): throw Failure(description: reason)
            case .needMore:
                switch await channel.read(into: scratch, deadline: deadline, kind: .active) {
                case .data(let n): parser.append(UnsafeRawBufferPointer(rebasing: scratch[0..<n]))
                case .closed: parser.finish()
                case .timedOut: throw Failure(description: "timed out waiting for a response")
                case .cancelled: throw Failure(description: "cancelled")
                }
            }
        }
    }

    /// Reads until the server closes; returns everything after what the
    /// parser already consumed. Throws when the server keeps the connection open.
    public func readUntilClosed(timeout: Double = 5) async throws -> [UInt8] {
        let deadline = MonotonicClock.deadline(after: timeout)
        var all: [UInt8] = []
        while true {
            switch await channel.read(into: scratch, deadline: deadline, kind: .active) {
            case .data(let n): all.append(contentsOf: scratch[0..<n])
            case .closed: return all
            case .timedOut: throw Failure(description: "server did not close (got \(all.count) bytes)")
            case .cancelled: throw Failure(description: "cancelled")
            }
        }
    }

    /// True when the server closed the connection within `timeout`.
    public func isClosedByServer(timeout: Double = 5) async -> Bool {
        (try? await readUntilClosed(timeout: timeout)) != nil
    }

    /// Whatever arrives next, raw.
    public func readSome(timeout: Double) async throws -> [UInt8] {
        let scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: 4096, alignment: 1)
        defer { scratch.deallocate() }
        switch await channel.read(into: scratch, deadline: MonotonicClock.deadline(after: timeout), kind: .active) {
        case .data(let n): return Array(scratch[0..<n])
        default: throw Failure(description: "nothing to read")
        }
    }

    /// Half-closes the connection: the server sees end of input, the client can still read.
    public func shutdownWrite() { Socket.shutdownWrite(channel.fd) }
}
