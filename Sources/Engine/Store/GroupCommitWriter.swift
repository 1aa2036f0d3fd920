import Foundation
import Support
import SQLite

/// Runs write transactions on one thread and commits them in groups.
///
/// Every state change is still its own unit (a savepoint that rolls back
/// alone if it throws), but all changes queued while the previous commit was
/// syncing to disk share the next commit — one fsync for many runs. With
/// `synchronous=FULL` the fsync is the cost of a commit, so under load this
/// multiplies throughput without weakening durability: no caller is resumed
/// (and no 200 is sent) before its change is on disk. An idle writer commits
/// a lone change at once, so latency does not grow.
final class GroupCommitWriter: @unchecked Sendable {
    private struct Job {
        let body: () throws -> Any
        let finish: (Result<Any, any Error>) -> Void
    }

    /// Carries a committed result back to the awaiting task. The value was produced
    /// on the writer thread and is only read by that one task afterwards.
    private final class Box: @unchecked Sendable {
        let value: Any
        init(_ value: Any) { self.value = value }
    }

    private let db: SQLiteDatabase
    private let worker = ConditionThread(name: "engine-writer")
    private var condition: NSCondition { worker.condition }
    private var queue: [Job] = []
    /// Upper bound on changes per commit, so one commit never holds readers off for long.
    private let maxBatch: Int

    init(db: SQLiteDatabase, maxBatch: Int = 256) {
        self.db = db
        self.maxBatch = maxBatch
        worker.start { [weak self] in self?.loop() }
    }

    func stop() { worker.stop() }

    /// Runs `body` inside a transaction and returns once it is committed.
    func write<T>(_ body: @escaping () throws -> T) async throws -> T {
        let box: Box = try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Box, any Error>) in
            let job = Job(body: { try body() as Any }, finish: { outcome in
                switch outcome {
                case .success(let value): continuation.resume(returning: Box(value))
                case .failure(let error): continuation.resume(throwing: error)
                }
            })
            condition.lock()
            guard worker.isRunning else {
                condition.unlock()
                continuation.resume(throwing: EngineRegistrationError("engine is stopping"))
                return
            }
            queue.append(job)
            condition.signal()
            condition.unlock()
        }
        return box.value as! T
    }

    private func loop() {
        while true {
            condition.lock()
            while queue.isEmpty && worker.isRunning { condition.wait() }
            if queue.isEmpty && !worker.isRunning { condition.unlock(); return }
            let batch = Array(queue.prefix(maxBatch))
            queue.removeFirst(batch.count)
            condition.unlock()
            commit(batch)
        }
    }

    private func commit(_ batch: [Job]) {
        var outcomes: [Result<Any, any Error>] = []
        do {
            try db.transaction {
                for job in batch {
                    // A nested transaction is a savepoint: a failing change rolls back alone.
                    outcomes.append(Result { try db.transaction { try job.body() } })
                }
            }
        } catch {
            // The commit itself failed: nothing of the batch is durable.
            for job in batch { job.finish(.failure(error)) }
            return
        }
        for (job, outcome) in zip(batch, outcomes) { job.finish(outcome) }
    }
}
