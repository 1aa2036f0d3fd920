/// Runs external programs. Every effect, health probe and `infra apply` step
/// that touches the system goes through this; the one real implementation is
/// `ProcessCommandRunner`, which tests point at recording scripts on `PATH`.
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
        guard result.succeeded else {
            let stderr = result.stderrText.isEmpty ? result.stdoutText : result.stderrText
            throw CommandError.failed(command: command.description, exitCode: result.exitCode, stderr: stderr)
        }
        return result
    }
}
