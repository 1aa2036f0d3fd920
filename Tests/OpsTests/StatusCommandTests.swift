import Foundation
import HTTP
import Subprocess
import JSON
import Testing
import TestSupport
@testable import Ops

/// `joelclaw status` end to end against real loopback services.
@Suite struct StatusCommandTests {
    /// An inventory of loopback services: one up, one refusing, one hung, an
    /// SSH host on a dead port, and an SSH host that answers.
    struct Fixture {
        let dir: TemporaryDirectory
        let up: ScriptedTCPServer, hung: ScriptedTCPServer, sshd: ScriptedTCPServer
        let inventoryPath: String

        /// `timeout` applies to the services meant to fail; the ones meant to
        /// answer get 10 s (they return at once unless the machine stalls).
        init(includeFailures: Bool = true, timeout: Double = 2) throws {
            dir = try TemporaryDirectory()
            up = try ScriptedTCPServer(.http(status: 200, body: #"{"functionCount": 13}"#))
            hung = try ScriptedTCPServer(.hang)
            sshd = try ScriptedTCPServer(.banner("SSH-2.0-OpenSSH_9.6\r\n"))
            let closed = ScriptedTCPServer.closedPort()
            let failing = includeFailures ? """
              {"name": "refusing", "kind": "http", "ports": [\(closed)], "timeoutSeconds": \(timeout), "check": {"type": "http", "url": "http://127.0.0.1:\(closed)/"}},
              {"name": "hung", "kind": "http", "ports": [\(hung.port)], "timeoutSeconds": \(timeout), "check": {"type": "http", "url": "http://127.0.0.1:\(hung.port)/"}},
            """ : ""
            let failingSSH = includeFailures ? """
              {"name": "nas", "kind": "ssh", "ports": [\(closed)], "timeoutSeconds": \(timeout)},
            """ : ""
            inventoryPath = try dir.write("inventory.json", """
            {"schemaVersion": 1, "machines": [
              {"name": "alpha", "description": "test box", "address": "127.0.0.1", "services": [
                \(failing)
                {"name": "worker", "kind": "http", "ports": [\(up.port)], "timeoutSeconds": 10,
                 "check": {"type": "http", "url": "http://127.0.0.1:\(up.port)/health", "report": {"path": "functionCount", "label": "functions"}}}
              ]},
              {"name": "beta", "address": "127.0.0.1", "services": [
                \(failingSSH)
                {"name": "shell", "kind": "ssh", "ports": [\(sshd.port)], "timeoutSeconds": 10}
              ]}
            ]}
            """)
        }

        func stop() { [up, hung, sshd].forEach { $0.stop() } }
    }

    @Test func reportsEveryServiceGroupedByMachine() async throws {
        let f = try Fixture()
        defer { f.stop() }
        // The failing services have 2 s timeouts, the rest answer at once: on an
        // idle machine this takes ~2.1 s, which bench/ops/status-hosts-down.sh
        // measures on the release binary (a timing bound here would only measure
        // the other suites sharing the cores). --timeout 10 lifts the default 2.5 s cap so a stalled machine cannot
        // turn the answering services down; the cap has its own test.
        let result = await CLIHarness(environment: ["JOELCLAW_INVENTORY": f.inventoryPath]).run(["status", "--timeout", "10"])
        #expect(result.code == .failure)
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first == "alpha (test box)")
        let beta = try #require(lines.firstIndex(of: "beta"))
        let row = { (name: String) in lines.first { $0.contains(" \(name) ") } ?? "" }
        #expect(row("worker").contains("up"))
        #expect(row("worker").contains(":\(f.up.port)"))
        #expect(row("worker").contains("13 functions"))
        #expect(row("refusing").contains("down"))
        #expect(row("hung").contains("down"))
        #expect(row("hung").contains("no response within 2.0s") || row("hung").contains("no answer within 2.0s"))
        #expect(row("nas").contains("down"))
        #expect(row("shell").contains("up"))
        #expect(lines.firstIndex { $0.contains(" nas ") }! > beta)
        #expect(result.stdout.contains("2 up, 3 down"))
        #expect(result.stderr.isEmpty)
    }

    @Test func exitsZeroWhenEverythingIsUp() async throws {
        let f = try Fixture(includeFailures: false)
        defer { f.stop() }
        let result = await CLIHarness(environment: ["JOELCLAW_INVENTORY": f.inventoryPath]).run(["status", "--timeout", "10"])
        #expect(result.code == .success)
        #expect(result.stdout.contains("2 up ·"))
    }

    @Test func jsonOutputFollowsTheSchema() async throws {
        let f = try Fixture(timeout: 0.5)
        defer { f.stop() }
        let result = await CLIHarness(environment: [:]).run(["status", "--json", "--timeout", "10", "--inventory", f.inventoryPath])
        #expect(result.code == .failure)
        let doc = try JSON(parsing: result.stdout)
        #expect(doc.objectValue?.keys == ["schema", "ok", "checkedAt", "durationMs", "summary", "machines"])
        #expect(doc["schema"] == "joelclaw.status.v1")
        #expect(doc["ok"] == false)
        #expect(doc["summary"] == ["up": 2, "degraded": 0, "down": 3, "unknown": 0])
        let machines = try #require(doc["machines"]?.arrayValue)
        #expect(machines.map { $0["name"] } == ["alpha", "beta"])
        for service in machines.flatMap({ $0["services"]?.arrayValue ?? [] }) {
            #expect(service.objectValue?.keys == ["name", "kind", "state", "port", "memoryBytes", "latencyMs", "detail"])
            #expect(service["memoryBytes"] == .null)
        }
        let worker = try #require(machines[0]["services"]?.arrayValue?.first { $0["name"] == "worker" })
        #expect(worker["state"] == "up")
        #expect(worker["port"]?.intValue == f.up.port)
        #expect(worker["detail"] == "13 functions")
    }

