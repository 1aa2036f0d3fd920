#if canImport(Glibc)
import Foundation

/// The one thread that starts every child on Linux. A child's parent-death
/// signal fires when the thread that started it ends, not the process; the
/// Swift concurrency and Dispatch pools retire idle threads, which would kill
/// a long download midway. This thread is started once and never ends.
///
/// Callers await their turn without holding a thread of the concurrency pool
/// (it has one per core; blocking them while spawns queue would stall every
/// task in the process).
final class SpawnThread: @unchecked Sendable {
    static let shared = SpawnThread()

    private let condition = NSCondition()
    private var jobs: [() -> Void] = []

    private init() {
        let thread = Thread { [unowned self] in self.loop() }
        thread.name = "subprocess-spawn"
        thread.start()
    }

    /// Runs `body` on the spawn thread, jobs in arrival order.
    func run<R: Sendable>(_ body: @escaping @Sendable () throws -> R) async throws -> R {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<R, Error>) in
            condition.lock()
            jobs.append { continuation.resume(with: Result { try body() }) }
            condition.signal()
            condition.unlock()
        }
    }

    private func loop() {
        while true {
            condition.lock()
            while jobs.isEmpty { condition.wait() }
            let job = jobs.removeFirst()
            condition.unlock()
            job()
        }
    }
}
#endif
