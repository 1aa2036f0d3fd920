import Foundation
import HTTP
import Subprocess
import Ops

/// A `TextOutput` that keeps what was written, posing as a terminal or a pipe.
final class CapturedOutput: TextOutput, @unchecked Sendable {
    private let lock = NSLock()
    private var buffer = ""
    let isTerminal: Bool

    init(terminal: Bool = false) { isTerminal = terminal }

    func write(_ text: String) {
        lock.lock()
        buffer += text
        lock.unlock()
    }

    var text: String {
        lock.lock()
        defer { lock.unlock() }
        return buffer
    }
}

/// Runs `joelclaw` in-process with captured output and an explicit environment.
struct CLIHarness {
    var environment: [String: String]
    var terminal = false
    var workingDirectory = FileManager.default.temporaryDirectory.path

    struct Outcome {
        var code: ExitCode
        var stdout: String
        var stderr: String
    }

    func run(_ arguments: [String]) async -> Outcome {
        let out = CapturedOutput(terminal: terminal), err = CapturedOutput(terminal: terminal)
        let context = CLIContext(environment: environment, stdout: out, stderr: err, http: SocketHTTPClient(),
                                 commands: ProcessCommandRunner(environment: environment), workingDirectory: workingDirectory)
        let code = await Joelclaw.main(arguments, context: context)
        return Outcome(code: code, stdout: out.text, stderr: err.text)
    }
}
