#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Support

/// An event loop: one thread that waits on epoll (Linux) or kqueue (Apple)
/// and also runs the tasks that prefer it as their executor.
///
/// A task calls `wait(_:for:deadline:kind:)`; the loop arms the descriptor
/// one-shot and resumes the task's continuation when the kernel reports it
/// ready, when its deadline passes (`.timedOut`, checked every `tick`), or
/// when the owner cancels its kind of wait (`.cancelled`, used by shutdown,
/// one kind at a time). The task then
/// does the read or write itself. Descriptors stay owned by their task: the
/// loop only arms them and never closes one.
///
/// As a `TaskExecutor`, the loop runs connection tasks on its own thread:
/// a continuation resumed by the loop is enqueued on the loop, so a request
/// is read, handled and answered without waking any other thread. Work
/// enqueued from other threads (a handler that awaited something elsewhere)
/// goes through a locked queue and wakes the loop.
final class EventPoller: @unchecked Sendable {
    enum Interest { case read, write }
    enum WaitResult { case ready, timedOut, cancelled }
    /// What a wait is for, so a graceful shutdown can cut each kind at its
    /// own step: first `accept` (a listener waiting for its next connection:
    /// the server stops taking connections), then `idle` (a kept-alive
    /// connection between requests), while `active` ones (a request being
    /// read or answered) may finish.
    enum WaitKind: CaseIterable { case accept, idle, active }

    private struct Waiter {
        var continuation: UnsafeContinuation<WaitResult, Never>
        var deadline: UInt64
        var kind: WaitKind
    }

    private struct State {
        private(set) var waiters: [Int32: Waiter] = [:]
        /// Waiters with a deadline; while there are none the loop sleeps
        /// without a timeout, so an idle process is not woken at all.
        private(set) var timedWaiters = 0
        var remoteJobs: [UnownedJob] = []
        var sleeping = false
        var sleepingIndefinitely = false
        /// Kinds whose waits were cancelled; later waits of them are refused.
        var cancelledKinds: Set<WaitKind> = []
        var stopped = false

        mutating func insert(_ waiter: Waiter, for fd: Int32) {
            if let old = waiters.updateValue(waiter, forKey: fd), old.deadline != 0 { timedWaiters -= 1 }
            if waiter.deadline != 0 { timedWaiters += 1 }
        }

        @discardableResult
        mutating func remove(_ fd: Int32) -> Waiter? {
            guard let w = waiters.removeValue(forKey: fd) else { return nil }
            if w.deadline != 0 { timedWaiters -= 1 }
            return w
        }
    }

    private let state = Locked(State())
    private let backend: PollerBackend
    private let tickMilliseconds: Int32
    /// Jobs enqueued from the loop thread itself; touched by that thread only.
    private var localJobs: [UnownedJob] = []

    /// The poller shared by every client in the process, started on first
    /// use. Servers have their own, so a server's shutdown never cancels a
    /// client's waits.
    static let shared: Result<EventPoller, PollerBackend.Failure> = {
        Result { () throws(PollerBackend.Failure) -> EventPoller in
            let poller = try EventPoller(tick: 0.05)
            poller.start(name: "http-client-loop")
            return poller
        }
    }()

    /// - Parameter tick: how often deadlines are checked, in seconds.
    init(tick: Double) throws(PollerBackend.Failure) {
        backend = try PollerBackend()
        tickMilliseconds = tick.isFinite ? Int32(max(5, min(500, tick * 1000))) : 250
        localJobs.reserveCapacity(64)
    }

    deinit { backend.close() }

    func start(name: String) {
        let t = Thread { [self] in run() }
        t.name = name
        t.stackSize = 8 << 20
        t.start()
    }

    /// Waits until `fd` is ready for `interest`, `deadline` (monotonic
    /// nanoseconds, 0 for none) passes, or the wait is cancelled.
    func wait(_ fd: Int32, for interest: Interest, deadline: UInt64, kind: WaitKind) async -> WaitResult {
        await withUnsafeContinuation { continuation in
            let (refused, wake): (Bool, Bool) = state.withLock { s in
                if s.cancelledKinds.contains(kind) { return (true, false) }
                s.insert(Waiter(continuation: continuation, deadline: deadline, kind: kind), for: fd)
                // A loop asleep without a timeout must start ticking for this deadline.
                let wake = deadline != 0 && s.sleeping && s.sleepingIndefinitely
                if wake { s.sleepingIndefinitely = false }
                return (false, wake)
            }
            if refused { continuation.resume(returning: .cancelled); return }
            if wake { backend.wake() }
            if !backend.arm(fd, interest) {
                let waiter = state.withLock { $0.remove(fd) }
                waiter?.continuation.resume(returning: .ready)  // the read or write reports the error
            }
        }
    }

