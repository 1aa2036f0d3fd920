import Support
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
///   task answers before the loop polls again (measured with bench/http:
///   the same code on the global pool, the loop only waking tasks, served
///   28k req/s where the loops as executors served 50k, because every
///   request paid a futex wake-up and a thread switch);
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
/// at once. `shutdown(drain:)` stops accepting (new connections are refused;
/// ones the kernel queued but no loop took yet are closed unserved), then
/// closes idle connections, lets in-flight requests finish and answers them
/// with `Connection: close`; after `drain` seconds it cuts whatever is left.
/// The drain is timed on an injected `Clock` (the continuous clock unless a
/// test passes one it moves by hand), so tests can hold a shutdown inside its
/// drain, or past it, without waiting in real time.
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
        var listenerFDs: [Int32]
        var port: Int
        var acceptors: Task<Void, Never>
        /// The shutdown under way, which every `shutdown` call awaits.
        var stopping: Task<Void, Never>?
    }

    public let configuration: HTTPServerConfiguration
    private let handler: any HTTPHandler
    private let registry: ConnectionRegistry
    private let running = Locked<Running?>(nil)
    private let clock: any Clock<Duration>

    public init(configuration: HTTPServerConfiguration, handler: some HTTPHandler,
                clock: any Clock<Duration> = ContinuousClock()) {
        self.configuration = configuration
        self.handler = handler
        self.clock = clock
        self.registry = ConnectionRegistry(maxConnections: configuration.maxConnections,
                                           maxBufferedBodyBytes: configuration.maxBufferedBodyBytes)
    }

    /// The bound port (useful with port 0); 0 before `start()`.
    public var port: Int { running.withLock { $0?.port ?? 0 } }

    /// Connections currently open (including ones being refused).
    public var openConnections: Int { registry.openCount }

    /// Request-body bytes the connections hold now (see `maxBufferedBodyBytes`).
    public var heldBodyBytes: Int { registry.bodyBudget.heldBytes }

    public func start() throws {
        try running.withLock { state in
            guard state == nil else { throw StartError.alreadyStarted }
            let loopCount = configuration.resolvedEventLoops
            let listenerFDs = try Self.listen(configuration, count: loopCount)
            var loops: [EventPoller] = []
            for index in 0..<loopCount {
                do {
                    let loop = try EventPoller(tick: configuration.pollerTick)
                    loop.start(name: "http-loop-\(index)")
                    loops.append(loop)
                } catch {
                    for loop in loops { loop.stop() }
                    for fd in Set(listenerFDs.fds) { Socket.close(fd) }
                    throw StartError.cannotListen("\(error)")
                }
            }
            let listeners = zip(loops, listenerFDs.fds).map {
                HTTPListener(fd: $1, poller: $0, handler: handler, configuration: configuration, registry: registry)
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
            state = Running(loops: loops, listenerFDs: Array(Set(listenerFDs.fds)), port: listenerFDs.port, acceptors: acceptors)
        }
    }

    /// One listening socket per loop. On Linux each loop gets its own socket
    /// on the same port (`SO_REUSEPORT`), so the kernel hands each new
    /// connection to exactly one loop instead of waking every loop for it
    /// (measured: twice the `Connection: close` throughput with two loops).
    /// A fixed port is first claimed by a socket without `SO_REUSEPORT`, so a
    /// port held by anyone else (a second worker included) still fails with
    /// "address in use" rather than silently sharing traffic; port 0 is
    /// taken by the first reuse-port socket itself, leaving no gap. Elsewhere the
    /// loops share one socket and whichever wakes first accepts.
    private static func listen(_ configuration: HTTPServerConfiguration, count: Int) throws -> (fds: [Int32], port: Int) {
        let host = configuration.host, backlog = configuration.backlog
        do {
            #if os(Linux)
            guard count > 1 else {
                let only = try SocketAddress.listen(host: host, port: configuration.port, backlog: backlog)
                return ([only.fd], only.port)
            }
            var fds: [Int32] = []
            var port = configuration.port
            do {
                if port == 0 {
                    // An ephemeral port: the first socket takes it and keeps
                    // it, so no gap exists in which another server asking for
                    // port 0 could be given the same port and share traffic
                    // (the kernel never picks a port held by a reuse-port
                    // listener for a port-0 bind).
                    let first = try SocketAddress.listen(host: host, port: 0, backlog: backlog, reusePort: true)
                    fds.append(first.fd)
                    port = first.port
                } else {
                    let probe = try SocketAddress.listen(host: host, port: port, backlog: backlog)
                    Socket.close(probe.fd)
                }
                while fds.count < count {
                    fds.append(try SocketAddress.listen(host: host, port: port, backlog: backlog, reusePort: true).fd)
                }
            } catch {
                for fd in fds { Socket.close(fd) }
                throw error
            }
            return (fds, port)
            #else
            let only = try SocketAddress.listen(host: host, port: configuration.port, backlog: backlog)
            return (Array(repeating: only.fd, count: max(count, 1)), only.port)
            #endif
        } catch let error as StartError {
            throw error
        } catch {
            throw StartError.cannotListen("\(host):\(configuration.port): \(error)")
        }
    }

    /// Stops accepting, closes idle connections, lets in-flight requests
    /// finish for up to `drain` seconds, then cuts what is left (and waits
    /// up to a second more for their tasks). Returns when the server is stopped.
    ///
    /// The listeners stop before idle connections are closed, so a client
    /// that sees its kept-alive connection closed and reconnects is refused,
    /// not accepted by a server on its way out.
    ///
    /// Only the first call shuts down (later ones wait for it), so a second
    /// call never closes descriptor numbers the kernel may have handed out
    /// again. It runs in its own task, so a cancelled caller neither skips
    /// the drain nor turns its waits into a busy loop.
    public func shutdown(drain: Double = 10) async {
        let stopping: Task<Void, Never>? = running.withLock { state in
            guard let current = state else { return nil }
            if let stopping = current.stopping { return stopping }
            let stopping = Task { await self.stop(current, drain: drain) }
            state?.stopping = stopping
            return stopping
        }
        await stopping?.value
    }

    private func stop(_ state: Running, drain: Double) async {
        registry.startDraining()
        Self.stopAccepting(state)
        // Prompt: the acceptors' waits were cancelled, and one that accepts
        // meanwhile sees the registry draining and returns.
        await state.acceptors.value
        for fd in state.listenerFDs { Socket.close(fd) }
        for loop in state.loops { loop.cancel(.idle) }
        if await !allClosed(within: drain) {
            for loop in state.loops { loop.cancelAll() }
            registry.cutAll()
            _ = await allClosed(within: 1)
        }
        for loop in state.loops { loop.stop() }
    }

    /// Waits until every connection has closed (true) or `seconds` have
    /// passed on the server's clock (false). Closing is polled, the deadline
    /// is a sleep on the clock, so only the clock decides when time is up.
    /// `seconds` is kept between a millisecond and about 30 years (NaN counts
    /// as the millisecond), so no caller's value can trap the conversion.
    private func allClosed(within seconds: Double) async -> Bool {
        guard registry.openCount > 0 else { return true }
        let bounded = seconds > 0.001 ? min(seconds, 1e9) : 0.001
        let expired = Locked(false)
        let timer = Task { [clock] in
            do {
                try await clock.sleep(for: .seconds(bounded))
                expired.withLock { $0 = true }
            } catch {}  // cancelled: every connection closed first
        }
        defer { timer.cancel() }
        while registry.openCount > 0 {
            if expired.withLock({ $0 }) { return false }
            try? await Task.sleep(nanoseconds: 5_000_000)
        }
        return true
    }

    /// Ends accepting without waiting for any loop. On Linux, `shutdown(2)`
    /// takes each listening socket out of listening at once, even while its
    /// loop is busy running a handler: new connects are refused, the
    /// connections the kernel queued but nobody accepted are reset, and a
    /// pending `accept` fails. Elsewhere the socket keeps listening until it
    /// is closed (which resets its queue) once the acceptors have returned.
    private static func stopAccepting(_ state: Running) {
        #if os(Linux)
        for fd in state.listenerFDs { Socket.shutdownBoth(fd) }
        #endif
        for loop in state.loops { loop.cancel(.accept) }
    }
}
