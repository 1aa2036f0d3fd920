import Foundation

/// A one-shot signal between a test and a handler: `wait()` suspends until
/// `open()`; opening first makes waits return at once.
final class Gate: @unchecked Sendable {
    private let lock = NSLock()
    private var opened = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    func open() {
        lock.lock()
        opened = true
        let w = waiters
        waiters = []
        lock.unlock()
        for c in w { c.resume() }
    }

    func wait() async {
        await withCheckedContinuation { c in
            lock.lock()
            if opened { lock.unlock(); c.resume(); return }
            waiters.append(c)
            lock.unlock()
        }
    }
}

/// Open descriptors of this process (Linux), to prove nothing leaks.
func openDescriptorCount() -> Int {
    (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").count) ?? -1
}
