import Foundation
import HTTP
import JSON
import Ops
import Subprocess
@testable import Functions
import TestSupport

/// A real agent-loop set-up: a small Python project in a git repository (its
/// checkout on `main`, an `integration` branch the loops merge into), the
/// stand-in coding agent from Fixtures/agent-loop, the project's real test
/// command as the check, and a stand-in LLM judge on loopback.
final class AgentLoopFixture: @unchecked Sendable {
    let harness: FunctionsHarness
    let llm: LoopbackServer
    let project: String
    let runner = ProcessCommandRunner()

    static let agent = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/agent-loop/fake-agent.sh").path

    /// `tools` maps tool names to the stand-in's arguments (e.g. `["good"]`);
    /// `{dir}` in them becomes the test's temporary directory.
    init(tools: [String: [String]] = ["codex": ["good"], "claude": ["good"], "pi": ["good"]], toolTimeout: Double = 60,
         verdict: @escaping @Sendable (String) -> String = AgentLoopFixture.approvingLLM,
         adjust: @escaping (inout AgentLoopConfig) -> Void = { _ in }) async throws {
        let llm = try anthropicStandIn { _, prompt in verdict(prompt) }
        self.llm = llm
        harness = try FunctionsHarness { c, dir in
            c.llm.baseURL = llm.url
            var loop = AgentLoopConfig(worktreeRoot: dir.file("worktrees"), outputDir: dir.file("loop-runs"), targetBranch: "integration")
            loop.tools = tools.mapValues { args in
                CodingToolConfig(argv: [Self.agent] + args.map { $0.replacingOccurrences(of: "{dir}", with: dir.path) }, timeout: toolTimeout)
            }
            loop.checks = ["*": [CheckCommand(kind: .test, argv: ["python3", "-m", "unittest", "discover", "-s", "tests", "-v"])]]
            adjust(&loop)
            c.agentLoop = loop
        }
        project = harness.dir.file("project")
        try FileManager.default.createDirectory(atPath: project + "/tests", withIntermediateDirectories: true)
        try harness.dir.write("project/calc.py", "\"\"\"A tiny calculator the agent loop grows.\"\"\"\n")
        try harness.dir.write("project/tests/test_smoke.py", "import unittest\nimport calc\n\n\nclass Smoke(unittest.TestCase):\n    def test_imports(self):\n        self.assertTrue(calc.__doc__)\n")
        try harness.dir.write("project/.gitignore", "__pycache__/\n")
        try await git(["init", "-q", "-b", "main"])
        try await git(["add", "-A"])
        try await git(["commit", "-q", "-m", "calculator skeleton"])
        try await git(["branch", "integration"])
    }

    /// The stand-in LLM's answers by kind of prompt: the reviewer's questions all "yes",
    /// a retrospective reflection, and otherwise the judge's `pass`.
    static let approvingLLM: @Sendable (String) -> String = { prompt in
        if prompt.contains("\"questions\"") {
            return #"{"questions":[{"id":"q2","answer":true,"evidence":"calls calc"},{"id":"q3","answer":true,"evidence":"checks results"},{"id":"q4","answer":true,"evidence":"story done"}]}"#
        }
        if prompt.contains("## Narrative") {
            return "## Analysis\n- Every story passed on its first attempt.\n\n## Narrative\nThe loop grew the calculator story by story."
        }
        return #"{"verdict":"pass","reasoning":"does what the story asks"}"#
    }

    /// The prompts the stand-in LLM received, in order.
    var prompts: [String] {
        llm.requests.compactMap { try? JSON(parsing: $0.body)["messages"]?[0]?["content"]?.stringValue }
    }

    /// Writes a PRD of `stories` (id, title) to `<project>/<name>`.
    func writePRD(_ name: String = "prd.json", title: String = "Calculator", stories: [(String, String)]) throws {
        let list = stories.enumerated().map { i, s in
            JSON.object(JSONObject([("id", .string(s.0)), ("title", .string(s.1)), ("description", .string("Add \(s.1) to calc.py")),
                                    ("acceptance_criteria", .array([.string("calc.\(s.0.split(separator: "-")[0].lowercased()) works")])),
                                    ("priority", .number(JSONNumber(i + 1)))]))
        }
        try harness.dir.write("project/" + name, JSON.object(JSONObject([("title", .string(title)), ("stories", .array(list))])).serialized())
    }

    @discardableResult
    func git(_ args: [String], in dir: String? = nil) async throws -> String {
        var env = GitCommitter.agentLoop.environment
        env["GIT_CONFIG_GLOBAL"] = "/dev/null"
        env["GIT_CONFIG_NOSYSTEM"] = "1"
        return try await runner.runChecked(Command(["git"] + args, workingDirectory: dir ?? project, environment: env)).stdoutText
    }

    func log(_ ref: String) async throws -> [String] {
        try await git(["log", "--format=%s", ref]).split(separator: "\n").map(String.init)
    }

    /// Runs `joelclaw <arguments>` in-process against `engine`; returns the exit code and stdout.
    func cli(_ arguments: [String], engine: String, eventKey: String? = nil) async -> (code: ExitCode, out: String, err: String) {
        let out = LoopTestOutput(), err = LoopTestOutput()
        var env = ["INNGEST_BASE_URL": engine, "JOELCLAW_FUNCTIONS_DB": harness.config.databasePath,
                   "HOME": harness.dir.file("home"), "JOELCLAW_CONFIG": "", "XDG_CONFIG_HOME": harness.dir.file("config")]
        // The in-process test engine accepts any event key; a server named without
        // INNGEST_DEV is cloud mode, where the CLI needs one.
        env["INNGEST_EVENT_KEY"] = eventKey ?? "loop-test-key"
        let context = CLIContext(environment: env, stdout: out, stderr: err, http: harness.http, commands: runner, workingDirectory: project)
        let code = await Joelclaw.main(arguments, context: context, extraCommands: [LoopCommand.self])
        return (code, out.text, err.text)
    }

    var store: LoopStateStore { LoopStateStore(database: harness.services.database) }

    func stop() async { await llm.stop() }
}

final class LoopTestOutput: TextOutput, @unchecked Sendable {
    private let lock = NSLock()
    private var buffer = ""
    func write(_ text: String) { lock.lock(); buffer += text; lock.unlock() }
    var isTerminal: Bool { false }
    var text: String { lock.lock(); defer { lock.unlock() }; return buffer }
}
