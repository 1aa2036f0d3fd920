#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The write end of the self-pipe the signal handler writes to. Set once,
/// before any handler is installed; a C signal handler cannot capture context.
private nonisolated(unsafe) var signalPipeWriteEnd: Int32 = -1

/// Turns SIGTERM and SIGINT into a blocking wait for the main thread. launchd
/// sends SIGTERM on every restart; the worker answers by draining, not by
/// dying mid-request.
///
/// The handler is installed synchronously in `init` (a self-pipe: the handler
/// only `write`s the signal number, which is async-signal-safe). A Dispatch
/// signal source was used before, but on Linux it registers asynchronously
/// after the signal was set to `SIG_IGN`, so a SIGTERM that arrived in that
/// window under load was discarded and the worker never stopped. Install it
/// before the server starts listening.
///
/// The main thread itself waits: once the server runs it has nothing else to
/// do, so no extra thread is needed, and the worker's `main` stays synchronous
/// (an async `main` ends the main thread through `dispatch_main`, whose
/// `pthread_exit` unwinds the stack and pulls the unwind tables, some 700 kB,
/// into resident memory for nothing).
final class SignalWaiter {
    private let readEnd: Int32

    /// Starts catching `signals` now. Signals before `wait()` are kept. Call it
    /// on the main thread before any other thread starts.
    init(signals: [Int32] = [SIGTERM, SIGINT]) {
        var fds: [Int32] = [-1, -1]
        guard pipe(&fds) == 0 else { fatalError("SignalWaiter: pipe() failed: errno \(errno)") }
        for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        // A handler must never block: with the pipe full, further signals are dropped.
        _ = fcntl(fds[1], F_SETFL, fcntl(fds[1], F_GETFL) | O_NONBLOCK)
        readEnd = fds[0]
        signalPipeWriteEnd = fds[1]
        var unblock = sigset_t()
        sigemptyset(&unblock)
        for number in signals {
            _ = signal(number) { received in
                var byte = UInt8(truncatingIfNeeded: received)
                _ = write(signalPipeWriteEnd, &byte, 1)
            }
            sigaddset(&unblock, number)
        }
        // The signal mask is inherited across exec: a parent that spawned the
        // worker from a thread blocking these signals (Foundation's Process
        // does, from a Dispatch thread) would leave them pending forever.
        // Threads started later inherit this thread's mask.
        pthread_sigmask(SIG_UNBLOCK, &unblock, nil)
    }

    /// Blocks the calling thread until one of the signals arrives (returns at
    /// once if one already came) and names it, e.g. "SIGTERM".
    func wait() -> String {
        var byte: UInt8 = 0
        while true {
            let n = read(readEnd, &byte, 1)
            if n == 1 { break }
            if n < 0 && errno == EINTR { continue }
            fatalError("SignalWaiter: read() failed: errno \(errno)")
        }
        let number = Int32(byte)
        return number == SIGTERM ? "SIGTERM" : number == SIGINT ? "SIGINT" : "signal \(number)"
    }
}
