import Foundation

/// Lets callers await a run's end without polling: the executor reports every
/// finished run id here after commit.
final class RunFinishNotifier: @unchecked Sendable {
    private let lock = NSLock()
    private var waiters: [String: [CheckedContinuation<Bool, Never>]] = [:]

    func finished(_ runID: String) {
        let list = lock.withLock { waiters.removeValue(forKey: runID) ?? [] }
        list.forEach { $0.resume(returning: true) }
    }

    /// Waits for `runID`; `alreadyDone` is re-checked after registering to close the race.
    func wait(for runID: String, timeout: Double, alreadyDone: @escaping @Sendable () -> Bool) async -> Bool {
        await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
            lock.withLock { waiters[runID, default: []].append(continuation) }
            if alreadyDone() { finished(runID); return }
            Task {
                try? await Task.sleep(nanoseconds: UInt64(max(0, timeout) * 1_000_000_000))
                self.timeOut(runID, continuation)
            }
        }
    }

    private func timeOut(_ runID: String, _ continuation: CheckedContinuation<Bool, Never>) {
        // Resume only if still waiting (finished() may have resumed it already).
        let removed: Bool = lock.withLock {
            guard var list = waiters[runID] else { return false }
            let before = list.count
            list.removeAll { "\($0)" == "\(continuation)" }
            waiters[runID] = list.isEmpty ? nil : list
            return list.count < before
        }
        if removed { continuation.resume(returning: false) }
    }
}
