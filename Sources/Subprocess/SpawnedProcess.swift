import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A child process (leader of its own process group) and the read ends of its
/// output pipes. Internal to `ProcessCommandRunner`; the platform-specific
/// parts are the spawn attributes and the pipe creation.
final class SpawnedProcess: @unchecked Sendable {
    let pid: pid_t
    private let stdoutFD: Int32
    private let stderrFD: Int32
    private let lock = NSLock()
    private var cancelled = false
    private var reaped = false
    private let grace: Double
    /// When SIGTERM went to the group; SIGKILL follows `grace` seconds later.
    private var terminatedAt: Date?

    private init(pid: pid_t, stdoutFD: Int32, stderrFD: Int32, grace: Double) {
        self.grace = grace
        self.pid = pid
        self.stdoutFD = stdoutFD
        self.stderrFD = stderrFD
    }

    /// The one spawn failure worth retrying (see `ProcessCommandRunner`).
    enum SpawnError: Error { case busy }

    /// Starts `program` (already resolved) with `command.argv` and exactly `environment`.
    static func spawn(_ command: Command, program: String, environment: [String: String]) throws -> SpawnedProcess {
        let out = try makePipe(command)
        let err = try makePipe(command)
        let devNull = open(command.standardInput ?? "/dev/null", O_RDONLY | O_CLOEXEC)
        if devNull < 0, let input = command.standardInput {
            close(out.read); close(out.write); close(err.read); close(err.write)
            throw CommandError.launchFailed(command: command.description, reason: "cannot open standard input \(input)")
        }
        defer {
            close(out.write); close(err.write)
            if devNull >= 0 { close(devNull) }
        }

        let pid: pid_t
        do {
            pid = try PlatformSpawn.start(program: program, argv: command.argv,
                                          environment: environment.map { "\($0.key)=\($0.value)" },
                                          standardInput: devNull, standardOutput: out.write, standardError: err.write,
                                          workingDirectory: command.workingDirectory)
        } catch {
            close(out.read); close(err.read)
            switch error {
            case .workingDirectory(let e):
                throw CommandError.launchFailed(command: command.description, reason: "cannot set working directory: \(String(cString: strerror(e)))")
            case .other(let e):
                if e == ETXTBSY { throw SpawnError.busy }
                throw CommandError.launchFailed(command: command.description, reason: String(cString: strerror(e)))
            }
        }
        return SpawnedProcess(pid: pid, stdoutFD: out.read, stderrFD: err.read, grace: max(0, command.terminationGrace))
    }

    /// Kills the whole group; the collecting thread notices and reports `.cancelled`.
    func cancel() {
        lock.lock()
        cancelled = true
        lock.unlock()
        stop()
    }

    /// SIGKILL to the group, or SIGTERM first when a grace period is set (the
    /// collecting loop sends SIGKILL once it has passed).
    private func stop() {
        guard grace > 0 else { signalGroup(SIGKILL); return }
        lock.lock()
        let first = terminatedAt == nil
        if first { terminatedAt = Date() }
        lock.unlock()
        if first { signalGroup(SIGTERM) }
    }

    /// Signals the group only while its leader is not yet reaped: until then
    /// the leader's pid, and so the group id, cannot belong to anyone else.
    /// The reap happens under the same lock, so no signal can reach a group
    /// id the system has since given to an unrelated program.
    private func signalGroup(_ signal: Int32) {
        lock.lock(); defer { lock.unlock() }
        if !reaped { kill(-pid, signal) }
    }

    /// True once a SIGTERM'd group has outlived its grace period.
    private var graceExpired: Bool {
        lock.lock(); defer { lock.unlock() }
        guard let at = terminatedAt else { return false }
        return Date().timeIntervalSince(at) >= grace
    }

