import Foundation
import Testing
@testable import Subprocess
import TestSupport

/// The one real runner, run against real programs: `sh`, scripts written to a
/// scratch directory, and a recording script put on the runner's own `PATH`.
@Suite struct ProcessCommandRunnerTests {
    let runner = ProcessCommandRunner()

    @Test func capturesOutputAndExitCode() async throws {
        let result = try await runner.run(Command(["sh", "-c", "printf out; printf err >&2; exit 3"]))
        #expect(result.exitCode == 3)
        #expect(result.stdoutText == "out")
        #expect(result.stderrText == "err")
    }

    /// With `outputFile`, output is on disk while the program still runs (it
    /// waits for the test to see its first line) and is kept when it is killed.
    @Test func outputFileIsWrittenAsTheProgramRunsAndKeptWhenItIsKilled() async throws {
        let dir = try TemporaryDirectory("subprocess-tests")
        var command = Command(["sh", "-c", "echo first; echo oops >&2; while [ ! -e \"$1\" ]; do sleep 0.05; done; echo second; sleep 30", "sh",
                               dir.file("seen")], timeout: 20)
        command.outputFile = dir.file("tool.out")
        let run = Task { try await runner.run(command) }
        #expect(await eventually { (dir.contents("tool.out") ?? "").contains("oops") }, "nothing streamed while running")
        #expect(dir.contents("tool.out")?.contains("first") == true)
        try dir.write("seen", "")
        _ = await eventually { (dir.contents("tool.out") ?? "").contains("second") }
        run.cancel()
        await #expect(throws: CommandError.self) { try await run.value }
        #expect(dir.contents("tool.out") == "first\noops\nsecond\n")
    }

