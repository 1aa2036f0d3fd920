import Support
/// Counts and remembers the server's open connections, so the listener can
/// refuse the one too many and shutdown can wait for (or cut) the rest.
final class ConnectionRegistry: Sendable {
    private struct State {
        var open: Set<Int32> = []
        var rejecting = 0
        var draining = false
    }

    private let state = Locked(State())
    let maxConnections: Int
    /// Request bodies held by all connections together.
    let bodyBudget: BodyBudget

    init(maxConnections: Int, maxBufferedBodyBytes: Int = .max) {
        self.maxConnections = maxConnections
        self.bodyBudget = BodyBudget(limit: maxBufferedBodyBytes)
    }

    /// Records `fd` as open; false when the server is full.
    func admit(_ fd: Int32) -> Bool {
        state.withLock { s in
            guard s.open.count < maxConnections else { return false }
            s.open.insert(fd)
            return true
        }
    }

    /// Forgets `fd`. Called before the descriptor is closed, so `cutAll`
    /// can never reach a number the kernel has already handed out again.
    func release(_ fd: Int32) {
        _ = state.withLock { $0.open.remove(fd) }
    }

    /// Whether a refused connection may get a polite 503 (bounded, so a
    /// flood of refusals cannot itself pin memory).
    func beginRejecting() -> Bool {
        state.withLock { s in
            guard s.rejecting < maxConnections else { return false }
            s.rejecting += 1
            return true
        }
    }

    func endRejecting() { state.withLock { $0.rejecting -= 1 } }

    var openCount: Int { state.withLock { $0.open.count + $0.rejecting } }

    var isDraining: Bool { state.withLock { $0.draining } }

    func startDraining() { state.withLock { $0.draining = true } }

    /// Shuts down both directions of every open connection; their tasks see
    /// the failure and close their descriptors themselves.
    func cutAll() {
        state.withLock { s in
            for fd in s.open { Socket.shutdownBoth(fd) }
        }
    }
}