    /// Resumes every waiter of `kind` with `.cancelled`, and refuses later
    /// waits of that kind (so a task between two waits cannot slip past).
    func cancel(_ kind: WaitKind) { cancel(kinds: [kind]) }

    /// Resumes every waiter with `.cancelled`, and refuses every later wait.
    func cancelAll() { cancel(kinds: Set(WaitKind.allCases)) }

    private func cancel(kinds: Set<WaitKind>) {
        let woken: [Waiter] = state.withLock { s in
            s.cancelledKinds.formUnion(kinds)
            let matching = s.waiters.filter { kinds.contains($0.value.kind) }
            for fd in matching.keys { s.remove(fd) }
            return Array(matching.values)
        }
        for w in woken { w.continuation.resume(returning: .cancelled) }
    }

    /// Cancels every waiter and ends the loop thread once its queued jobs ran.
    func stop() {
        cancelAll()
        state.withLock { $0.stopped = true }
        backend.wake()
    }

    // MARK: - Executor

    fileprivate func enqueueJob(_ job: UnownedJob) {
        if LoopIdentity.isCurrent(self) {
            localJobs.append(job)
            return
        }
        let wake: Bool = state.withLock { s in
            s.remoteJobs.append(job)
            defer { s.sleeping = false }
            return s.sleeping
        }
        if wake { backend.wake() }
    }

    // MARK: - Loop

    private func run() {
        LoopIdentity.mark(self)
        var ready: [Int32] = []
        ready.reserveCapacity(256)
        var woken: [UnsafeContinuation<WaitResult, Never>] = []
        woken.reserveCapacity(256)
        var running: [UnownedJob] = []
        running.reserveCapacity(64)
        let tickNanoseconds = UInt64(tickMilliseconds) * 1_000_000
        var nextSweep = MonotonicClock.now() + tickNanoseconds
        while true {
            // Run what is queued now; jobs they enqueue wait for the next
            // turn, so a task that keeps yielding cannot starve the I/O.
            swap(&running, &localJobs)
            for job in running { runJob(job) }
            running.removeAll(keepingCapacity: true)

            let (stopped, hasRemote, timeout) = state.withLock { s -> (Bool, Bool, Int32) in
                if !s.remoteJobs.isEmpty {
                    localJobs.append(contentsOf: s.remoteJobs)
                    s.remoteJobs.removeAll(keepingCapacity: true)
                    return (s.stopped, true, 0)
                }
                s.sleeping = localJobs.isEmpty
                s.sleepingIndefinitely = s.sleeping && s.timedWaiters == 0
                return (s.stopped, false, !s.sleeping ? 0 : s.sleepingIndefinitely ? -1 : tickMilliseconds)
            }
            if stopped && localJobs.isEmpty && !hasRemote { break }

            ready.removeAll(keepingCapacity: true)
            backend.poll(timeoutMilliseconds: timeout, into: &ready)
            let now = MonotonicClock.now()
            let sweep = now >= nextSweep
            if sweep { nextSweep = now + tickNanoseconds }
            var expired: [UnsafeContinuation<WaitResult, Never>] = []
            state.withLock { s in
                s.sleeping = false
                s.sleepingIndefinitely = false
                for fd in ready {
                    if let w = s.remove(fd) { woken.append(w.continuation) }
                }
                if sweep, s.timedWaiters > 0 {
                    for (fd, w) in s.waiters where w.deadline != 0 && w.deadline <= now {
                        s.remove(fd)
                        expired.append(w.continuation)
                    }
                }
            }
            for c in woken { c.resume(returning: .ready) }
            woken.removeAll(keepingCapacity: true)
            for c in expired { c.resume(returning: .timedOut) }
        }
        LoopIdentity.mark(nil)
    }

    private func runJob(_ job: UnownedJob) {
        // Jobs only arrive through `TaskExecutor.enqueue`, so where that is
        // unavailable (macOS 14) there is nothing to run.
        if #available(macOS 15.0, *) {
            job.runSynchronously(on: asUnownedTaskExecutor())
        }
    }
}

@available(macOS 15.0, *)
extension EventPoller: TaskExecutor {
    func enqueue(_ job: consuming ExecutorJob) {
        enqueueJob(UnownedJob(job))
    }
}

extension EventPoller {
    /// Starts `operation` as a task that runs on this loop where the
    /// platform supports task executors (Linux, macOS 15+), else on the
    /// global pool (the loop then only wakes it).
    func spawn(_ operation: sending @escaping @Sendable () async -> Void) {
        if #available(macOS 15.0, *) {
            Task(executorPreference: self, operation: operation)
        } else {
            Task(operation: operation)
        }
    }
}