    @Test func runsInTheWorkingDirectoryWithExtraEnvironment() async throws {
        let dir = try TemporaryDirectory("subprocess-tests")
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

    /// A bare name on no `PATH` directory is a tool not installed here (how
    /// probes tell "no launchctl on Linux" from a failure); a path that does
    /// not exist is a launch failure that says why.
    @Test func missingProgramIsNotFoundAndMissingPathIsALaunchFailure() async throws {
        await #expect(throws: CommandError.notFound(executable: "definitely-not-a-program-xyz")) {
            try await runner.run(Command(["definitely-not-a-program-xyz"]))
        }
        #expect(CommandError.notFound(executable: "launchctl").description == "launchctl: command not found")
        await #expect(throws: CommandError.launchFailed(command: "/nonexistent/pi -p", reason: "No such file or directory")) {
            try await runner.run(Command(["/nonexistent/pi", "-p"]))
        }
        await #expect(throws: CommandError.launchFailed(command: "true", reason: "working directory /nonexistent does not exist")) {
            try await runner.run(Command(["true"], workingDirectory: "/nonexistent"))
        }
    }

    /// Programs are looked up on the runner's `PATH`, not the worker's, and
    /// children get exactly the runner's environment plus the command's own:
    /// this is how tests stand recording scripts in for `launchctl` or `docker`.
    @Test func looksUpProgramsOnTheRunnersPathAndPassesItsEnvironment() async throws {
        let bin = try TemporaryDirectory("subprocess-tests")
        let log = bin.file("calls")
        try bin.script("launchctl", #"echo "$*" >> '\#(log)'; echo "mode=$MODE extra=$EXTRA home=${HOME-unset}""#)
        let recording = ProcessCommandRunner(environment: ["PATH": bin.path + ":/usr/bin:/bin", "MODE": "test"])
        let result = try await recording.run(Command("launchctl", ["list", "com.example.w"], timeout: 10))
        #expect(result.succeeded)
        #expect(result.stdoutText == "mode=test extra= home=unset\n")
        #expect(try String(contentsOfFile: log, encoding: .utf8) == "list com.example.w\n")

        let overridden = try await recording.run(Command(["launchctl", "x"], environment: ["EXTRA": "1", "MODE": "cmd"]))
        #expect(overridden.stdoutText == "mode=cmd extra=1 home=unset\n")

        await #expect(throws: CommandError.notFound(executable: "launchctl")) {
            try await ProcessCommandRunner(environment: ["PATH": "/nonexistent"]).run(Command("launchctl", ["list"]))
        }
    }

    /// A script written a moment ago is run, not refused with ETXTBSY, even
    /// while other threads are spawning (a child forked meanwhile may briefly
    /// hold the file open for writing).
    @Test func freshlyWrittenScriptsRunWhileOthersSpawn() async throws {
        let dir = try TemporaryDirectory("subprocess-tests")
        try await withThrowingTaskGroup(of: String.self) { group in
            for i in 0..<8 {
                group.addTask {
                    let path = try dir.script("s\(i)", "echo \(i)")
                    return try await runner.runChecked(Command([path], timeout: 30)).stdoutText
                }
            }
            var outputs: [String] = []
            for try await output in group { outputs.append(output) }
            #expect(outputs.sorted() == (0..<8).map { "\($0)\n" }.sorted())
        }
    }

    @Test func nonZeroExitIsAResultAndSignalsFollowTheShellConvention() async throws {
        let failed = try await runner.run(Command("sh", ["-c", "exit 5"]))
        #expect(failed.exitCode == 5 && !failed.succeeded)
        let killed = try await runner.run(Command("sh", ["-c", "kill -TERM $$"]))
        #expect(killed.exitCode == 128 + SIGTERM)
    }

    /// Output beyond the limit is dropped, and the program still finishes.
    @Test func outputIsBoundedPerStream() async throws {
        let bounded = ProcessCommandRunner(outputLimit: 1000)
        let result = try await bounded.run(Command(["sh", "-c", "head -c 200000 /dev/zero; echo done >&2"]))
        #expect(result.exitCode == 0)
        #expect(result.stdout.count == 1000)
        #expect(result.stderrText == "done\n")
    }

    /// The timeout kills the whole group: the background `sleep` holding the
    /// pipe dies too (left alone it would outlive the test by ten minutes).
    /// How soon after its deadline the run ends is measured by bench/timeouts.
    @Test func timeoutKillsTheProcessGroup() async throws {
        let dir = try TemporaryDirectory("subprocess-tests")
        let marker = dir.path + "/grandchild.pid"
        let script = "sleep 600 & echo $! > \(marker); wait"
        await #expect(throws: CommandError.timedOut(command: Command(["sh", "-c", script]).description, seconds: 0.5)) {
            try await runner.run(Command(["sh", "-c", script], timeout: 0.5))
        }
        let pid = try #require(Int32(String(contentsOfFile: marker, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)))
        #expect(await hasEnded(pid), "the grandchild must be gone")
        if isRunning(pid) { kill(pid, SIGKILL) }
    }

    #if os(Linux)
    /// A descriptor someone opened without close-on-exec (a socket, a script
    /// being written) is not inherited by the programs the worker runs.
    @Test func childrenInheritOnlyTheirStandardStreams() async throws {
        let dir = try TemporaryDirectory("subprocess-tests")
        let leaked = open(dir.file("leak.txt"), O_CREAT | O_WRONLY, 0o644)
        defer { close(leaked) }
        #expect(leaked > 2)
        let result = try await runner.runChecked(Command(["sh", "-c", "ls /proc/$$/fd"]))
        #expect(result.stdoutText.split(separator: "\n").sorted() == ["0", "1", "2"])
    }
    #endif

    /// Only the cancellation can end this run (the program sleeps ten
    /// minutes, its timeout is longer), so the test passes only if the
    /// cancellation killed it; it is cancelled once it is surely running.
    @Test(.timeLimit(.minutes(1))) func cancellationKillsTheProcess() async throws {
        let dir = try TemporaryDirectory("subprocess-tests")
        let command = Command(["sh", "-c", "echo $$ > \"$1\"; exec sleep 600", "sh", dir.file("pid")], timeout: 1200)
        let task = Task { try await runner.run(command) }
        let pid = try #require(await firstValue { dir.contents("pid").flatMap { Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) } })
        task.cancel()
        await #expect(throws: CommandError.cancelled(command: command.description)) { try await task.value }
        #expect(await hasEnded(pid))
    }
}

/// True once `pid` is no longer running (see `eventually`).
func hasEnded(_ pid: Int32) async -> Bool {
    await eventually { !isRunning(pid) }
}

/// True while `pid` exists and is not a zombie (an orphan killed here may stay
/// a zombie until init reaps it; on Linux `/proc` tells the difference).
func isRunning(_ pid: Int32) -> Bool {
    guard kill(pid, 0) == 0 else { return false }
    guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8) else { return true }
    let afterName = stat.split(separator: ")").last ?? ""
    return afterName.trimmingCharacters(in: .whitespaces).first != "Z"
}
