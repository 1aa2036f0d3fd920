import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The write end of the self-pipe the signal handler writes to. Set once,
/// before any handler is installed; a C signal handler cannot capture context.
private nonisolated(unsafe) var signalPipeWriteEnd: Int32 = -1

/// Turns SIGTERM and SIGINT into an awaitable event. launchd sends SIGTERM
/// on every restart; the worker answers by draining, not by dying mid-request.
///
/// The handler is installed synchronously (a self-pipe: the handler only
/// `write`s the signal number, which is async-signal-safe, and a thread reads
/// it). A Dispatch signal source was used before, but on Linux it registers
/// asynchronously after the signal was set to `SIG_IGN`, so a SIGTERM that
/// arrived in that window under load was discarded and the worker never stopped.
/// Install it before the server starts listening.
final class SignalWaiter: @unchecked Sendable {
    private let lock = NSLock()
    private var received: String?
    private var waiter: CheckedContinuation<String, Never>?

    /// Starts catching `signals` now; the first one is remembered, later ones are ignored.
    init(signals: [Int32] = [SIGTERM, SIGINT]) {
        var fds: [Int32] = [-1, -1]
        guard pipe(&fds) == 0 else { fatalError("SignalWaiter: pipe() failed: errno \(errno)") }
        _ = fcntl(fds[0], F_SETFD, FD_CLOEXEC)
        _ = fcntl(fds[1], F_SETFD, FD_CLOEXEC)
        signalPipeWriteEnd = fds[1]
        for number in signals {
            _ = signal(number) { received in
                var byte = UInt8(truncatingIfNeeded: received)
                _ = write(signalPipeWriteEnd, &byte, 1)
            }
        }
        let readEnd = fds[0]
        Thread.detachNewThread { [weak self] in
            var byte: UInt8 = 0
            while true {
                let n = read(readEnd, &byte, 1)
                if n == 1 { break }
                if n < 0 && errno == EINTR { continue }
                return
            }
            let number = Int32(byte)
            self?.deliver(number == SIGTERM ? "SIGTERM" : number == SIGINT ? "SIGINT" : "signal \(number)")
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
