import Foundation

/// A one-shot signal between a test and the code it holds (a handler, a
/// function body): `wait()` suspends until `open()`, opening first makes
/// waits return at once, and `isOpen` serves code that polls instead.
public final class Gate: @unchecked Sendable {
    private let lock = NSLock()
    private var opened = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    public init() {}

    public func open() {
        let waiting = lock.withLock { () -> [CheckedContinuation<Void, Never>] in
            opened = true
            defer { waiters = [] }
            return waiters
        }
        for waiter in waiting { waiter.resume() }
    }

    public var isOpen: Bool { lock.withLock { opened } }

    public func wait() async {
        await withCheckedContinuation { (waiter: CheckedContinuation<Void, Never>) in
            let now = lock.withLock { () -> Bool in
                if opened { return true }
                waiters.append(waiter)
                return false
            }
            if now { waiter.resume() }
        }
    }
}
