#if canImport(Glibc)
import Foundation

/// The one thread that forks every child on Linux. A child's parent-death
/// signal fires when the thread that forked it ends, not the process; the
/// Swift concurrency and Dispatch pools retire idle threads, which would kill
/// a long download midway. This thread is started once and never ends.
final class SpawnThread: @unchecked Sendable {
    static let shared = SpawnThread()

    private let condition = NSCondition()
    private var job: (() -> Void)?

    private init() {
        let thread = Thread { [unowned self] in self.loop() }
        thread.name = "subprocess-spawn"
        thread.start()
    }

    /// Runs `body` on the spawn thread and returns its result; one caller at a time.
    func perform<R>(_ body: () -> R) -> R {
        withoutActuallyEscaping(body) { body in
            let box = ResultBox<R>()
            condition.lock()
            while job != nil { condition.wait() }
            job = { box.value = body() }
            condition.broadcast()
            while box.value == nil { condition.wait() }
            condition.unlock()
            return box.value!
        }
    }

    private func loop() {
        condition.lock()
        while true {
            while job == nil { condition.wait() }
            let next = job!
            next()
            job = nil
            condition.broadcast()
        }
    }
}

private final class ResultBox<R>: @unchecked Sendable {
    var value: R?
}
#endif
