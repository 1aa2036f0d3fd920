import Foundation

/// One dedicated, named thread running a loop guarded by a condition
/// variable, with the switch that stops it: the shape of every background
/// worker that must keep going when the cooperative pool is busy (the
/// engine's scheduler and its group-commit writer). The owner keeps its own
/// state under `condition`'s lock and reads `isRunning` while holding it.
public final class ConditionThread: @unchecked Sendable {
    public let condition = NSCondition()
    private let name: String
    private var running = false

    public init(name: String) { self.name = name }

    /// False once `stop()` was called (or before `start`); read with `condition` locked.
    public var isRunning: Bool { running }

    /// Starts the thread with `loop`, which should return once `isRunning`
    /// is false; a second call while running does nothing.
    public func start(_ loop: @escaping @Sendable () -> Void) {
        condition.lock()
        guard !running else { condition.unlock(); return }
        running = true
        condition.unlock()
        let thread = Thread(block: loop)
        thread.name = name
        thread.start()
    }

    /// Clears `isRunning` and wakes the loop so it can return.
    public func stop() {
        condition.lock()
        running = false
        condition.broadcast()
        condition.unlock()
    }

    /// Wakes the loop (new work, a clock that moved).
    public func signal() {
        condition.lock()
        condition.signal()
        condition.unlock()
    }
}
