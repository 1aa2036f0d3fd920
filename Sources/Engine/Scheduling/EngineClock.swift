import Foundation

/// The engine's source of time, in Unix milliseconds.
///
/// Everything time-dependent (sleeps, wait timeouts, retry backoff, cron,
/// debounce, throttle) reads this clock, so tests substitute `ManualClock`
/// and jump hours ahead instantly instead of sleeping.
public protocol EngineClock: Sendable {
    func nowMilliseconds() -> Int64
    /// Registers `callback` to run whenever time jumps (a manual clock being
    /// advanced), so a scheduler waiting for a deadline re-checks it at once.
    /// Real clocks never jump and may ignore it.
    func onAdvance(_ callback: @escaping @Sendable () -> Void)
    /// True when time only moves through `advance`: the scheduler then waits
    /// for a nudge rather than for a wall-clock deadline.
    var isManual: Bool { get }
}

/// Wall-clock time.
public struct SystemClock: EngineClock {
    public init() {}
    public func nowMilliseconds() -> Int64 { Int64((Date().timeIntervalSince1970 * 1000).rounded(.down)) }
    public func onAdvance(_ callback: @escaping @Sendable () -> Void) {}
    public var isManual: Bool { false }
}

/// A clock that stands still until told to move: tests advance it explicitly.
public final class ManualClock: EngineClock, @unchecked Sendable {
    private let lock = NSLock()
    private var now: Int64
    private var observers: [@Sendable () -> Void] = []

    public init(startMilliseconds: Int64 = 1_767_225_600_000) { // 2026-01-01T00:00:00Z
        now = startMilliseconds
    }

    public func nowMilliseconds() -> Int64 { lock.withLock { now } }

    public func onAdvance(_ callback: @escaping @Sendable () -> Void) {
        lock.withLock { observers.append(callback) }
    }

    public var isManual: Bool { true }

    /// Moves time forward and wakes every observer.
    public func advance(byMilliseconds delta: Int64) {
        let callbacks = lock.withLock { () -> [@Sendable () -> Void] in
            now += max(0, delta)
            return observers
        }
        callbacks.forEach { $0() }
    }

    public func advance(bySeconds seconds: Double) { advance(byMilliseconds: Int64(seconds * 1000)) }

    /// Sets the time (never backwards) and wakes every observer.
    public func set(milliseconds: Int64) {
        let callbacks = lock.withLock { () -> [@Sendable () -> Void] in
            now = max(now, milliseconds)
            return observers
        }
        callbacks.forEach { $0() }
    }
}

/// Wall-clock time moved to start at a chosen instant: durations are real,
/// the calendar position is chosen. Tests that run real-time work through an
/// engine whose functions have cron triggers use it to stay clear of cron
/// boundaries, so a tick never lands in the middle of an assertion.
public struct ShiftedClock: EngineClock {
    private let offset: Int64

    public init(startMilliseconds: Int64) {
        offset = startMilliseconds - SystemClock().nowMilliseconds()
    }

    public func nowMilliseconds() -> Int64 { SystemClock().nowMilliseconds() + offset }
    public func onAdvance(_ callback: @escaping @Sendable () -> Void) {}
    public var isManual: Bool { false }
}
