#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Parks tasks until their socket is readable or writable, on one thread that
/// runs epoll (Linux) or kqueue (Apple).
///
/// A task calls `wait(_:for:deadline:kind:)`; the poller arms the descriptor
/// one-shot and resumes the task's continuation when the kernel reports it
/// ready, when its deadline passes (`.timedOut`, checked every `tick`), or
/// when the owner cancels it (`.cancelled`, used by shutdown). The task then
/// does the read or write itself, so the poller thread never touches payload
/// bytes and never runs handler code. Descriptors stay owned by their task:
/// the poller only arms them and never closes one.
final class EventPoller: @unchecked Sendable {
    enum Interest { case read, write }
    enum WaitResult { case ready, timedOut, cancelled }
    /// Idle waits (a kept-alive connection between requests) are the ones a
    /// graceful shutdown may cut short; active ones are left to finish.
    enum WaitKind { case idle, active }

    private struct Waiter {
        var continuation: UnsafeContinuation<WaitResult, Never>
        var deadline: UInt64
        var kind: WaitKind
    }

    private struct State {
        var waiters: [Int32: Waiter] = [:]
        var idleCancelled = false
        var allCancelled = false
        var stopped = false
    }

    private let state = Locked(State())
    private let backend: PollerBackend
    private let tickMilliseconds: Int32
    private var thread: Thread?

    /// The poller shared by every client in the process, started on first
    /// use. Servers have their own, so a server's shutdown never cancels a
    /// client's waits.
    static let shared: Result<EventPoller, PollerBackend.Failure> = {
        do {
            let poller = try EventPoller(tick: 0.05)
            poller.start(name: "http-client-poller")
            return .success(poller)
        } catch let error as PollerBackend.Failure {
            return .failure(error)
        } catch {
            return .failure(PollerBackend.Failure(description: "\(error)"))
        }
    }()

    /// - Parameter tick: how often deadlines are checked, in seconds.
    init(tick: Double) throws(PollerBackend.Failure) {
        backend = try PollerBackend()
        tickMilliseconds = Int32(max(5, min(500, tick * 1000)))
    }

    deinit { backend.close() }

    func start(name: String) {
        let t = Thread { [self] in run() }
        t.name = name
        t.stackSize = 256 * 1024
        thread = t
        t.start()
    }

    /// Waits until `fd` is ready for `interest`, `deadline` (monotonic
    /// nanoseconds, 0 for none) passes, or the wait is cancelled.
    func wait(_ fd: Int32, for interest: Interest, deadline: UInt64, kind: WaitKind) async -> WaitResult {
        await withUnsafeContinuation { continuation in
            let refused: Bool = state.withLock { s in
                if s.allCancelled || (kind == .idle && s.idleCancelled) { return true }
                s.waiters[fd] = Waiter(continuation: continuation, deadline: deadline, kind: kind)
                return false
            }
            if refused { continuation.resume(returning: .cancelled); return }
            if !backend.arm(fd, interest) {
                let waiter = state.withLock { $0.waiters.removeValue(forKey: fd) }
                waiter?.continuation.resume(returning: .ready)  // the read/write will report the error
            }
        }
    }

    /// Resumes every idle waiter with `.cancelled`, and refuses later idle waits.
    func cancelIdle() {
        let woken: [Waiter] = state.withLock { s in
            s.idleCancelled = true
            let idle = s.waiters.filter { $0.value.kind == .idle }
            for fd in idle.keys { s.waiters.removeValue(forKey: fd) }
            return Array(idle.values)
        }
        for w in woken { w.continuation.resume(returning: .cancelled) }
    }

    /// Resumes every waiter with `.cancelled`, and refuses every later wait.
    func cancelAll() {
        let woken: [Waiter] = state.withLock { s in
            s.idleCancelled = true
            s.allCancelled = true
            let all = Array(s.waiters.values)
            s.waiters.removeAll()
            return all
        }
        for w in woken { w.continuation.resume(returning: .cancelled) }
    }

    /// Ends the poller thread after cancelling every waiter.
    func stop() {
        cancelAll()
        state.withLock { $0.stopped = true }
        backend.wake()
    }

    private func run() {
        var ready: [Int32] = []
        ready.reserveCapacity(256)
        var nextSweep = MonotonicClock.now() + UInt64(tickMilliseconds) * 1_000_000
        while true {
            ready.removeAll(keepingCapacity: true)
            backend.poll(timeoutMilliseconds: tickMilliseconds, into: &ready)
            if state.withLock({ $0.stopped }) { return }
            if !ready.isEmpty {
                var woken: [UnsafeContinuation<WaitResult, Never>] = []
                state.withLock { s in
                    for fd in ready {
                        if let w = s.waiters.removeValue(forKey: fd) { woken.append(w.continuation) }
                    }
                }
                for c in woken { c.resume(returning: .ready) }
            }
            let now = MonotonicClock.now()
            if now >= nextSweep {
                nextSweep = now + UInt64(tickMilliseconds) * 1_000_000
                let expired: [UnsafeContinuation<WaitResult, Never>] = state.withLock { s in
                    let late = s.waiters.filter { $0.value.deadline != 0 && $0.value.deadline <= now }
                    for fd in late.keys { s.waiters.removeValue(forKey: fd) }
                    return late.values.map(\.continuation)
                }
                for c in expired { c.resume(returning: .timedOut) }
            }
        }
    }
}

/// Monotonic time in nanoseconds, immune to wall-clock changes.
enum MonotonicClock {
    @inline(__always)
    static func now() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
    }

    /// `now()` plus `seconds`, or 0 (no deadline) when `seconds` is not positive.
    static func deadline(after seconds: Double) -> UInt64 {
        seconds > 0 ? now() + UInt64(seconds * 1_000_000_000) : 0
    }
}
