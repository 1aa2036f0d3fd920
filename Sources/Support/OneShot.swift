import Foundation

/// A value that is set once and awaited: the first `resolve` wins and later
/// ones are ignored. This is how a blocking thread, a timer and a process
/// termination handler race to answer one `await` without any of them
/// blocking a Swift concurrency thread.
public final class OneShot<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var result: Value?
    private var waiters: [CheckedContinuation<Value, Never>] = []

    public init() {}

    public func resolve(_ value: Value) {
        lock.lock()
        guard result == nil else { lock.unlock(); return }
        result = value
        let pending = waiters
        waiters = []
        lock.unlock()
        for w in pending { w.resume(returning: value) }
    }

    public var isResolved: Bool { lock.withLock { result != nil } }

    public var value: Value {
        get async {
            await withCheckedContinuation { (c: CheckedContinuation<Value, Never>) in
                lock.lock()
                if let r = result {
                    lock.unlock()
                    c.resume(returning: r)
                } else {
                    waiters.append(c)
                    lock.unlock()
                }
            }
        }
    }
}
