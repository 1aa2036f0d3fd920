import Foundation

/// A value guarded by a lock, for the few pieces of state shared between the
/// event-poller thread and tasks.
///
/// `Synchronization.Mutex` would do, but it needs macOS 15 and this package
/// targets macOS 14; `NSLock` is a plain pthread mutex on both platforms.
public final class Locked<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value

    public init(_ value: Value) { self.value = value }

    @inline(__always)
    public func withLock<R>(_ body: (inout Value) throws -> R) rethrows -> R {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
}
