#if canImport(Glibc)
import Glibc
import CLinux
#elseif canImport(Darwin)
import Darwin
#endif

/// Starting a program, per platform. Either way the child leads its own
/// process group (so a timeout kills everything it started), has an empty
/// signal mask with SIGPIPE/SIGINT/SIGTERM at their defaults, gets exactly the
/// given standard streams and inherits no other descriptor.
///
/// Linux: vfork and exec in a small C helper that also sets `PR_SET_PDEATHSIG`
/// (SIGKILL), so the program dies with the worker even when the worker is
/// killed with SIGKILL. The kernel sends that signal when the *thread* that
/// started the child ends, so `start` must run on `SpawnThread`, which never
/// ends (`ProcessCommandRunner` sees to it).
/// Darwin: `posix_spawn` (there is no parent-death signal); groups left by a
/// killed worker are ended at the next start from `ProcessGroupRecord`.
enum PlatformSpawn {
    /// Why a start failed: the working directory, or anything else (errno).
    enum Failure: Error {
        case workingDirectory(Int32)
        case other(Int32)
    }

    static func start(program: String, argv: [String], environment: [String], standardInput: Int32,
                      standardOutput: Int32, standardError: Int32, workingDirectory: String?) throws(Failure) -> pid_t {
        #if canImport(Glibc)
        var pid: pid_t = 0, stage: Int32 = 0
        let status = withCStrings(argv) { argv in
            withCStrings(environment) { envp in
                clinux_spawn_dying_with_parent(&pid, &stage, program, argv, envp, standardInput,
                                               standardOutput, standardError, workingDirectory)
            }
        }
        guard status == 0 else {
            throw stage == Int32(CLINUX_SPAWN_CHDIR) ? .workingDirectory(status) : .other(status)
        }
        return pid
        #else
        var actions: posix_spawn_file_actions_t?
        var attributes: posix_spawnattr_t?
        posix_spawn_file_actions_init(&actions)
        posix_spawnattr_init(&attributes)
        defer {
            posix_spawn_file_actions_destroy(&actions)
            posix_spawnattr_destroy(&attributes)
        }
        if standardInput >= 0 { posix_spawn_file_actions_adddup2(&actions, standardInput, 0) }
        posix_spawn_file_actions_adddup2(&actions, standardOutput, 1)
        posix_spawn_file_actions_adddup2(&actions, standardError, 2)
        if let dir = workingDirectory {
            let r = posix_spawn_file_actions_addchdir_np(&actions, dir)
            guard r == 0 else { throw .workingDirectory(r) }
        }
        posix_spawnattr_setpgroup(&attributes, 0)
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGPIPE)
        sigaddset(&defaults, SIGINT)
        sigaddset(&defaults, SIGTERM)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        // POSIX_SPAWN_CLOEXEC_DEFAULT closes everything not named in the file actions.
        let flags = Int32(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF) | Int32(POSIX_SPAWN_CLOEXEC_DEFAULT)
        posix_spawnattr_setflags(&attributes, Int16(flags))
        var pid: pid_t = 0
        let status = withCStrings(argv) { argv in
            withCStrings(environment) { envp in posix_spawn(&pid, program, &actions, &attributes, argv, envp) }
        }
        guard status == 0 else { throw .other(status) }
        return pid
        #endif
    }

    /// A pipe whose ends are close-on-exec from birth, so a program spawned by
    /// another thread at the same moment cannot inherit (and hold open) them.
    static func closeOnExecPipe(_ fds: inout [Int32]) -> Int32 {
        #if canImport(Glibc)
        return clinux_pipe_cloexec(&fds)
        #else
        let r = pipe(&fds)
        if r == 0 {
            _ = fcntl(fds[0], F_SETFD, FD_CLOEXEC)
            _ = fcntl(fds[1], F_SETFD, FD_CLOEXEC)
        }
        return r
        #endif
    }
}

/// Calls `body` with a NULL-terminated C string array that lives for the call.
func withCStrings<R>(_ strings: [String], _ body: ([UnsafeMutablePointer<CChar>?]) -> R) -> R {
    let pointers = strings.map { strdup($0) } + [nil]
    defer { pointers.forEach { free($0) } }
    return body(pointers)
}
