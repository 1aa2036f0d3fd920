import Dispatch
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Turns SIGTERM and SIGINT into an awaitable event. launchd sends SIGTERM
/// on every restart; the worker answers by draining, not by dying mid-request.
enum SignalWaiter {
    /// Suspends until one of `signals` arrives and returns its name.
    static func wait(for signals: [Int32] = [SIGTERM, SIGINT]) async -> String {
        await withCheckedContinuation { continuation in
            let state = State()
            for number in signals {
                signal(number, SIG_IGN)  // Dispatch sees it instead of the default action
                let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
                source.setEventHandler {
                    guard state.claim() else { return }
                    continuation.resume(returning: number == SIGTERM ? "SIGTERM" : number == SIGINT ? "SIGINT" : "signal \(number)")
                }
                source.resume()
                state.keep(source)
            }
        }
    }

    /// Resumes the continuation once. Holds the sources, whose handlers hold
    /// it back: the cycle is deliberate and keeps them alive for the process's
    /// life, so a second signal is ignored rather than fatal.
    private final class State: @unchecked Sendable {
        private let lock = NSLock()
        private var claimed = false
        private var sources: [DispatchSourceSignal] = []

        func claim() -> Bool {
            lock.lock(); defer { lock.unlock() }
            if claimed { return false }
            claimed = true
            return true
        }

        func keep(_ source: DispatchSourceSignal) {
            lock.lock(); defer { lock.unlock() }
            sources.append(source)
        }
    }
}
