import Subprocess

/// Runs a project's configured checks in a worktree and reports exit codes
/// and parsed test counts. A check that cannot start or times out counts as
/// failed with the reason as its output.
public struct ChecksRunner: Sendable {
    let runner: any CommandRunner
    let timeout: Double

    public init(runner: any CommandRunner, timeout: Double) {
        self.runner = runner
        self.timeout = timeout
    }

    public func run(_ checks: [CheckCommand], in workDir: String) async -> CheckReport {
        var results: [CheckReport.Result] = []
        var passed = 0, failed = 0
        for check in checks {
            let command = Command(check.argv, workingDirectory: workDir, timeout: timeout)
            var exitCode: Int32?
            var output: String
            do {
                let r = try await runner.run(command)
                exitCode = r.exitCode
                output = r.stdoutText + r.stderrText
            } catch {
                output = "\(error)"
            }
            if check.kind == .test {
                let counts = TestCounts.parse(output)
                passed += counts?.passed ?? 0
                failed += counts?.failed ?? (exitCode == 0 ? 0 : 1)
            }
            results.append(CheckReport.Result(kind: check.kind, command: command.description, exitCode: exitCode,
                                              output: String(output.suffix(5000))))
        }
        return CheckReport(results: results, testsPassed: passed, testsFailed: failed)
    }
}
