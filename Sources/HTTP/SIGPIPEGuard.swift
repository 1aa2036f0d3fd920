#if canImport(Glibc)
import Glibc

/// Runs an OpenSSL call with SIGPIPE blocked on the calling thread, and
/// swallows the SIGPIPE it raised, if any.
///
/// OpenSSL writes to its socket with `write(2)`, not `send(MSG_NOSIGNAL)`,
/// and Linux has no per-socket `SO_NOSIGPIPE`: a server that went away would
/// otherwise kill a process that never chose to ignore SIGPIPE (the CLI, the
/// test runner). Blocking it per call keeps the library from changing the
/// process's signal dispositions. No await happens inside, so the mask
/// change never leaks to another task on the same thread.
enum SIGPIPEGuard {
    static func run<T>(_ body: () -> T) -> T {
        var pipeOnly = sigset_t()
        sigemptyset(&pipeOnly)
        sigaddset(&pipeOnly, SIGPIPE)
        var previous = sigset_t()
        pthread_sigmask(SIG_BLOCK, &pipeOnly, &previous)
        let result = body()
        if sigismember(&previous, SIGPIPE) == 0 {
            var pending = sigset_t()
            sigpending(&pending)
            if sigismember(&pending, SIGPIPE) == 1 {
                var now = timespec()
                _ = sigtimedwait(&pipeOnly, nil, &now)
            }
            pthread_sigmask(SIG_SETMASK, &previous, nil)
        }
        return result
    }
}
#endif
