/// An HTTP/1.1 server on POSIX sockets, serving one `HTTPHandler`.
///
/// ## I/O model
/// A few event loops (one per CPU by default), each one thread running epoll
/// (Linux) or kqueue (Apple) that is also the `TaskExecutor` of the
/// connections it accepted. A connection is a Swift task that reads, parses,
/// calls the handler and writes with non-blocking calls, suspending on its
/// loop (`EventPoller.wait`) only when the kernel has nothing for it. So:
/// - a keep-alive request costs no thread hop and no lock hand-off: the loop
///   sees the socket readable, resumes the task on the same thread, and the
///   task answers before the loop polls again (measured: the same design on
///   the global pool, with the loop only waking tasks, reached about a third
///   of the throughput, because every request paid a futex wake-up);
/// - handlers are plain `async` functions; one that suspends (I/O, sleep,
///   an actor) frees its loop at once, so a slow handler only holds its own
///   connection. A handler that computes for long should hand that work to
///   another executor, since it runs on the loop thread;
/// - an idle kept-alive connection costs a suspended task and a table entry,
///   not a thread, so slowloris clients are cheap to hold until their
///   deadline (checked by each loop every `pollerTick`).
/// Blocking sockets on a thread pool were rejected: handlers are async, so
/// each call from a blocking thread would need a semaphore round trip, and
/// every idle connection would pin a thread.
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
        var loops: [EventPoller]
        var listenerFD: Int32
        var port: Int
        var acceptors: Task<Void, Never>
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
            var loops: [EventPoller] = []
            for index in 0..<configuration.resolvedEventLoops {
                do {
                    let loop = try EventPoller(tick: configuration.pollerTick)
                    loop.start(name: "http-loop-\(index)")
                    loops.append(loop)
                } catch {
                    for loop in loops { loop.stop() }
                    Socket.close(listener.fd)
                    throw StartError.cannotListen("\(error)")
                }
            }
            let listeners = loops.map {
                HTTPListener(fd: listener.fd, poller: $0, handler: handler, configuration: configuration, registry: registry)
            }
            let acceptors = Task {
                await withTaskGroup(of: Void.self) { group in
                    for l in listeners {
                        if #available(macOS 15.0, *) {
                            group.addTask(executorPreference: l.poller) { await l.run() }
                        } else {
                            group.addTask { await l.run() }
                        }
                    }
                }
            }
            state = Running(loops: loops, listenerFD: listener.fd, port: listener.port, acceptors: acceptors)
        }
    }

    /// Stops accepting, lets in-flight requests finish for up to `drain`
    /// seconds, then closes everything. Returns when the server is stopped.
    public func shutdown(drain: Double = 10) async {
        guard let state = running.withLock({ $0 }) else { return }
        registry.startDraining()
        for loop in state.loops { loop.cancelIdle() }
        await state.acceptors.value
        Socket.close(state.listenerFD)
        let deadline = MonotonicClock.deadline(after: max(drain, 0.001))
        while registry.openCount > 0, MonotonicClock.now() < deadline {
            try? await Task.sleep(nanoseconds: 5_000_000)
        }
        if registry.openCount > 0 {
            for loop in state.loops { loop.cancelAll() }
            registry.cutAll()
            let grace = MonotonicClock.deadline(after: 1)
            while registry.openCount > 0, MonotonicClock.now() < grace {
                try? await Task.sleep(nanoseconds: 5_000_000)
            }
        }
        for loop in state.loops { loop.stop() }
    }
}