    /// Reads both streams until EOF, enforcing the deadline, then reaps the
    /// child. With a `sink`, what arrives is written there at once (in
    /// arrival order) and the result's streams stay empty.
    func collect(timeout: Double, limit: Int, display: String, sink: Int32? = nil) throws -> CommandResult {
        defer { close(stdoutFD); close(stderrFD) }
        let deadline = Date().addingTimeInterval(timeout)
        var stdout = [UInt8](), stderr = [UInt8]()
        var open: [Int32] = [stdoutFD, stderrFD]
        var exitStatus: Int32? = nil
        var timedOut = false
        var buffer = [UInt8](repeating: 0, count: 65536)

        var drainDeadline = Date.distantFuture
        while !open.isEmpty || exitStatus == nil {
            if exitStatus == nil, let status = reapIfExited() {
                exitStatus = status
                // A descendant that left the group (setsid) may still hold
                // them; its output is not worth hanging the step for.
                drainDeadline = Date().addingTimeInterval(2)
            }
            if exitStatus != nil, Date() > drainDeadline { break }
            let remaining = deadline.timeIntervalSinceNow
            if remaining <= 0, !timedOut, exitStatus == nil {
                timedOut = true
                stop()
            }
            if exitStatus == nil, graceExpired { signalGroup(SIGKILL) }
            if open.isEmpty {
                if exitStatus == nil { usleep(20_000) }
                continue
            }
            var fds = open.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
            let waitMs = Int32(max(1, min(100, remaining * 1000)))
            let ready = poll(&fds, nfds_t(fds.count), waitMs)
            if ready < 0 && errno != EINTR { break }
            for p in fds where p.revents != 0 {
                let n = read(p.fd, &buffer, buffer.count)
                if n > 0, let sink {
                    var written = 0
                    while written < n {
                        let w = buffer.withUnsafeBytes { write(sink, $0.baseAddress! + written, n - written) }
                        if w > 0 { written += w } else if w < 0 && errno == EINTR { continue } else { break }
                    }
                } else if n > 0 {
                    if p.fd == stdoutFD {
                        if stdout.count < limit { stdout.append(contentsOf: buffer[0..<min(n, limit - stdout.count)]) }
                    } else if stderr.count < limit {
                        stderr.append(contentsOf: buffer[0..<min(n, limit - stderr.count)])
                    }
                } else if n == 0 || (errno != EINTR && errno != EAGAIN) {
                    open.removeAll { $0 == p.fd }
                }
            }
        }
        lock.lock()
        let wasCancelled = cancelled
        lock.unlock()
        if wasCancelled { throw CommandError.cancelled(command: display) }
        if timedOut { throw CommandError.timedOut(command: display, seconds: timeout) }
        return CommandResult(exitCode: exitStatus ?? -1, stdout: stdout, stderr: stderr)
    }

    /// Non-blocking reap; returns the shell-style exit code once the child is gone.
    /// The exit is first observed without reaping (`WNOWAIT`): while the leader
    /// is a zombie, stragglers left in its group (holding our pipes) are killed
    /// with no risk of the group id having been reused; then it is reaped.
    private func reapIfExited() -> Int32? {
        var info = siginfo_t()
        let r = waitid(P_PID, id_t(pid), &info, WEXITED | WNOHANG | WNOWAIT)
        // ECHILD: something else in the process reaped our child (a SIGCHLD
        // set to SIG_IGN, a waitpid(-1)); it is gone, its status unknowable.
        if r == -1 && errno == ECHILD {
            lock.lock()
            reaped = true
            lock.unlock()
            return -1
        }
        #if canImport(Glibc)
        let exited = info._sifields._sigchld.si_pid
        #else
        let exited = info.si_pid
        #endif
        guard r == 0, exited == pid else { return nil }
        lock.lock()
        kill(-pid, SIGKILL)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        reaped = true
        lock.unlock()
        let signal = status & 0x7f
        return signal == 0 ? (status >> 8) & 0xff : 128 + signal
    }

    private static func makePipe(_ command: Command) throws -> (read: Int32, write: Int32) {
        var fds: [Int32] = [0, 0]
        let r = PlatformSpawn.closeOnExecPipe(&fds)
        guard r == 0 else {
            throw CommandError.launchFailed(command: command.description, reason: "pipe: \(String(cString: strerror(errno)))")
        }
        return (fds[0], fds[1])
    }
}
