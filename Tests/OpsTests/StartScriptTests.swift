import Foundation
import Subprocess
import JSON
import Testing
import TestSupport
@testable import Ops

/// start.sh run for real (bash), pointed at a fake worker that exits at once,
/// as launchd would run it again and again.
@Suite struct StartScriptTests {
    let dir: TemporaryDirectory
    let events: ScriptedTCPServer

    init() throws {
        dir = try TemporaryDirectory()
        events = try ScriptedTCPServer(.http(status: 200, body: #"{"ids":["01TEST"],"status":200}"#))
        try dir.write("fake-worker", "#!/bin/sh\necho \"ran $*\" >> '\(dir.path)/worker-runs'\nexit 1\n", executable: true)
    }

    func environment(_ extra: [String: String] = [:]) -> [String: String] {
        [
            "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
            "HOME": dir.path,
            "JOELCLAW_STATE_DIR": "\(dir.path)/state",
            "JOELCLAW_SYSTEM_LOG": "\(dir.path)/vault/system/system-log.jsonl",
            "JOELCLAW_WORKER_BIN": "\(dir.path)/fake-worker",
            "JOELCLAW_CRASH_LOOP_STARTS": "3",
            "JOELCLAW_CRASH_LOOP_WINDOW": "60",
            "JOELCLAW_CRASH_LOOP_BACKOFF": "1",
            "INNGEST_EVENT_API_BASE_URL": "http://127.0.0.1:\(events.port)",
            "INNGEST_EVENT_KEY": "test-key",
        ].merging(extra) { $1 }
    }

    func start(_ env: [String: String], _ args: [String] = []) async throws -> (CommandResult, Double) {
        let runner = ProcessCommandRunner(environment: env)
        let begin = Date()
        let r = try await runner.run(Command("bash", ["\(Repository.root)/start.sh"] + args, timeout: 30))
        return (r, Date().timeIntervalSince(begin))
    }

    var workerRuns: [String] { dir.contents("worker-runs")?.split(separator: "\n").map(String.init) ?? [] }
    var logLines: [JSON] {
        (dir.contents("vault/system/system-log.jsonl") ?? "").split(separator: "\n").compactMap { try? JSON(parsing: String($0)) }
    }

    @Test func detectsACrashLoopLogsAlertsAndBacksOff() async throws {
        defer { events.stop() }
        let env = environment()
        for _ in 0..<3 {
            let (r, _) = try await start(env, ["--port", "0"])
            #expect(r.exitCode == 1, "the worker's own exit status passes through")
        }
        #expect(workerRuns == ["ran --port 0", "ran --port 0", "ran --port 0"])
        #expect(logLines.isEmpty)
        #expect(events.requests.isEmpty)

        // The fourth start inside the window is a crash loop.
        let (r, seconds) = try await start(env)
        #expect(r.stderrText.contains("crash loop: 4 starts in 60s; backing off 1s"))
        #expect(seconds >= 1.0, "backed off before starting again")
        #expect(workerRuns.count == 4, "the worker is still started after the back-off")
        let entry = try #require(logLines.first)
        #expect(entry.objectValue?.keys == ["timestamp", "action", "tool", "detail", "reason"])
        #expect(entry["action"] == "crash-loop")
        #expect(entry["tool"] == "worker")
        #expect(entry["reason"] == "start.sh")
        #expect(entry["detail"] == "crash loop: 4 starts in 60s; backing off 1s")
        let alert = try #require(events.requests.first)
        #expect(alert.hasPrefix("POST /e/test-key HTTP/1.1"))
        let body = try JSON(parsing: String(alert[alert.range(of: "\r\n\r\n")!.upperBound...]))
        #expect(body["name"] == "system/health.degraded")
        #expect(body["data"]?["degraded"] == ["worker"])
        #expect(body["data"]?["reason"] == "crash-loop")

        // After backing off the count starts afresh: the next start is normal.
        let (next, _) = try await start(env)
        #expect(!next.stderrText.contains("crash loop") && !next.stderrText.contains("backing off"))
        #expect(logLines.count == 1)
    }

    @Test func startsOutsideTheWindowDoNotCount() async throws {
        defer { events.stop() }
        let old = Int(Date().timeIntervalSince1970) - 3600
        try dir.write("state/worker-starts", (0..<10).map { "\(old + $0)" }.joined(separator: "\n") + "\n")
        let (r, _) = try await start(environment())
        #expect(!r.stderrText.contains("crash loop"))
        #expect(dir.contents("state/worker-starts")?.split(separator: "\n").count == 1, "old starts are dropped")
    }

    /// With no INNGEST_EVENT_KEY the alert carries the embedded engine's event key
    /// from its key file (the engine refuses any other).
    @Test func theAlertUsesTheEngineKeyFile() async throws {
        defer { events.stop() }
        let key = String(repeating: "ab", count: 32)
        try dir.write("state/joelclaw/engine-keys.json",
                      #"{"eventKey":"\#(key)","signingKey":"signkey-prod-\#(String(repeating: "0", count: 64))"}"#)
        var env = environment(["JOELCLAW_CRASH_LOOP_STARTS": "0", "JOELCLAW_CRASH_LOOP_BACKOFF": "0",
                               "XDG_STATE_HOME": "\(dir.path)/state"])
        env["INNGEST_EVENT_KEY"] = nil
        _ = try await start(env)
        let alert = try #require(events.requests.first)
        #expect(alert.hasPrefix("POST /e/\(key) HTTP/1.1"))
    }

    @Test func anUnreachableEventAPIDoesNotStopTheBackOff() async throws {
        events.stop()
        let env = environment(["INNGEST_EVENT_API_BASE_URL": "http://127.0.0.1:\(ScriptedTCPServer.closedPort())", "JOELCLAW_CRASH_LOOP_STARTS": "0", "JOELCLAW_CRASH_LOOP_BACKOFF": "0"])
        let (r, _) = try await start(env)
        #expect(r.stderrText.contains("crash loop: 1 starts"))
        #expect(r.stderrText.contains("alert not sent"))
        #expect(logLines.first?["action"] == "crash-loop")
        #expect(workerRuns.count == 1)
    }

    @Test func aMissingWorkerBinaryFailsLoudly() async throws {
        defer { events.stop() }
        let (r, _) = try await start(environment(["JOELCLAW_WORKER_BIN": "\(dir.path)/no-such-worker"]))
        #expect(r.exitCode == 1)
        #expect(r.stderrText.contains("worker binary \(dir.path)/no-such-worker is missing or not executable"))
        #expect(logLines.first?["action"] == "start-failed")
    }

    /// A copy of start.sh in a scratch checkout with a fake `swift` on PATH:
    /// the rebuild decision and the build-failure path, without compiling.
    @Test func rebuildsOnlyWhenSourcesChangedAndFailsLoudlyOnABrokenBuild() async throws {
        defer { events.stop() }
        let repo = try TemporaryDirectory()
        try repo.write("start.sh", try String(contentsOfFile: "\(Repository.root)/start.sh", encoding: .utf8), executable: true)
        try repo.write("release/build.sh", try String(contentsOfFile: "\(Repository.root)/release/build.sh", encoding: .utf8), executable: true)
        try repo.write("Package.swift", "// swift-tools-version:6.0\n")
        let source = try repo.write("Sources/Worker/main.swift", "print(1)\n")
        try repo.write("bin/swift", """
        #!/bin/sh
        case "$*" in *--show-bin-path*) echo "$PWD/.build/release"; exit 0 ;; esac
        echo "swift $*" >> '\(repo.path)/swift-calls'
        if [ -e '\(repo.path)/break-build' ]; then echo "Sources/Worker/main.swift:1:1: error: cannot find 'x' in scope"; exit 1; fi
        mkdir -p .build/release
        printf '#!/bin/sh\\necho worker ran >> "%s/worker-runs"\\n' '\(repo.path)' > .build/release/worker
        chmod +x .build/release/worker
        """, executable: true)
        var env = environment(["PATH": "\(repo.path)/bin:/usr/bin:/bin"])
        env["JOELCLAW_WORKER_BIN"] = nil
        let runner = ProcessCommandRunner(environment: env)
        func run() async throws -> CommandResult { try await runner.run(Command("bash", ["\(repo.path)/start.sh"], timeout: 30)) }
        let calls = { repo.contents("swift-calls")?.split(separator: "\n").count ?? 0 }

        #expect(try await run().exitCode == 0)
        #expect(calls() == 1)
        let call = try #require(repo.contents("swift-calls"))
        #expect(call.hasPrefix("swift build -c release --product worker"), "built by release/build.sh: \(call)")
        #if os(Linux)
        #expect(call.contains(" --static-swift-stdlib "), "with the Linux link flags: \(call)")
        #endif
        #expect(repo.contents("worker-runs") == "worker ran\n")
        #expect(try await run().exitCode == 0)
        #expect(calls() == 1, "an up-to-date binary is not rebuilt")

        try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(60)], ofItemAtPath: source)
        try repo.write("break-build", "")
        let broken = try await run()
        #expect(broken.exitCode == 1)
        #expect(broken.stderrText.contains("error: cannot find 'x' in scope"))
        #expect(broken.stderrText.contains("build failed; not starting a stale worker"))
        #expect(calls() == 2)
        #expect(repo.contents("worker-runs") == "worker ran\nworker ran\n", "the stale worker did not run")
        let entry = try #require(logLines.last)
        #expect(entry["action"] == "build-failed")
        #expect(entry["detail"]?.stringValue?.contains("cannot find 'x' in scope") == true)
    }
}
