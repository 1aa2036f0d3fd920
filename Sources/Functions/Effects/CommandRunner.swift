/// One external program invocation: argv, where, with what extra environment,
/// and how long it may take.
public struct Command: Sendable, Equatable {
    /// `argv[0]` is looked up on `PATH` when it has no slash.
    public var argv: [String]
    public var workingDirectory: String?
    /// Added to (and overriding) the worker's own environment.
    public var environment: [String: String]
    /// Seconds before the whole process group is killed and the run fails with `.timedOut`.
    public var timeout: Double

    public init(_ argv: [String], workingDirectory: String? = nil, environment: [String: String] = [:], timeout: Double = 600) {
        self.argv = argv
        self.workingDirectory = workingDirectory
        self.environment = environment
        self.timeout = timeout
    }

    /// The command line as a person would type it, for error messages and logs.
    public var display: String {
        argv.map { $0.contains(where: { " \"'$\\".contains($0) }) ? "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" : $0 }
            .joined(separator: " ")
    }
}

/// What a finished program left behind.
public struct CommandResult: Sendable, Equatable {
    /// The exit code, or 128 + signal number when a signal ended it (shell convention).
    public var exitCode: Int32
    public var stdout: [UInt8]
    public var stderr: [UInt8]

    public init(exitCode: Int32, stdout: [UInt8], stderr: [UInt8]) {
        self.exitCode = exitCode
        self.stdout = stdout
        self.stderr = stderr
    }

    public var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
    public var stderrText: String { String(decoding: stderr, as: UTF8.self) }
}

public enum CommandError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The program could not be started at all (not installed, not executable, bad directory).
    case launchFailed(command: String, reason: String)
    /// The deadline passed; the process group was killed.
    case timedOut(command: String, seconds: Double)
    /// The calling task was cancelled; the process group was killed.
    case cancelled(command: String)
    /// The program ran and exited non-zero (only from `runChecked`).
    case failed(command: String, exitCode: Int32, stderr: String)

    public var description: String {
        switch self {
        case .launchFailed(let c, let r): return "could not start `\(c)`: \(r)"
        case .timedOut(let c, let s): return "`\(c)` did not finish within \(s) s and was killed"
        case .cancelled(let c): return "`\(c)` was cancelled and killed"
        case .failed(let c, let code, let stderr):
            let tail = stderr.split(separator: "\n").suffix(5).joined(separator: "\n")
            return "`\(c)` exited with status \(code)" + (tail.isEmpty ? "" : ": \(tail)")
        }
    }
}

/// Runs external programs. The one real implementation is `ProcessCommandRunner`.
public protocol CommandRunner: Sendable {
    /// Runs to completion and returns the result whatever the exit code;
    /// throws only when the program could not run to completion.
    func run(_ command: Command) async throws -> CommandResult
}

extension CommandRunner {
    /// Runs and throws `CommandError.failed` (with the tail of stderr) on a non-zero exit.
    @discardableResult
    public func runChecked(_ command: Command) async throws -> CommandResult {
        let result = try await run(command)
        guard result.exitCode == 0 else {
            let stderr = result.stderrText.isEmpty ? result.stdoutText : result.stderrText
            throw CommandError.failed(command: command.display, exitCode: result.exitCode, stderr: stderr)
        }
        return result
    }
}
