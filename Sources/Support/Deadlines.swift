import Foundation

/// Runs `operation`, but answers `fallback()` if it has not finished within
/// `seconds`. The operation is cancelled and left to wind down on its own;
/// the caller never waits for it past the deadline.
public func withDeadline<T: Sendable>(_ seconds: Double, operation: @escaping @Sendable () async -> T,
                               fallback: @escaping @Sendable () -> T) async -> T {
    let shot = OneShot<T>()
    let work = Task { shot.resolve(await operation()) }
    resolve(shot, after: seconds, with: fallback)
    let value = await shot.value
    work.cancel()
    return value
}

/// `withDeadline` for blocking work: `body` runs on its own thread and
/// answers directly, so its result never waits for a free concurrency thread
/// to be delivered (on a loaded 2-core machine that hop can take longer than
/// the slack before the fallback fires).
public func blockingWithDeadline<T: Sendable>(_ seconds: Double, _ body: @escaping @Sendable () -> T,
                                       fallback: @escaping @Sendable () -> T) async -> T {
    let shot = OneShot<T>()
    Thread.detachNewThread { shot.resolve(body()) }
    resolve(shot, after: seconds, with: fallback)
    return await shot.value
}

/// Resolves `shot` with `fallback()` after `seconds`, from a thread of its own:
/// Dispatch's shared pool can be exhausted by blocking work elsewhere in the
/// process, and a deadline must fire even then.
private func resolve<T: Sendable>(_ shot: OneShot<T>, after seconds: Double, with fallback: @escaping @Sendable () -> T) {
    let deadline = Date().addingTimeInterval(seconds)
    Thread.detachNewThread {
        while !shot.isResolved, Date() < deadline {
            Thread.sleep(forTimeInterval: min(0.05, max(0, deadline.timeIntervalSinceNow)))
        }
        shot.resolve(fallback())
    }
}

/// Runs blocking work (a socket wait, a DNS lookup) on its own thread so it
/// never occupies one of the few cooperative threads Swift concurrency has.
public func onDedicatedThread<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
    let shot = OneShot<T>()
    Thread.detachNewThread { shot.resolve(body()) }
    return await shot.value
}
