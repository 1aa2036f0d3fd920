import Subprocess
/// Asks a command-line agent (`pi -p --no-session`, `claude -p`, …): the
/// system prompt and the prompt, separated by a blank line, are the last
/// argument; the trimmed stdout is the answer. Arguments go to the program
/// directly (no shell), so prompt text is never interpreted; a text that
/// starts with `-` gets a leading space so no tool can take it for an option
/// (agents differ in whether they accept `--`).
public struct CommandLLMClient: LLMClient {
    let command: [String]
    let runner: any CommandRunner
    let timeout: Double

    public init(command: [String], runner: any CommandRunner, timeout: Double) {
        self.command = command
        self.runner = runner
        self.timeout = timeout
    }

    public func complete(_ request: LLMRequest) async throws -> String {
        let joined = [request.system, request.prompt].compactMap { $0 }.joined(separator: "\n\n")
        let text = joined.hasPrefix("-") ? " " + joined : joined
        let result: CommandResult
        do {
            result = try await runner.run(Command(command + [text], environment: ["TERM": "dumb", "NO_COLOR": "1"], timeout: timeout))
        } catch let error as CommandError {
            // Name the command without its (possibly huge) prompt argument.
            let name = Command(command).description
            switch error {
            case .notFound: throw LLMError.command("could not start `\(name)`: not found on PATH", missing: true)
            case .launchFailed(_, let reason): throw LLMError.command("could not start `\(name)`: \(reason)", missing: true)
            case .timedOut(_, let seconds): throw LLMError.command("`\(name)` did not answer within \(seconds) s", missing: false)
            case .cancelled: throw LLMError.command("`\(name)` was cancelled", missing: false)
            case .failed: throw LLMError.command(error.description, missing: false)
            }
        }
        guard result.exitCode == 0 else {
            throw LLMError.command(CommandError.failed(command: Command(command).description, exitCode: result.exitCode,
                                                       stderr: result.stderrText).description, missing: false)
        }
        let answer = result.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !answer.isEmpty else { throw LLMError.malformedResponse("\(Command(command).description) printed nothing") }
        return answer
    }
}
