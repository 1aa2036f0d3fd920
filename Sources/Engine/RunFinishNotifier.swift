import Foundation

/// Lets callers await a run's end without polling: the executor reports every
/// finished run id here after commit.
final class RunFinishNotifier: @unchecked Sendable {
    private let lock = NSLock()
    private var nextToken = 0
    private var waiters: [String: [(token: Int, continuation: CheckedContinuation<Bool, Never>)]] = [:]

    func finished(_ runID: String) {
        let list = lock.withLock { waiters.removeValue(forKey: runID) ?? [] }
        list.forEach { $0.continuation.resume(returning: true) }
    }

    /// Waits for `runID`; `alreadyDone` is re-checked after registering to close the race.
    func wait(for runID: String, timeout: Double, alreadyDone: @escaping @Sendable () -> Bool) async -> Bool {
        await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
            let token = lock.withLock { () -> Int in
                nextToken += 1
                waiters[runID, default: []].append((nextToken, continuation))
                return nextToken
            }
            if alreadyDone() { finished(runID); return }
            Task {
                try? await Task.sleep(nanoseconds: UInt64(max(0, timeout) * 1_000_000_000))
                self.timeOut(runID, token)
            }
        }
    }

    private func timeOut(_ runID: String, _ token: Int) {
        let waiter: CheckedContinuation<Bool, Never>? = lock.withLock {
            guard var list = waiters[runID], let index = list.firstIndex(where: { $0.token == token }) else { return nil }
            let removed = list.remove(at: index)
            waiters[runID] = list.isEmpty ? nil : list
            return removed.continuation
        }
        waiter?.resume(returning: false)
    }
}
