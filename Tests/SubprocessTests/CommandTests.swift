import Testing
@testable import Subprocess

/// `Command` as a value: both initialisers describe the same argv, and its
/// description is a command line a shell would run unchanged.
@Suite struct CommandTests {
    @Test func bothFormsDescribeTheSameInvocation() {
        let probe = Command("kubectl", ["get", "pod"], timeout: 5, workingDirectory: "/tmp")
        #expect(probe == Command(["kubectl", "get", "pod"], workingDirectory: "/tmp", timeout: 5))
        #expect(probe.executable == "kubectl")
        #expect(probe.arguments == ["get", "pod"])
        #expect(probe.environment.isEmpty)
        #expect(Command("ps").timeout == 30, "probes: short default")
        #expect(Command(["yt-dlp"]).timeout == 600, "effects: long default")
    }

    @Test func descriptionQuotesOnlyWhatAShellWouldInterpret() {
        #expect(Command("launchctl", ["bootstrap", "gui/501", "/Users/x/Library/LaunchAgents/a.plist"]).description
                == "launchctl bootstrap gui/501 /Users/x/Library/LaunchAgents/a.plist")
        #expect(Command(["sh", "-c", "echo boom >&2; exit 7"]).description == "sh -c 'echo boom >&2; exit 7'")
        #expect(Command(["echo", "it's", "", "a*b", "$HOME"]).description == #"echo 'it'\''s' '' 'a*b' '$HOME'"#)
    }

    @Test func errorsNameTheCommandAndTheTailOfStderr() {
        let stderr = (1...7).map { "line \($0)" }.joined(separator: "\n")
        #expect(CommandError.failed(command: "git push", exitCode: 1, stderr: stderr).description
                == "`git push` exited with status 1: line 3\nline 4\nline 5\nline 6\nline 7")
        #expect(CommandError.timedOut(command: "sleep 9", seconds: 0.5).description == "`sleep 9` did not finish within 0.5 s and was killed")
        #expect(CommandError.launchFailed(command: "/x", reason: "Permission denied").description == "could not start `/x`: Permission denied")
    }
}
