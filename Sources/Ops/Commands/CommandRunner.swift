/// A program to run: an executable name (looked up on the runner's `PATH`) or
/// an absolute path, its arguments, and how long it may take.
public struct Command: Sendable, Equatable, CustomStringConvertible {
    public var executable: String
    public var arguments: [String]
    /// Seconds before the process is killed and `CommandError.timedOut` thrown.
    public var timeout: Double
    /// Directory to run in; `nil` inherits the runner's.
    public var workingDirectory: String?

    public init(_ executable: String, _ arguments: [String] = [], timeout: Double = 30, workingDirectory: String? = nil) {
        self.executable = executable
        self.arguments = arguments
        self.timeout = timeout
        self.workingDirectory = workingDirectory
    }

    /// The command line as a person would type it (for plans and errors).
    public var description: String {
        ([executable] + arguments).map(Command.shellQuoted).joined(separator: " ")
    }

    static func shellQuoted(_ word: String) -> String {
        let plain = !word.isEmpty && word.unicodeScalars.allSatisfy { c in
            (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || (c >= "0" && c <= "9") || "-_./=:@%+,".unicodeScalars.contains(c)
        }
        return plain ? word : "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}

/// What a finished command printed and how it exited.
public struct CommandResult: Sendable, Equatable {
    public var exitCode: Int32
    public var stdout: String
    public var stderr: String

    public init(exitCode: Int32, stdout: String = "", stderr: String = "") {
        self.exitCode = exitCode
        self.stdout = stdout
        self.stderr = stderr
    }

    public var succeeded: Bool { exitCode == 0 }
}

public enum CommandError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The executable is not on `PATH` (e.g. `launchctl` on Linux).
    case notFound(String)
    case timedOut(Command)
    case launchFailed(Command, String)

    public var description: String {
        switch self {
        case .notFound(let name): return "\(name): command not found"
        case .timedOut(let c): return "\(c) did not finish within \(c.timeout)s"
        case .launchFailed(let c, let why): return "could not start \(c): \(why)"
        }
    }
}

/// Runs external commands. Every check and every `infra apply` step that
/// touches the system goes through this, so tests can put recording scripts
/// on the `PATH` the one real implementation (`ProcessCommandRunner`) uses.
public protocol CommandRunner: Sendable {
    /// Runs `command` to completion. A non-zero exit is a result, not an error.
    func run(_ command: Command) async throws -> CommandResult
}
