import Foundation
import JSON
import Testing
import TestSupport
@testable import Functions

extension ExternalTools.AgentLoopTests {
    /// The real `worker` executable with its embedded engine, killed with
    /// SIGKILL while the coding agent implements the first story, then
    /// started again on the same databases: the loop finishes and no attempt
    /// is committed twice.
    @Test func killingTheWorkerMidImplementThenRestartingFinishesTheLoopWithoutDuplicateCommits() async throws {
        try Tools.require("python3", install: "apt-get install python3")
        let fx = try await AgentLoopFixture()
        let dir = fx.harness.dir
        try fx.writePRD(stories: [("ADD-1", "add"), ("MUL-1", "mul")])
        let settings: JSON = ["databasePath": .string(dir.file("worker-state/functions.sqlite")), "vaultDir": .string(dir.file("worker-vault")),
                              "llm": ["baseURL": .string(fx.llm.url)],
                              "agentLoop": ["worktreeRoot": .string(dir.file("worker-worktrees")), "outputDir": .string(dir.file("worker-runs")),
                                            "targetBranch": "integration",
                                            "tools": ["codex": ["argv": .array([.string(AgentLoopFixture.agent), "slow-impl", "--pids", .string(dir.file("impl.pids"))]),
                                                                "timeout": 60]],
                                            "checks": ["*": [["kind": "test", "argv": ["python3", "-m", "unittest", "discover", "-s", "tests", "-v"]]]]]]
        try dir.write("worker.json", settings.serialized())
        let env = ["JOELCLAW_CONFIG": dir.file("worker.json"), "ANTHROPIC_API_KEY": "test-key", "HOME": dir.file("home"),
                   "XDG_CONFIG_HOME": dir.file("home/.config"), "XDG_STATE_HOME": dir.file("home/.state"), "TMPDIR": dir.file("tmp")]
        let arguments = ["--port", "0", "--engine-address", "127.0.0.1:0", "--engine-db", dir.file("engine.sqlite")]

        let (first, enginePort) = try await Self.startWorker(arguments, env)
        let keys = try JSON(parsing: try dir.read("engine-keys.json"))
        let started = await fx.cli(["loop", "start", fx.project], engine: "http://127.0.0.1:\(enginePort)", eventKey: keys["eventKey"]?.stringValue)
        let loopId = started.out.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(started.code == .success, "\(started.err)")
        #expect(await eventually(timeout: 30) { !Self.pids(dir.file("impl.pids")).isEmpty }, "implement never started")
        first.killAndWait()

        let (second, _) = try await Self.startWorker(arguments, env)
        defer { second.killAndWait() }
        let store = LoopStateStore(database: try FunctionsDatabase(path: dir.file("worker-state/functions.sqlite")))
        let finished = await eventually(timeout: 60) { ["merged", "completed", "merge-failed"].contains(try store.loop(loopId)?.status ?? "") }
        let state = try store.loop(loopId)
        let workerLog = second.stderr.suffix(3000)
        #expect(finished, "loop status \(String(describing: state))\n\(workerLog)")
        #expect(try store.loop(loopId)?.status == "merged")
        #expect(try store.stories(loopId).map(\.status) == [.passed, .passed])
        let feats = try await fx.log("integration").filter { $0.hasPrefix("feat:") }
        #expect(feats.sorted() == ["feat: [\(loopId)] [ADD-1] attempt-1 — add", "feat: [\(loopId)] [MUL-1] attempt-1 — mul"])
        #expect(try await fx.log("integration").filter { $0.hasPrefix("test:") }.count == 2)
        // The killed attempt ran again after the restart (ADD-1 twice, MUL-1 once), and still made one commit.
        #expect(Self.pids(dir.file("impl.pids")).count == 3)
        await fx.stop()
    }

    /// Starts the worker and returns it with its embedded engine's port once it has synced.
    static func startWorker(_ arguments: [String], _ environment: [String: String]) async throws -> (WorkerProcess, Int) {
        try FileManager.default.createDirectory(atPath: environment["TMPDIR"]!, withIntermediateDirectories: true)
        let worker = try WorkerProcess(arguments: arguments, environment: environment, inngestDev: nil)
        let log = try await worker.waitForText("synced")
        guard let port = worker.embeddedEnginePort else {
            worker.killAndWait()
            throw TestFailure("the worker did not start its engine: \(log)")
        }
        return (worker, port)
    }
}
