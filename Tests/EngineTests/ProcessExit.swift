import Foundation

extension Process {
    /// Waits for the process to end on a thread of its own: `waitUntilExit`
    /// blocks its caller, and an async test must not hold one of the few
    /// threads of Swift's concurrency pool that every other test shares.
    func exited() async {
        nonisolated(unsafe) let process = self
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            Thread {
                process.waitUntilExit()
                done.resume()
            }.start()
        }
    }
}
