import Foundation
import Testing
@testable import Functions

@Suite struct CommandRunnerTests {
    let runner = ProcessCommandRunner()

    @Test func capturesOutputAndExitCode() async throws {
        let result = try await runner.run(Command(["sh", "-c", "printf out; printf err >&2; exit 3"]))
        #expect(result.exitCode == 3)
        #expect(result.stdoutText == "out")
        #expect(result.stderrText == "err")
    }

    @Test func runsInTheWorkingDirectoryWithExtraEnvironment() async throws {
        let dir = try TemporaryDirectory()
        let result = try await runner.runChecked(Command(["sh", "-c", "pwd; echo $GREETING"], workingDirectory: dir.path,
                                                         environment: ["GREETING": "hello"]))
        let lines = result.stdoutText.split(separator: "\n")
        #expect(URL(fileURLWithPath: String(lines[0])).resolvingSymlinksInPath().path
                == URL(fileURLWithPath: dir.path).resolvingSymlinksInPath().path)
        #expect(lines[1] == "hello")
    }

    @Test func checkedRunReportsStatusAndStderr() async throws {
        await #expect(throws: CommandError.failed(command: "sh -c 'echo boom >&2; exit 7'", exitCode: 7, stderr: "boom\n")) {
            try await runner.runChecked(Command(["sh", "-c", "echo boom >&2; exit 7"]))
        }
    }

    @Test func missingProgramIsALaunchFailure() async throws {
        await #expect {
            try await runner.run(Command(["definitely-not-a-program-xyz"]))
        } throws: { error in
            guard case CommandError.launchFailed(let c, _) = error else { return false }
            return c == "definitely-not-a-program-xyz"
        }
    }

    /// The timeout kills the whole group: the background `sleep` holding the
    /// pipe dies too, so the run ends promptly instead of after 30 s.
    @Test func timeoutKillsTheProcessGroup() async throws {
        let dir = try TemporaryDirectory()
        let marker = dir.path + "/grandchild.pid"
        let script = "sleep 30 & echo $! > \(marker); wait"
        let started = Date()
        await #expect(throws: CommandError.timedOut(command: Command(["sh", "-c", script]).display, seconds: 0.5)) {
            try await runner.run(Command(["sh", "-c", script], timeout: 0.5))
        }
        #expect(Date().timeIntervalSince(started) < 10)
        let pid = try #require(Int32(String(contentsOfFile: marker, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)))
        try await Task.sleep(nanoseconds: 100_000_000)
        #expect(!isRunning(pid), "the grandchild must be gone")
    }

    #if os(Linux)
    /// A descriptor someone opened without close-on-exec (a socket, a script
    /// being written) is not inherited by the programs the worker runs.
    @Test func childrenInheritOnlyTheirStandardStreams() async throws {
        let dir = try TemporaryDirectory()
        let leaked = open(dir.file("leak.txt"), O_CREAT | O_WRONLY, 0o644)
        defer { close(leaked) }
        #expect(leaked > 2)
        let result = try await runner.runChecked(Command(["sh", "-c", "ls /proc/$$/fd"]))
        #expect(result.stdoutText.split(separator: "\n").sorted() == ["0", "1", "2"])
    }
    #endif

    @Test func cancellationKillsTheProcess() async throws {
        let started = Date()
        let task = Task { try await runner.run(Command(["sleep", "30"], timeout: 60)) }
        try await Task.sleep(nanoseconds: 200_000_000)
        task.cancel()
        await #expect(throws: CommandError.cancelled(command: "sleep 30")) { try await task.value }
        #expect(Date().timeIntervalSince(started) < 10)
    }
}

/// True while `pid` exists and is not a zombie (an orphan killed here may stay
/// a zombie until init reaps it; on Linux `/proc` tells the difference).
func isRunning(_ pid: Int32) -> Bool {
    guard kill(pid, 0) == 0 else { return false }
    guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8) else { return true }
    let afterName = stat.split(separator: ")").last ?? ""
    return afterName.trimmingCharacters(in: .whitespaces).first != "Z"
}
