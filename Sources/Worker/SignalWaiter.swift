import Dispatch
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Turns SIGTERM and SIGINT into an awaitable event. launchd sends SIGTERM
/// on every restart; the worker answers by draining, not by dying mid-request.
///
/// Install it before the server starts listening, so a signal that arrives
/// right after start-up is already caught rather than killing the process.
final class SignalWaiter: @unchecked Sendable {
    private let lock = NSLock()
    private var received: String?
    private var waiter: CheckedContinuation<String, Never>?
    private var sources: [DispatchSourceSignal] = []

    /// Starts catching `signals` now; the first one is remembered, later ones are ignored.
    init(signals: [Int32] = [SIGTERM, SIGINT]) {
        for number in signals {
            signal(number, SIG_IGN)  // Dispatch sees it instead of the default action
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            let name = number == SIGTERM ? "SIGTERM" : number == SIGINT ? "SIGINT" : "signal \(number)"
            source.setEventHandler { [weak self] in self?.deliver(name) }
            source.resume()
            sources.append(source)
        }
    }

    /// Suspends until the first signal (returns at once if one already came).
    func wait() async -> String {
        await withCheckedContinuation { continuation in
            lock.lock()
            if let received {
                lock.unlock()
                continuation.resume(returning: received)
                return
            }
            waiter = continuation
            lock.unlock()
        }
    }

    private func deliver(_ name: String) {
        lock.lock()
        guard received == nil else { lock.unlock(); return }
        received = name
        let w = waiter
        waiter = nil
        lock.unlock()
        w?.resume(returning: name)
    }
}
