import Foundation
import Support

/// Holds the queue items in memory ordered by due time and hands each to the
/// executor when it is due.
///
/// One dedicated thread waits on a condition variable: until the earliest due
/// time with the system clock, or until nudged (new work, a manual clock
/// advanced, a call finished). Items are dispatched as Swift tasks; at most
/// `maxInFlight` run at once and the rest wait their turn in the heap. The
/// durable copy of every item is in SQLite; this is only the fast index.
final class Scheduler: @unchecked Sendable {
    private let worker = ConditionThread(name: "engine-scheduler")
    private var condition: NSCondition { worker.condition }
    private var queue = DueQueue()
    private var inFlight = 0
    private let clock: any EngineClock
    private let maxInFlight: Int
    private let dispatch: @Sendable (QueueItem) async -> Void

    init(clock: any EngineClock, maxInFlight: Int, dispatch: @escaping @Sendable (QueueItem) async -> Void) {
        self.clock = clock
        self.maxInFlight = max(1, maxInFlight)
        self.dispatch = dispatch
        clock.onAdvance { [weak self] in self?.nudge() }
    }

    func start() { worker.start { [weak self] in self?.loop() } }

    func stop() { worker.stop() }

    func add(_ items: [QueueItem]) {
        guard !items.isEmpty else { return }
        condition.lock()
        for item in items { queue.insert(item) }
        condition.signal()
        condition.unlock()
    }

    func nudge() { worker.signal() }

    var pendingCount: Int { condition.lock(); defer { condition.unlock() }; return queue.count }

    /// Items dispatched and not yet finished.
    var inFlightCount: Int { condition.lock(); defer { condition.unlock() }; return inFlight }

    /// Whether an item is due now and how many are in flight, read together.
    var load: (hasDueWork: Bool, inFlight: Int) {
        condition.lock(); defer { condition.unlock() }
        return ((queue.earliestDueAt ?? .max) <= clock.nowMilliseconds(), inFlight)
    }

    private func loop() {
        condition.lock()
        while worker.isRunning {
            var due: [QueueItem] = []
            let now = clock.nowMilliseconds()
            while inFlight + due.count < maxInFlight, let item = queue.popDue(now: now) { due.append(item) }
            if !due.isEmpty {
                inFlight += due.count
                condition.unlock()
                for item in due {
                    Task { [dispatch] in
                        await dispatch(item)
                        self.finished()
                    }
                }
                condition.lock()
                continue
            }
            if inFlight >= maxInFlight || clock.isManual || queue.earliestDueAt == nil {
                condition.wait()
            } else if let next = queue.earliestDueAt {
                let seconds = Double(next - clock.nowMilliseconds()) / 1000
                if seconds > 0 { _ = condition.wait(until: Date(timeIntervalSinceNow: seconds)) }
            }
        }
        condition.unlock()
    }

    private func finished() {
        condition.lock()
        inFlight -= 1
        condition.signal()
        condition.unlock()
    }
}