    /// The JSON document for a fixed report, byte for byte: changing the schema
    /// must be a deliberate act that updates this test and the README.
    @Test func jsonGolden() {
        let report = StatusReport(machines: [
            .init(name: "panda", description: "Mac Mini", address: "127.0.0.1", services: [
                ServiceStatus(machine: "panda", service: "inngest", kind: .docker, state: .up, latency: 0.0123,
                              detail: "healthy", port: 8288, memoryBytes: 185_597_952),
                ServiceStatus(machine: "panda", service: "adr-sync", kind: .launchd, state: .degraded, latency: 0.004,
                              detail: "loaded, not running"),
            ]),
            .init(name: "three-body", description: nil, address: "127.0.0.1", services: [
                ServiceStatus(machine: "three-body", service: "ssh", kind: .ssh, state: .down, latency: 2.0004,
                              detail: "no answer within 2.0s", port: 22),
            ]),
        ], checkedAt: Date(timeIntervalSince1970: 1_771_262_880.5), duration: 2.0101)
        let golden = #"{"schema":"joelclaw.status.v1","ok":false,"checkedAt":"2026-02-16T17:28:00.500Z","durationMs":2010,"summary":{"up":1,"degraded":1,"down":1,"unknown":0},"machines":[{"name":"panda","description":"Mac Mini","address":"127.0.0.1","services":[{"name":"inngest","kind":"docker","state":"up","port":8288,"memoryBytes":185597952,"latencyMs":12,"detail":"healthy"},{"name":"adr-sync","kind":"launchd","state":"degraded","port":null,"memoryBytes":null,"latencyMs":4,"detail":"loaded, not running"}]},{"name":"three-body","description":null,"address":"127.0.0.1","services":[{"name":"ssh","kind":"ssh","state":"down","port":22,"memoryBytes":null,"latencyMs":2000,"detail":"no answer within 2.0s"}]}]}"#
        #expect(StatusJSON.document(report).serialized() == golden)
    }

    @Test func colourOnlyOnATerminalWithoutNoColor() async throws {
        let f = try Fixture(includeFailures: false)
        defer { f.stop() }
        let env = ["JOELCLAW_INVENTORY": f.inventoryPath]
        let tty = await CLIHarness(environment: env, terminal: true).run(["status", "--timeout", "10"])
        #expect(tty.stdout.contains("\u{1B}[32m"))
        #expect(tty.stdout.contains("✅"))
        let noColor = await CLIHarness(environment: env.merging(["NO_COLOR": "1"]) { $1 }, terminal: true).run(["status", "--timeout", "10"])
        #expect(!noColor.stdout.contains("\u{1B}"))
        #expect(noColor.stdout.contains("✅"))
        let piped = await CLIHarness(environment: env, terminal: false).run(["status", "--timeout", "10"])
        #expect(!piped.stdout.contains("\u{1B}"))
        #expect(!piped.stdout.contains("✅"))
    }

    @Test func machineFilterAndTimeoutCap() async throws {
        let f = try Fixture()
        defer { f.stop() }
        let result = await CLIHarness(environment: ["JOELCLAW_INVENTORY": f.inventoryPath]).run(["status", "--machine", "alpha", "--timeout", "0.3"])
        #expect(result.code == .failure)
        #expect(!result.stdout.contains("beta"))
        let hung = result.stdout.split(separator: "\n").first { $0.contains(" hung ") } ?? ""
        #expect(hung.contains("0.3s"), "the 2 s inventory timeout was capped to 0.3 s: \(hung)")
        let unknown = await CLIHarness(environment: ["JOELCLAW_INVENTORY": f.inventoryPath]).run(["status", "--machine", "gamma"])
        #expect(unknown.code == .usage)
        #expect(unknown.stderr.contains("No machine 'gamma'"))
    }

    @Test func defaultCapKeepsTheCommandUnderThreeSeconds() throws {
        #expect(try StatusCommand(ArgumentSpec().parse([])).timeoutCap == 2.5)
        #expect(StatusCommand.defaultTimeoutCap + 0.25 < 3, "cap plus the deadline slack stays under 3 s")
        #expect(try StatusCommand(StatusCommand.arguments.parse(["--timeout", "0.5"])).timeoutCap == 0.5)
    }

    @Test func invalidInventoryIsAConfigurationError() async throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write("inventory.json", #"{"schemaVersion": 1, "machines": [{"name": "m"}]}"#)
        let result = await CLIHarness(environment: ["JOELCLAW_INVENTORY": path]).run(["status"])
        #expect(result.code == .configuration)
        #expect(result.stderr.contains("machines[0].services: missing"))
        #expect(result.stdout.isEmpty)
    }

    @Test func inventoryDefaultsToTheRepositoryFile() {
        let context = CLIContext(environment: ["JOELCLAW_REPO": "/srv/joelclaw"], stdout: CapturedOutput(), stderr: CapturedOutput(),
                                 http: SocketHTTPClient(), commands: ProcessCommandRunner(environment: [:]), workingDirectory: "/tmp")
        #expect(context.inventoryPath == "/srv/joelclaw/infra/inventory.json")
        var other = context
        other.environment = [:]
        #expect(other.inventoryPath == "/tmp/infra/inventory.json")
    }
}
