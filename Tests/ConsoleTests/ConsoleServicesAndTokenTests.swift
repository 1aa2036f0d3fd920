@testable import Console
import Foundation
import HTTP
import Ops
import Subprocess
import Testing
import TestSupport

@Suite("Console: services watch and console-token", .serialized)
struct ConsoleServicesAndTokenTests {
    final class Output: TextOutput, @unchecked Sendable {
        private let lock = NSLock()
        private var buffer = ""
        var isTerminal: Bool { false }
        func write(_ text: String) { lock.lock(); buffer += text; lock.unlock() }
        var text: String { lock.lock(); defer { lock.unlock() }; return buffer }
    }

    /// Statuses the check returns next, and how often it ran.
    final class Script: @unchecked Sendable {
        private let lock = NSLock()
        private var state: HealthState = .down
        private(set) var checks = 0
        func set(_ s: HealthState) { lock.lock(); state = s; lock.unlock() }
        func report() -> StatusReport {
            lock.lock(); defer { lock.unlock() }
            checks += 1
            let inventory = try! Inventory(json: #"{"schemaVersion": 1, "machines": [{"name": "m", "address": "127.0.0.1", "services": [{"name": "redis", "kind": "tcp", "ports": [6379]}]}]}"#)
            return StatusReport(inventory: inventory, statuses: [ServiceStatus(machine: "m", service: "redis", kind: .tcp, state: state,
                                                                               latency: 0, detail: "scripted \(state)")],
                                checkedAt: Date(), duration: 0)
        }
    }

    @Test func checksAreThrottledAndTransitionsKept() async {
        let script = Script()
        let watch = ServiceWatch(minimumInterval: 2_000)
        let check: @Sendable () async throws -> StatusReport = { script.report() }
        let (first, _, _) = await watch.current(check: check, now: 0)
        #expect(first?.allServices.first?.state == .down && script.checks == 1)
        script.set(.up)
        _ = await watch.current(check: check, now: 1_000)
        #expect(script.checks == 1) // within the interval: the last report is reused
        let (_, _, history) = await watch.current(check: check, now: 3_000)
        #expect(script.checks == 2 && history.transitions.last?.isRecovery == true)
        // A clock that went backwards checks again rather than waiting forever.
        _ = await watch.current(check: check, now: -5_000)
        #expect(script.checks == 3)
        let failing = ServiceWatch()
        let (_, problem, _) = await failing.current(check: { throw TestFailure("inventory unreadable") }, now: Int64.min)
        #expect(problem?.contains("inventory unreadable") == true)
    }

    @Test func theServicesPageShowsStatesTransitionsAndCounters() async throws {
        let script = Script()
        let h = try await ConsoleHarness(functions: [], checkServices: { script.report() })
        try await h.signIn()
        let (status, page, _) = await h.request("GET", "/console/services")
        #expect(status == 200 && page.contains("<span class=\"badge down\">down</span>") && page.contains("first seen"))
        #expect(page.contains("Function results") && page.contains("<rect class=\"bar\""))
        let (fragment, detail, _) = await h.request("GET", "/console/services?fragment=detail")
        #expect(fragment == 200 && !detail.contains("<html"))
        await h.stop()
    }

    @Test func consoleTokenPrintsATokenTheConsoleAccepts() async {
        let key = "signkey-test-" + String(repeating: "7e", count: 32)
        func run(_ arguments: [String], _ environment: [String: String]) async -> (ExitCode, String, String) {
            let out = Output(), err = Output()
            let context = CLIContext(environment: environment, stdout: out, stderr: err, http: SocketHTTPClient(),
                                     commands: ProcessCommandRunner(), workingDirectory: FileManager.default.temporaryDirectory.path)
            let code = await Joelclaw.main(arguments, context: context, extraCommands: [ConsoleTokenCommand.self])
            return (code, out.text, err.text)
        }
        let cloud = ["INNGEST_SIGNING_KEY": key, "INNGEST_EVENT_KEY": "e", "INNGEST_BASE_URL": "http://127.0.0.1:9"]
        let (code, out, err) = await run(["console-token", "--days", "2"], cloud)
        #expect(code == .success, "\(err)")
        let token = out.trimmingCharacters(in: .whitespacesAndNewlines)
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        let auth = ConsoleAuth(signingKeys: [key])
        #expect(auth.accepts(token: token, now: now) && !auth.accepts(token: token, now: now + 3 * 86_400_000))
        #expect(!out.contains(key) && !err.contains(key))
        let (usage, _, _) = await run(["console-token", "--days", "0"], cloud)
        #expect(usage == .usage)
        let (devMode, _, message) = await run(["console-token"], ["INNGEST_DEV": "1"])
        #expect(devMode == .configuration && message.contains("no signing key"))
    }
}
