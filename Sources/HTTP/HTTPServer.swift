/// An HTTP/1.1 server on POSIX sockets, serving one `HTTPHandler`.
///
/// ## I/O model
/// One poller thread runs epoll (Linux) or kqueue (Apple) and does nothing
/// but wake tasks; every connection is a Swift task that reads, parses,
/// calls the handler and writes with non-blocking calls, and suspends (via
/// `EventPoller.wait`) only when the kernel has nothing for it. So:
/// - handlers are plain `async` functions on the cooperative pool; a slow
///   or suspended handler holds only its own connection's task, never a
///   thread, and never the poller;
/// - an idle kept-alive connection costs a few hundred bytes of task state
///   plus a table entry, not a thread, so slowloris clients are cheap to
///   hold until their deadline (checked by the poller every `pollerTick`);
/// - there is no per-request task or thread hop beyond the wake-up itself:
///   the request is parsed and answered on whichever pool thread resumed
///   the connection.
/// A thread-per-connection design was rejected because handlers are async
/// (bridging each call from a blocking thread costs a semaphore round trip)
/// and because idle connections would each pin a thread and its stack.
///
/// ## Lifecycle
/// `start()` binds (port 0 picks a free port, read it from `port`) and returns
/// at once. `shutdown(drain:)` stops accepting, closes idle connections, lets
/// in-flight requests finish and answers them with `Connection: close`; after
/// `drain` seconds it cuts whatever is left.
public final class HTTPServer: Sendable {
    public enum StartError: Error, Equatable, CustomStringConvertible {
        case alreadyStarted
        case cannotListen(String)
        public var description: String {
            switch self {
            case .alreadyStarted: "server already started"
            case .cannotListen(let reason): "cannot listen: \(reason)"
            }
        }
    }

    private struct Running: @unchecked Sendable {
        var poller: EventPoller
        var port: Int
        var acceptor: Task<Void, Never>
    }

    public let configuration: HTTPServerConfiguration
    private let handler: any HTTPHandler
    private let registry: ConnectionRegistry
    private let running = Locked<Running?>(nil)

    public init(configuration: HTTPServerConfiguration, handler: some HTTPHandler) {
        self.configuration = configuration
        self.handler = handler
        self.registry = ConnectionRegistry(maxConnections: configuration.maxConnections)
    }

    /// The bound port (useful with port 0); 0 before `start()`.
    public var port: Int { running.withLock { $0?.port ?? 0 } }

    /// Connections currently open (including ones being refused).
    public var openConnections: Int { registry.openCount }

    public func start() throws {
        try running.withLock { state in
            guard state == nil else { throw StartError.alreadyStarted }
            let listener: (fd: Int32, port: Int)
            do {
                listener = try SocketAddress.listen(host: configuration.host, port: configuration.port, backlog: configuration.backlog)
            } catch {
                throw StartError.cannotListen("\(configuration.host):\(configuration.port): \(error)")
            }
            let poller: EventPoller
            do {
                poller = try EventPoller(tick: configuration.pollerTick)
            } catch {
                Socket.close(listener.fd)
                throw StartError.cannotListen("\(error)")
            }
            poller.start(name: "http-poller-\(listener.port)")
            let acceptLoop = HTTPListener(fd: listener.fd, poller: poller, handler: handler,
                                          configuration: configuration, registry: registry)
            let acceptor = Task { await acceptLoop.run() }
            state = Running(poller: poller, port: listener.port, acceptor: acceptor)
        }
    }

    /// Stops accepting, lets in-flight requests finish for up to `drain`
    /// seconds, then closes everything. Returns when the server is stopped.
    public func shutdown(drain: Double = 10) async {
        guard let state = running.withLock({ $0 }) else { return }
        registry.startDraining()
        state.poller.cancelIdle()
        await state.acceptor.value
        let deadline = MonotonicClock.deadline(after: max(drain, 0.001))
        while registry.openCount > 0, MonotonicClock.now() < deadline {
            try? await Task.sleep(nanoseconds: 5_000_000)
        }
        if registry.openCount > 0 {
            state.poller.cancelAll()
            registry.cutAll()
            let grace = MonotonicClock.deadline(after: 1)
            while registry.openCount > 0, MonotonicClock.now() < grace {
                try? await Task.sleep(nanoseconds: 5_000_000)
            }
        }
        state.poller.stop()
    }
}
