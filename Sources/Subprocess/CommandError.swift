/// Why a program did not run to completion (or, from `runChecked`, did not succeed).
/// Commands are named by their `description`, so messages can be pasted into a shell.
public enum CommandError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The program name is on no directory of the runner's `PATH` (e.g.
    /// `launchctl` on Linux): a tool that is simply not installed here.
    case notFound(executable: String)
    /// The program could not be started (not executable, a path that does
    /// not exist, bad working directory).
    case launchFailed(command: String, reason: String)
    /// The deadline passed; the process group was killed.
    case timedOut(command: String, seconds: Double)
    /// The calling task was cancelled; the process group was killed.
    case cancelled(command: String)
    /// The program ran and exited non-zero (only from `runChecked`).
    case failed(command: String, exitCode: Int32, stderr: String)

    public var description: String {
        switch self {
        case .notFound(let name): return "\(name): command not found"
        case .launchFailed(let c, let r): return "could not start `\(c)`: \(r)"
        case .timedOut(let c, let s): return "`\(c)` did not finish within \(s) s and was killed"
        case .cancelled(let c): return "`\(c)` was cancelled and killed"
        case .failed(let c, let code, let stderr):
            let tail = stderr.split(separator: "\n").suffix(5).joined(separator: "\n")
            return "`\(c)` exited with status \(code)" + (tail.isEmpty ? "" : ": \(tail)")
        }
    }
}
