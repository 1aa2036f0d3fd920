#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Accepts connections on the listening socket and starts one task per
/// connection on this listener's event loop; refuses the ones beyond the
/// limit with a 503. Each loop runs one listener: on Linux over its own
/// `SO_REUSEPORT` socket (the kernel picks the loop), elsewhere over one
/// shared socket (whichever loop is free first takes the next connection).
struct HTTPListener: Sendable {
    let fd: Int32
    let poller: EventPoller
    let handler: any HTTPHandler
    let configuration: HTTPServerConfiguration
    let registry: ConnectionRegistry

    /// Runs until shutdown stops it: shutdown marks the registry draining,
    /// then cancels the accept waits (and on Linux takes the socket out of
    /// listening, so `accept` fails). A connection accepted once draining has
    /// begun came too late and is closed unserved, never half-answered.
    /// The server closes the socket once every loop's listener has returned.
    func run() async {
        while true {
            switch Socket.accept(fd) {
            case .done(let accepted):
                let client = Int32(accepted)
                if registry.isDraining {
                    Socket.close(client)
                    return
                }
                if registry.admit(client) {
                    serve(client)
                } else if registry.beginRejecting() {
                    reject(client)
                } else {
                    Socket.close(client)
                }
            case .wouldBlock:
                if await poller.wait(fd, for: .read, deadline: 0, kind: .accept) == .cancelled { return }
            case .closed:
                return
            case .failed(let code):
                // EINVAL: shutdown took the socket out of listening.
                // Out of descriptors (EMFILE/ENFILE) or similar: back off
                // briefly instead of spinning; the backlog keeps the clients.
                if code == EBADF || code == EINVAL { return }
                try? await Task.sleep(nanoseconds: 10_000_000)
            }
        }
    }

    private func serve(_ client: Int32) {
        let channel = SocketChannel(fd: client, poller: poller)
        let (handler, configuration, registry) = (self.handler, self.configuration, self.registry)
        poller.spawn {
            var connection = HTTPConnection(channel: channel, handler: handler, configuration: configuration, registry: registry)
            await connection.run()
            registry.release(client)
            Socket.close(client)
        }
    }

    /// Reads briefly what the client sent (so closing does not reset the
    /// connection under the answer), answers 503 and closes.
    private func reject(_ client: Int32) {
        let channel = SocketChannel(fd: client, poller: poller)
        let registry = self.registry
        poller.spawn {
            let scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: 4096, alignment: 16)
            defer {
                scratch.deallocate()
                registry.endRejecting()
                Socket.close(client)
            }
            _ = await channel.read(into: scratch, deadline: MonotonicClock.deadline(after: 0.2), kind: .active)
            var out: [UInt8] = []
            let body = Array("server at connection limit\n".utf8)
            var headers = HTTPHeaders()
            headers.add("Content-Type", "text/plain; charset=utf-8")
            headers.add("Retry-After", "1")
            HTTPResponseEncoder.head(status: 503, headers: headers, framing: .length(body.count), keepAlive: false, into: &out)
            out.append(contentsOf: body)
            guard await channel.write(out, deadline: MonotonicClock.deadline(after: 1)) == .written else { return }
            await channel.lingeringClose(scratch: scratch, seconds: 0.5, maxBytes: 64 * 1024)
        }
    }
}
